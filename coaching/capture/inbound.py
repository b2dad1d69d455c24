"""Receiving mail for a client's address: the one way in shared by the SMTP server
(`coaching/capture/smtp.py`) and the provider endpoint (`api/capture.py`).

`recipient_resolve` answers the SMTP RCPT question; `inbound_store` (or `inbound_accept`, which
resolves first) stores the message as a job row (`InboundMail`) in the practice's schema and
queues the worker once that commits (the sweeper sends it again if the broker was away). A
Message-ID already received for the client is a no-op. Unknown, forged, other-practice and
revoked addresses are all simply unknown: the caller answers them the same way, so nobody can
probe which clients exist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser

from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from coaching.capture.addresses import address_for_token, parse_recipient
from coaching.capture.models import InboundAddress, InboundMail
from config.celery_app import enqueue_on_commit
from tenants.models import Practice


@dataclass(frozen=True, slots=True)
class Accepted:
    schema_name: str
    mail_id: int
    duplicate: bool


def _practice_schema(slug: str) -> str | None:
    with schema_context("public"):
        return (
            Practice.objects.live().filter(slug=slug).values_list("schema_name", flat=True).first()
        )


@dataclass(frozen=True, slots=True)
class Recipient:
    """A live client address, resolved: the practice's schema and the address row."""

    schema_name: str
    address: InboundAddress


def recipient_resolve(recipient: str) -> Recipient | None:
    """The live client address `recipient` names; None for anything else (unknown, forged,
    another practice's, revoked: all the same to the caller)."""
    parsed = parse_recipient(recipient)
    if parsed is None:
        return None
    schema_name = _practice_schema(parsed.slug)
    if schema_name is None:
        return None
    with schema_context(schema_name):
        address = address_for_token(parsed.token, schema_name=schema_name)
    return Recipient(schema_name, address) if address is not None else None


def recipient_known(recipient: str) -> bool:
    return recipient_resolve(recipient) is not None


def message_id_of(raw: bytes) -> str:
    """The message's Message-ID, or (when it has none) a digest of the whole message."""
    headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    try:
        value = str(headers.get("Message-ID") or "").strip()
    except Exception:  # a header so broken it cannot be read
        value = ""
    return value[:500] or "sha256:" + hashlib.sha256(raw).hexdigest()


def inbound_accept(*, recipient: str, raw: bytes, via: str) -> Accepted | None:
    """Store `raw` for the client `recipient` names; None when the address is unknown."""
    resolved = recipient_resolve(recipient)
    if resolved is None:
        return None
    return inbound_store(recipient=resolved, raw=raw, via=via)


def inbound_store(*, recipient: Recipient, raw: bytes, via: str) -> Accepted:
    """Store `raw` for a resolved address (the SMTP server resolved it at RCPT) and queue the
    worker once that commits. One INSERT in the common case; the unique Message-ID per client
    turns a redelivery (or the same message arriving twice at once) into a no-op."""
    from coaching.capture.tasks import inbound_mail_task  # the task module imports this one

    address = recipient.address
    message_id = message_id_of(raw)
    with schema_context(recipient.schema_name):
        try:
            with transaction.atomic():
                mail = InboundMail.objects.create(
                    client_id=address.client_id,
                    address=address,
                    message_id=message_id,
                    via=via,
                    raw=raw,
                )
                enqueue_on_commit(inbound_mail_task, mail.pk)
        except IntegrityError:  # received before: a redelivery
            pk = InboundMail.objects.get(client_id=address.client_id, message_id=message_id).pk
            return Accepted(recipient.schema_name, pk, duplicate=True)
    return Accepted(recipient.schema_name, mail.pk, duplicate=False)
