"""The inbound SMTP server (aiosmtpd): mail to `log+<token>@<slug>.<INBOUND_MAIL_DOMAIN>`
becomes a job row for the worker.

- RCPT: an address that is not a live client address (unknown, forged, another practice's,
  revoked) gets the same `550 5.1.1` as any unknown recipient.
- SIZE is advertised; a larger message is refused with `552` before it is read.
- DATA: each recipient's copy is stored (`coaching.capture.inbound.inbound_accept`) before the
  server answers 250, so an accepted message is never lost; a Message-ID already received is
  accepted and ignored.

Database work runs in pool threads (the ORM is synchronous), each closing its connection after.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections, connections

from coaching.capture.inbound import inbound_accept, recipient_known

logger = logging.getLogger(__name__)

UNKNOWN_RECIPIENT = "550 5.1.1 No such recipient here"


def _in_thread(fn: Any, *args: Any) -> Any:
    close_old_connections()
    try:
        return fn(*args)
    finally:
        connections.close_all()  # a pool thread may sit idle for long: hold no session


class InboundHandler:
    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if not await asyncio.to_thread(_in_thread, recipient_known, address):
            return UNKNOWN_RECIPIENT
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        for recipient in envelope.rcpt_tos:
            try:
                accepted = await asyncio.to_thread(_in_thread, _accept, recipient, raw)
            except Exception:
                logger.exception("inbound mail for a client could not be stored")
                return "451 4.3.0 Could not store the message; try again later"
            if accepted is None:  # revoked between RCPT and DATA
                return UNKNOWN_RECIPIENT
        return "250 2.0.0 Message accepted"


def _accept(recipient: str, raw: bytes) -> object:
    return inbound_accept(recipient=recipient, raw=raw, via="smtp")


def make_controller(*, host: str | None = None, port: int | None = None) -> Controller:
    return Controller(
        InboundHandler(),
        hostname=host or settings.INBOUND_SMTP_HOST,
        port=settings.INBOUND_SMTP_PORT if port is None else port,
        data_size_limit=settings.INBOUND_MAIL_MAX_BYTES,
        server_hostname=settings.INBOUND_MAIL_DOMAIN,
        decode_data=False,
        ready_timeout=10,
    )
