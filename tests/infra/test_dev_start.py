"""scripts/run is a development start: this machine only, the product's own error pages, and a
banner that says so."""

import os
import subprocess
import sys

from django.test import Client

from embedded import launcher
from tests.infra.helpers import ROOT


def test_the_web_server_listens_on_this_machine_only_unless_told() -> None:
    assert launcher._children("8123")["web"][-2:] == ["runserver", "127.0.0.1:8123"]
    assert launcher._children("8123", "0.0.0.0")["web"][-1] == "0.0.0.0:8123"
    source = (ROOT / "platform" / "embedded" / "launcher.py").read_text()
    assert 'os.environ.get("HOST", "127.0.0.1")' in source
    assert "DEVELOPMENT start" in source
    assert "Not for production" in source


def _dev_debug(**environment: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        **environment,
    )
    code = "import django; from django.conf import settings; django.setup(); print(settings.DEBUG)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def test_the_development_settings_keep_debug_off_unless_asked() -> None:
    assert _dev_debug() == "False"
    assert _dev_debug(DEBUG="true") == "True"


def test_an_unknown_address_is_a_friendly_page(http: Client, public_http: Client) -> None:
    for client in (http, public_http):
        page = client.get("/no/such/place/")
        assert page.status_code == 404
        text = page.content.decode()
        assert "Page not found" in text
        assert "URLconf" not in text
        assert "Go to the start page" in text


def test_a_server_error_page_stands_alone() -> None:
    text = (ROOT / "frontend" / "templates" / "500.html").read_text()
    assert "{%" not in text  # rendered without a request or context: nothing that could fail
    assert "Something went wrong" in text
