"""`Idempotency-Key` on POST: a retried request replays the first response instead of acting
twice. Records are per acting person and key, hold a hash of the request (method, path, body)
and the response, and expire after 24 hours.

The whole request runs in one transaction with its record, so "created" and "remembered that it
was created" commit together. A concurrent duplicate waits on the record's unique index and then
replays. Only successful (2xx) responses are kept: a request that failed can be fixed and sent
again under the same key.
"""

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from integrations.models import IdempotencyRecord

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was already used for a different request (another path or body). "
        "Use a new key for a new request."
    )


class Replay(Exception):
    def __init__(self, record: IdempotencyRecord) -> None:
        self.record = record


def applies(request: Any) -> bool:
    return request.method == "POST" and bool(request.headers.get(HEADER))


def _canonical(value: Any) -> Any:
    if isinstance(value, QueryDict):
        return {k: [_canonical(v) for v in vs] for k, vs in sorted(value.lists())}
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def request_hash(request: Request) -> str:
    body = json.dumps(_canonical(request.data), sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def begin(request: Request) -> IdempotencyRecord:
    """Claim the key for this request, or raise `Replay` / `KeyReused`. Call inside the
    request's transaction, after authentication."""
    key = request.headers[HEADER].strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {HEADER: [f"Use 1 to {MAX_KEY_LENGTH} printable characters, e.g. a UUID."]}
        )
    digest = request_hash(request)
    actor: User = request.user  # type: ignore[assignment]
    existing = _locked(actor_id=actor.pk, key=key)
    if existing is not None:
        return _settle(existing, digest=digest)
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                actor=actor,
                key=key,
                request_hash=digest,
                method=request.method or "POST",
                path=request.path[:500],
            )
    except IntegrityError:
        # A concurrent request with the same key committed first: settle against it.
        record = _locked(actor_id=actor.pk, key=key)
        assert record is not None
        return _settle(record, digest=digest)


def _locked(*, actor_id: int | None, key: str) -> IdempotencyRecord | None:
    record = (
        IdempotencyRecord.objects.select_for_update().filter(actor_id=actor_id, key=key).first()
    )
    if record is not None and record.created_at < timezone.now() - TTL:
        record.delete()
        return None
    return record


def _settle(record: IdempotencyRecord, *, digest: str) -> IdempotencyRecord:
    if record.request_hash != digest:
        raise KeyReused()
    raise Replay(record)


def finish(record: IdempotencyRecord, response: Response) -> None:
    """Keep a success for replay; forget anything else (the transaction rolls the claim back)."""
    if 200 <= response.status_code < 300:
        record.response_status = response.status_code
        record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
        record.save(update_fields=["response_status", "response_body"])
    else:
        transaction.set_rollback(True)


def expired_purge(*, now: datetime | None = None) -> int:
    """Delete this practice's records older than TTL; returns how many. A record past its TTL
    can never be replayed (`_locked` ignores it), so keeping it only holds a copy of a response
    body (personal data, often) for no reason. Beat runs this hourly in every practice
    (`api.tasks.idempotency_purge_task`)."""
    cutoff = (now or timezone.now()) - TTL
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def replay_response(record: IdempotencyRecord) -> Response:
    return Response(
        record.response_body,
        status=record.response_status or status.HTTP_200_OK,
        headers={"Idempotent-Replayed": "true"},
    )
