"""infra/Dockerfile, .dockerignore and the role entrypoint, checked without a Docker engine:
the structure here, hadolint in scripts/lint-infra, the runtime set in scripts/prodlike."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.infra.helpers import INFRA, ROOT, dockerfile_stages

DOCKERFILE = INFRA / "Dockerfile"
ENTRYPOINT = INFRA / "docker" / "entrypoint.sh"


def test_assets_are_built_in_their_own_stage_and_node_is_not_shipped() -> None:
    stages = dockerfile_stages(DOCKERFILE)
    assert [line.split()[-1] for line, _ in stages] == ["assets", "python", "runtime"]
    _, assets = stages[0]
    assert any("npm ci" in step and "npm run build" in step for step in assets)
    assert not any("|| true" in step for _, steps in stages for step in steps)
    _, final = stages[-1]
    text = " ".join(final)
    assert "nodejs" not in text
    assert " npm " not in text
    assert "COPY --from=assets /src/frontend/static/dist frontend/static/dist" in final
    assert "COPY --from=python /opt/venv /opt/venv" in final


def test_base_images_are_pinned_by_digest() -> None:
    args = [line for line in DOCKERFILE.read_text().splitlines() if line.startswith("ARG ")]
    images = {line.split("=", 1)[0][4:]: line.split("=", 1)[1] for line in args if "IMAGE=" in line}
    assert set(images) == {"PYTHON_IMAGE", "NODE_IMAGE"}
    assert images["PYTHON_IMAGE"].startswith("python:3.11-slim-bookworm@sha256:")
    for image in images.values():
        digest = image.split("@sha256:")[1]
        assert len(digest) == 64
        assert int(digest, 16) >= 0
    froms = [line for line, _ in dockerfile_stages(DOCKERFILE)]
    assert all(line.split()[1] in ("${PYTHON_IMAGE}", "${NODE_IMAGE}") for line in froms)


def test_the_image_runs_as_an_unprivileged_user_with_labels_and_an_entrypoint() -> None:
    _, final = dockerfile_stages(DOCKERFILE)[-1]
    users = [step for step in final if step.startswith("USER ")]
    assert users == ["USER 10001:10001"]
    labels = " ".join(step for step in final if step.startswith("LABEL "))
    for key in ("title", "version", "revision", "created", "documentation"):
        assert f"org.opencontainers.image.{key}=" in labels
    assert 'ENTRYPOINT ["/app/infra/docker/entrypoint.sh"]' in final
    assert 'CMD ["web"]' in final
    assert any("collectstatic" in step for step in final)
    assert ENTRYPOINT.stat().st_mode & stat.S_IXUSR


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".env", ".warmpath", ".venv", "frontend/node_modules"} <= ignored
    gitignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in gitignored


def test_production_settings_hash_static_files() -> None:
    text = (ROOT / "platform" / "config" / "settings" / "production.py").read_text()
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in text


def _stubbed(tmp_path: Path) -> dict[str, str]:
    """PATH with gunicorn, celery and python stubs that print their arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name in ("gunicorn", "celery", "python"):
        stub = bin_dir / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >>"$STUB_LOG"\n')
        stub.chmod(0o755)
    return {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "STUB_LOG": str(tmp_path / "calls.log"),
        "WARMPATH_DATA_DIR": str(tmp_path / "data"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "HOME": str(tmp_path),
    }


def _run(tmp_path: Path, *args: str, **extra: str) -> tuple[int, list[str]]:
    env = {**_stubbed(tmp_path), **extra}
    done = subprocess.run(["sh", str(ENTRYPOINT), *args], env=env, capture_output=True, text=True)
    log = tmp_path / "calls.log"
    calls = log.read_text().splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return done.returncode, calls


def test_each_role_runs_its_process(tmp_path: Path) -> None:
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "stale.db").write_text("old")
    assert _run(tmp_path, "web") == (
        0,
        ["gunicorn --config python:config.gunicorn config.wsgi:application"],
    )
    assert not (tmp_path / "metrics" / "stale.db").exists()
    code, calls = _run(tmp_path, "worker", WORKER_CONCURRENCY="3", WORKER_QUEUES="interactive")
    assert code == 0
    assert calls == [
        "celery --app config worker --loglevel INFO --max-tasks-per-child 500 "
        "--queues interactive --concurrency 3"
    ]
    code, calls = _run(tmp_path, "worker")
    assert "--concurrency 2" in calls[0]
    assert "--queues" not in calls[0]
    code, calls = _run(tmp_path, "beat")
    assert calls == [
        f"celery --app config beat --loglevel INFO --schedule {tmp_path}/data/celerybeat-schedule"
    ]
    assert _run(tmp_path, "migrate") == (0, ["python -m config.deploy migrate"])
    assert _run(tmp_path, "manage", "seed_demo") == (0, ["python manage.py seed_demo"])
    assert _run(tmp_path, "nonsense")[0] == 64


def test_secret_key_from_a_file_generated_once_when_asked(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(
        SECRET_KEY_FILE=str(key_file),
        WARMPATH_GENERATE_SECRET_KEY="true",
        WARMPATH_DATA_DIR=str(tmp_path / "data"),
        PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin",
    )
    # An unknown role stops after the key is read: no process is started.
    first = subprocess.run(["sh", str(ENTRYPOINT), "nonsense"], env=env, capture_output=True)
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = subprocess.run(["sh", str(ENTRYPOINT), "nonsense"], env=env, capture_output=True)
    assert key_file.read_text().strip() == key
    assert first.returncode == second.returncode == 64
