"""The inbound SMTP server (aiosmtpd): mail to `log+<token>@<slug>.<INBOUND_MAIL_DOMAIN>`
becomes a job row for the worker.

- RCPT: an address that is not a live client address (unknown, forged, another practice's,
  revoked) gets the same `550 5.1.1` as any unknown recipient. A known one is resolved here,
  once, and the session keeps what it found for DATA.
- SIZE is advertised; a larger message is refused with `552` before it is read.
- DATA: each recipient's copy is stored (`coaching.capture.inbound.inbound_store`) before the
  server answers 250, so an accepted message is never lost; a Message-ID already received is
  accepted and ignored.

Database work runs in a small pool of threads of the server's own (the ORM is synchronous).
Each thread keeps its database session between messages, like a web worker between requests
(`close_old_connections` before and after each call ends one older than CONN_MAX_AGE or
broken), so a busy server does not open a new session for every RCPT and DATA; the pool's size
bounds how many sessions the server holds.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections, connections

from coaching.capture.inbound import Recipient, inbound_store, recipient_resolve

logger = logging.getLogger(__name__)

UNKNOWN_RECIPIENT = "550 5.1.1 No such recipient here"
DATABASE_THREADS = 4


def _with_session(fn: Any, *args: Any) -> Any:
    close_old_connections()
    try:
        return fn(*args)
    finally:
        close_old_connections()


class InboundHandler:
    def __init__(self, *, threads: int = DATABASE_THREADS) -> None:
        self.threads = threads
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="inbound-smtp")

    def close(self) -> None:
        """End every pool thread's database session, then the pool (when the server stops)."""
        threads = self.threads
        barrier = threading.Barrier(threads, timeout=30)

        def release() -> None:
            barrier.wait()  # every thread takes exactly one of these
            connections.close_all()

        for future in [self.pool.submit(release) for _ in range(threads)]:
            future.result()
        self.pool.shutdown()

    async def _run(self, fn: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, _with_session, fn, *args)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        resolved = await self._run(recipient_resolve, address)
        if resolved is None:
            return UNKNOWN_RECIPIENT
        envelope.rcpt_tos.append(address)
        _resolved(envelope)[address] = resolved
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        for recipient in envelope.rcpt_tos:
            resolved = _resolved(envelope).get(recipient)
            if resolved is None:  # not resolved at RCPT in this session: refuse, to be safe
                return UNKNOWN_RECIPIENT
            try:
                await self._run(_store, resolved, raw)
            except Exception:
                logger.exception("inbound mail for a client could not be stored")
                return "451 4.3.0 Could not store the message; try again later"
        return "250 2.0.0 Message accepted"


def _resolved(envelope: Envelope) -> dict[str, Recipient]:
    """The addresses resolved at RCPT for this envelope (a new envelope per transaction)."""
    found: dict[str, Recipient] | None = getattr(envelope, "warmpath_recipients", None)
    if found is None:
        found = {}
        envelope.warmpath_recipients = found  # type: ignore[attr-defined]
    return found


def _store(recipient: Recipient, raw: bytes) -> object:
    return inbound_store(recipient=recipient, raw=raw, via="smtp")


class InboundController(Controller):
    """The server; `stop()` also ends the database sessions its threads hold."""

    def stop(self, no_assert: bool = False) -> None:
        super().stop(no_assert=no_assert)
        self.handler.close()


def make_controller(*, host: str | None = None, port: int | None = None) -> InboundController:
    return InboundController(
        InboundHandler(),
        hostname=host or settings.INBOUND_SMTP_HOST,
        port=settings.INBOUND_SMTP_PORT if port is None else port,
        data_size_limit=settings.INBOUND_MAIL_MAX_BYTES,
        server_hostname=settings.INBOUND_MAIL_DOMAIN,
        decode_data=False,
        ready_timeout=10,
    )
