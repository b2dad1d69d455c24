"""The whole inbound-mail path for the worker test and the SMTP benchmark: a practice with
clients and their private addresses (committed: the SMTP server's threads and the worker are
other sessions), the real aiosmtpd server, a real Celery worker on the embedded Redis consuming
a queue of its own, and mail sent through real SMTP sessions (`smtplib`).

The worker is started in a process group of its own, so `kill()` can SIGKILL it with its pool
children at once (by that group's id), the way a node dies; nothing else is touched.
"""

from __future__ import annotations

import os
import secrets
import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "smtp-worker-password-123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Worker:
    queue: str
    log: Path
    process: subprocess.Popen[bytes]

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the worker and its pool children (the process group this harness made)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def start_worker(
    *, db_name: str, folder: Path, queue: str | None = None, concurrency: int = 1
) -> Worker:
    """`celery -A config worker` on `queue` (a fresh one by default) against `db_name`."""
    queue = queue or f"warmpath-capture-{os.getpid()}-{secrets.token_hex(4)}"
    mail_dir = folder / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    log = folder / f"worker-{secrets.token_hex(3)}.log"
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
                "--queues", queue, "--hostname", f"{queue}-{secrets.token_hex(2)}@%h",
                "--pool", "prefork", "--concurrency", str(concurrency),
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel", "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() reaches the pool too
        )  # fmt: skip
    worker = Worker(queue=queue, log=log, process=process)
    try:
        wait_for(
            lambda: b"ready." in log.read_bytes() or _alive(worker),
            timeout=120,
            why="the worker to start",
        )
    except BaseException:
        worker.stop()
        raise
    return worker


def _alive(worker: Worker) -> bool:
    if worker.process.poll() is not None:
        raise AssertionError(f"the worker exited:\n{worker.tail()}")
    return False


def wait_for(what: Callable[[], Any], *, timeout: float, why: str, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {why}")


@contextmanager
def tasks_to(queue: str) -> Iterator[None]:
    """Send the capture task (from inbound_accept and the sweeper) to `queue`."""
    from coaching.capture.tasks import inbound_mail_task

    def delay(*args: Any) -> Any:
        return inbound_mail_task.apply_async(args, queue=queue)

    inbound_mail_task.delay = delay  # type: ignore[method-assign]
    try:
        yield
    finally:
        del inbound_mail_task.delay


@dataclass
class Mailbox:
    """A client who sends mail to their own private address."""

    schema_name: str
    client_id: int
    email: str
    address: str


def practice_with_clients(*, slug: str, clients: int) -> tuple[Any, list[Mailbox]]:
    """A new practice (a spare is made first, then claimed) with `clients` clients, each with a
    live private address. Committed; the caller drops the practice."""
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from coaching.capture.addresses import address_text, inbound_address_rotate
    from coaching.services import client_create
    from tenants.provisioning import practice_create, spare_create

    spare_create()
    practice = practice_create(
        name=f"Capture {slug}", slug=slug, owner_name="Owner",
        owner_email=f"owner@{slug}.example.com", password=PASSWORD,
    ).practice  # fmt: skip
    boxes = []
    with schema_context(practice.schema_name):
        coach = User.objects.create_user(
            f"coach@{slug}.test", PASSWORD, name="Cora", role=Role.COACH
        )
        for n in range(clients):
            user = User.objects.create_user(
                f"client{n}@{slug}.test", PASSWORD, name=f"Cleo {n}", role=Role.CLIENT
            )
            client = client_create(
                actor=coach, user=user, coach=coach, search_started_on=date(2024, 1, 1)
            )
            address = address_text(
                inbound_address_rotate(client=client, actor=user),
                slug=practice.slug or "", schema_name=practice.schema_name,
            )  # fmt: skip
            boxes.append(Mailbox(practice.schema_name, client.pk, user.email, address))
    return practice, boxes


def bcc_message(box: Mailbox, n: int, *, tag: str) -> tuple[str, bytes]:
    """The client's n-th outreach, sent to one person with the private address in BCC (as a
    mail program writes it: no Bcc header). Returns (Message-ID, the raw message)."""
    message = EmailMessage()
    message["From"] = f"Cleo <{box.email}>"
    message["To"] = f"Person {n} <person{n}@company{n % 50}.test>"
    message["Subject"] = f"Quick question {n}"
    sent = datetime(2024, 3, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=n)
    message["Date"] = format_datetime(sent)
    message_id = f"<{tag}.{n}@mail.example.test>"
    message["Message-ID"] = message_id
    message.set_content(f"Hello person {n},\n\nWould you have 20 minutes next week?\n" * 3)
    return message_id, message.as_bytes()


def send_all(*, port: int, deliveries: list[tuple[str, str, bytes]], per_session: int = 1) -> None:
    """Deliver (envelope sender, recipient, raw) over real SMTP sessions, `per_session`
    messages on each connection (an MTA reuses one for a queue of mail to the same host)."""
    for start in range(0, len(deliveries), per_session):
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            for sender, recipient, raw in deliveries[start : start + per_session]:
                smtp.sendmail(sender, [recipient], raw)
