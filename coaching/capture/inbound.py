"""Receiving mail for a client's address: the one way in shared by the SMTP server
(`coaching/capture/smtp.py`) and the provider endpoint (`api/capture.py`).

`recipient_known` answers the SMTP RCPT question; `inbound_accept` stores the message as a job
row (`InboundMail`) in the practice's schema and queues the worker once that commits (the
sweeper sends it again if the broker was away). A Message-ID already received for the client
is a no-op. Unknown, forged, other-practice and revoked addresses are all simply unknown: the
caller answers them the same way, so nobody can probe which clients exist.
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


def _resolve(recipient: str) -> tuple[str, InboundAddress] | None:
    parsed = parse_recipient(recipient)
    if parsed is None:
        return None
    schema_name = _practice_schema(parsed.slug)
    if schema_name is None:
        return None
    with schema_context(schema_name):
        address = address_for_token(parsed.token, schema_name=schema_name)
    return (schema_name, address) if address is not None else None


def recipient_known(recipient: str) -> bool:
    return _resolve(recipient) is not None


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
    from coaching.capture.tasks import inbound_mail_task  # the task module imports this one

    resolved = _resolve(recipient)
    if resolved is None:
        return None
    schema_name, address = resolved
    message_id = message_id_of(raw)
    with schema_context(schema_name):
        existing = InboundMail.objects.filter(
            client_id=address.client_id, message_id=message_id
        ).values_list("pk", flat=True)
        if existing:
            return Accepted(schema_name, existing[0], duplicate=True)
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
        except IntegrityError:  # the same message arrived twice at once
            pk = InboundMail.objects.get(client_id=address.client_id, message_id=message_id).pk
            return Accepted(schema_name, pk, duplicate=True)
    return Accepted(schema_name, mail.pk, duplicate=False)
