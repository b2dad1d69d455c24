"""A real Celery worker for the tests: `celery -A config worker` in a subprocess, on the embedded
Redis, consuming a queue of its own, against this test process's database.

Why each piece is there:

- The worker is a separate process, so it only sees committed rows. The worker tests therefore
  do not use pytest-django's `db` fixture (a transaction that is rolled back, invisible to the
  worker); they write in autocommit inside two practices made for them and drop those schemas
  afterwards (a transactional flush would only empty the public schema's tables).
- The worker reads the same test database: `WARMPATH_TEST_DB_NAME` (read by worker_settings.py).
- The queue name carries this process's id and a random part, so two test runs (or xdist
  workers) sharing the embedded Redis never take each other's tasks.
- Mail goes to files in a folder of the test's own (`SteeredFileBackend`), which the test reads.
"""

import email
import email.message
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass
class Mail:
    to: str
    subject: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RealWorker:
    queue: str
    mail_dir: Path
    log: Path
    process: subprocess.Popen[bytes]

    def emails(self) -> list[Mail]:
        found = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(SEPARATOR):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk)
                body = ""
                for part in message.walk():
                    if part.get_content_type() == "text/plain":
                        payload = part.get_payload(decode=True)
                        body = payload.decode() if isinstance(payload, bytes) else ""
                        break
                found.append(
                    Mail(
                        to=str(message["To"]),
                        subject=str(message["Subject"]),
                        body=body,
                        headers={k: str(v) for k, v in message.items()},
                    )
                )
        return found

    def wait_for(self, what: Callable[[], Any], *, timeout: float = 60, why: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = what()
            if value:
                return value
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited:\n{self.tail()}")
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {why or what}:\n{self.tail()}")

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_worker(*, db_name: str, folder: Path) -> RealWorker:
    queue = f"warmpath-test-{os.getpid()}-{secrets.token_hex(4)}"
    mail_dir = folder / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    log = folder / "worker.log"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.notifications.worker_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        WARMPATH_TEST_DB_NAME=db_name,
        WARMPATH_TEST_MAIL_DIR=str(mail_dir),
        CELERY_QUEUE=queue,
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--queues", queue, "--hostname", f"{queue}@%h",
                "--pool", "prefork", "--concurrency", "1",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel", "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    worker = RealWorker(queue=queue, mail_dir=mail_dir, log=log, process=process)
    try:
        worker.wait_for(lambda: b" ready." in log.read_bytes(), timeout=90, why="worker ready")
    except BaseException:
        worker.stop()
        raise
    return worker
