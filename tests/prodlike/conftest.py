"""The smoke suite's plumbing: an HTTP client that talks to practices' hosts on the local web
server, the mail folder, a webhook receiver, and the image's entrypoint for operator commands.

No Django here: the suite sees the product only as a browser, an integrator and an operator
would. Only `scripts/prodlike` runs it (it starts the servers and sets PRODLIKE_*); the default
pytest run deselects it (the `prodlike` marker, pyproject's addopts).
"""

import http.client
import http.server
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: these tests run through scripts/prodlike, which sets it")
    return value


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Http:
    """A browser's worth of HTTP: cookies per host, every host served by 127.0.0.1:port (so
    `acme.localhost` needs no DNS)."""

    port: int
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)

    def url(self, host: str = "localhost", path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        follow: bool = False,
    ) -> Response:
        for _ in range(10):
            parts = urllib.parse.urlsplit(url)
            host = parts.hostname or "localhost"
            jar = self.cookies.setdefault(host, {})
            sent = {"Host": parts.netloc, **(headers or {})}
            if jar:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.request(method, path, body=body, headers=sent)
            answer = conn.getresponse()
            response = Response(answer.status, answer.headers, answer.read(), url)
            conn.close()
            for header in answer.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    if morsel.value:
                        jar[name] = morsel.value
                    else:
                        jar.pop(name, None)
            if follow and response.status in (301, 302, 303) and response.location:
                url = urllib.parse.urljoin(url, response.location)
                method, body, headers = "GET", None, None
                continue
            return response
        raise AssertionError(f"too many redirects from {url}")

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.request("GET", url, **kwargs)

    def csrf(self, host: str) -> str:
        return self.cookies.get(host, {}).get("warmpath_csrf", "")

    def submit(self, url: str, fields: dict[str, str], *, follow: bool = False) -> Response:
        """GET the page, then POST its form with `fields` and the page's CSRF token."""
        page = self.get(url)
        assert page.status == 200, (url, page.status, page.text[:500])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {url}"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields})
        return self.request(
            "POST",
            url,
            body=data.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": url},
            follow=follow,
        )

    def api(self, method: str, url: str, payload: Any = None) -> Response:
        """The JSON API with this browser's session (CSRF header from the cookie)."""
        host = urllib.parse.urlsplit(url).hostname or "localhost"
        headers = {"Accept": "application/json", "X-CSRFToken": self.csrf(host), "Referer": url}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        return self.request(method, url, body=body, headers=headers)

    def upload(self, url: str, fields: dict[str, str], filename: str, content: bytes) -> Response:
        host = urllib.parse.urlsplit(url).hostname or "localhost"
        boundary = "warmpath-prodlike-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRFToken": self.csrf(host),
            "Referer": url,
            "Accept": "application/json",
        }
        return self.request("POST", url, body=body, headers=headers)


@pytest.fixture(scope="session")
def web_port() -> int:
    return int(_env("PRODLIKE_WEB_PORT"))


@pytest.fixture(scope="session")
def metrics_ports() -> dict[str, int]:
    pairs = (item.split("=") for item in _env("PRODLIKE_METRICS").split(","))
    return {role: int(port) for role, port in pairs}


@pytest.fixture(scope="session")
def logs() -> Path:
    return Path(_env("PRODLIKE_LOGS"))


class Mailbox:
    """The messages the file email backend wrote (web and worker write to the same folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def link(self, *, to: str, pattern: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
                for message in path.read_text(errors="replace").split("-" * 79):
                    if to in message:
                        found = re.search(pattern, message)
                        if found:
                            return found.group(0)
            time.sleep(0.5)
        raise AssertionError(f"no email to {to} with a link like {pattern!r}")


@pytest.fixture(scope="session")
def mailbox() -> Mailbox:
    return Mailbox(Path(_env("PRODLIKE_MAIL")))


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


class Receiver:
    """An integrator's webhook endpoint on 127.0.0.1."""

    def __init__(self, port: int) -> None:
        self.received: list[Received] = []
        received = self.received

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.append(Received(dict(self.headers.items()), self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{port}/hooks/warmpath"

    def wait_for(self, event: str, timeout: float = 90.0) -> Received:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for item in self.received:
                if json.loads(item.body).get("event") == event:
                    return item
            time.sleep(0.25)
        seen = [json.loads(item.body).get("event") for item in self.received]
        raise AssertionError(f"no {event} webhook within {timeout} s (received: {seen})")


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    hook = Receiver(int(_env("PRODLIKE_HOOK_PORT")))
    yield hook
    hook.server.shutdown()


def operator(*args: str, timeout: float = 120.0) -> str:
    """An operator's command through the image's entrypoint (`entrypoint.sh manage ...`)."""
    done = subprocess.run(
        [_env("PRODLIKE_ENTRYPOINT"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
