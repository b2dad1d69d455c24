"""Rotating SECRET_KEY without signing everybody out: the old key goes into SECRET_KEY_FALLBACKS
(read from the environment, comma-separated) and keeps verifying what it signed until it is
dropped. The procedure is in docs/operations.md."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing
from django.test import Client

from accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
OLD = "old-key-" + "o" * 40
NEW = "new-key-" + "n" * 40


def test_a_value_signed_with_the_old_key_verifies_while_that_key_is_a_fallback(settings) -> None:
    settings.SECRET_KEY = OLD
    settings.SECRET_KEY_FALLBACKS = []
    link = signing.dumps({"invitation": 7}, salt="warmpath.test")

    settings.SECRET_KEY = NEW
    settings.SECRET_KEY_FALLBACKS = [OLD]
    assert signing.loads(link, salt="warmpath.test") == {"invitation": 7}
    fresh = signing.dumps({"invitation": 8}, salt="warmpath.test")
    settings.SECRET_KEY_FALLBACKS = []
    assert signing.loads(fresh, salt="warmpath.test") == {"invitation": 8}  # signed with NEW

    with pytest.raises(signing.BadSignature):  # the old key is gone: so is what it signed
        signing.loads(link, salt="warmpath.test")


def test_people_stay_signed_in_across_a_rotation(http: Client, coach: User, settings) -> None:
    """A session made under the old key is accepted (and moved to the new key) on its next
    request; a session left unused until the old key is dropped has to sign in again."""
    settings.SECRET_KEY = OLD
    settings.SECRET_KEY_FALLBACKS = []
    http.force_login(coach)
    idle = Client(HTTP_HOST=http.defaults["HTTP_HOST"])
    idle.force_login(coach)
    assert http.get("/").status_code == 200

    settings.SECRET_KEY = NEW
    settings.SECRET_KEY_FALLBACKS = [OLD]
    assert http.get("/").status_code == 200  # still signed in, now under the new key

    settings.SECRET_KEY_FALLBACKS = []
    assert http.get("/").status_code == 200
    signed_out = idle.get("/")
    assert signed_out.status_code == 302
    assert "/accounts/login/" in signed_out["Location"]


def _settings_from_environment(**environment: str) -> dict[str, object]:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS]))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SECRET_KEY")},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        **environment,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    key, fallbacks = json.loads(out.stdout.strip().splitlines()[-1])
    return {"key": key, "fallbacks": fallbacks}


def test_fallbacks_are_read_from_the_environment() -> None:
    assert _settings_from_environment(
        SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=f" {OLD} , older-key-{'x' * 40},"
    ) == {"key": NEW, "fallbacks": [OLD, f"older-key-{'x' * 40}"]}
    assert _settings_from_environment(SECRET_KEY=NEW) == {"key": NEW, "fallbacks": []}


def test_production_refuses_a_weak_or_development_fallback() -> None:
    production = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": "postgres://u:p@db.invalid/warmpath",
        "REDIS_URL": "redis://redis.invalid:6379/0",
    }
    assert _settings_from_environment(**production, SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=OLD) == {
        "key": NEW,
        "fallbacks": [OLD],
    }
    for weak in ("short", "dev-only-insecure-key-change-me"):
        with pytest.raises(subprocess.CalledProcessError) as refused:
            _settings_from_environment(
                **production, SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=f"{OLD},{weak}"
            )
        assert "SECRET_KEY_FALLBACKS" in refused.value.stderr
