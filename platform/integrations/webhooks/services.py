"""Writes for webhooks: emitting events, attempting deliveries, re-sending, managing endpoints.

Events come from the domain's one dispatch point (`coaching.events.announce`), to which
`integrations.apps` subscribes `deliver_domain_event`. `webhook_emit` records a delivery per
subscribed endpoint inside the caller's transaction and queues the sending once that transaction
commits, so a rolled-back change never announces itself.
"""

import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.verification import ensure_email_confirmed
from audit.actions import AuditAction
from audit.services import audit_record
from config import locks
from config.celery_app import enqueue
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from integrations.webhooks import egress
from integrations.webhooks.events import Event
from integrations.webhooks.signing import SIGNATURE_HEADER, new_secret, secret_is_ours, sign

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6  # the first try and five retries
BACKOFF_BASE_SECONDS = 30  # 30 s, 2 min, 8 min, 32 min, ~2 h between attempts
DISABLE_AFTER_FAILED_DELIVERIES = 5  # consecutive deliveries that exhausted their retries


def backoff_seconds(*, attempt: int) -> int:
    """Seconds to wait before retry number `attempt` (1-based): exponential, base 4."""
    return int(BACKOFF_BASE_SECONDS * 4 ** (attempt - 1))


def _practice_slug() -> str:
    from django.db import connection

    tenant = getattr(connection, "tenant", None)
    return str(getattr(tenant, "slug", "") or "")


def webhook_emit(*, event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Record a delivery of `event` to every active endpoint subscribed to it, and send each
    once the surrounding transaction commits. Returns the deliveries (none if nobody listens)."""
    if event not in Event.values:
        raise ValueError(f"Unknown webhook event {event!r}; see integrations.webhooks.events.")
    endpoints = [
        e for e in WebhookEndpoint.objects.filter(is_active=True) if event in (e.events or [])
    ]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    body = json.dumps(
        {
            "id": str(event_id),
            "event": event,
            "created_at": timezone.now().isoformat(),
            "practice": _practice_slug(),
            "data": payload,
        },
        cls=DjangoJSONEncoder,
        sort_keys=True,
        separators=(",", ":"),
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=e, event=event, event_id=event_id, body=body) for e in endpoints
    )
    _queue([d.pk for d in deliveries])
    return deliveries


def deliver_domain_event(sender: object, *, event: str, payload: dict[str, Any], **_: Any) -> None:
    """The receiver of `coaching.events.domain_event`: one delivery per subscribed endpoint."""
    webhook_emit(event=event, payload=payload)


def _queue(delivery_ids: list[int]) -> None:
    """Send the deliveries once the caller commits. A delivery the broker does not take stays
    pending; the sweeper sends it (integrations.webhooks.outbox)."""
    from integrations.webhooks.tasks import webhook_deliver_task  # the task module imports this one

    def send() -> None:
        for pk in delivery_ids:
            enqueue(webhook_deliver_task, pk)

    transaction.on_commit(send)


@dataclass(frozen=True, slots=True)
class AttemptResult:
    ok: bool
    response_code: int | None
    error: str
    duration_ms: int


def _post(*, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> AttemptResult:
    """One attempt through `egress`, which refuses private addresses (unless
    WEBHOOKS_ALLOW_PRIVATE_NETWORKS is on), never follows redirects, and caps time and size."""
    started = time.monotonic()
    if not secret_is_ours(endpoint.secret):
        error = (
            "The endpoint's signing secret was not made for this practice, so nothing was sent. "
            "Make a new secret on the webhook's page and give it to the receiver."
        )
        return AttemptResult(False, None, error, _ms_since(started))
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Warmpath-Webhooks/1",
        SIGNATURE_HEADER: sign(secret=endpoint.secret, body=delivery.body, timestamp=timestamp),
        "Warmpath-Event": delivery.event,
        "Warmpath-Event-Id": str(delivery.event_id),
        "Warmpath-Delivery": str(delivery.pk),
    }
    try:
        answer = egress.post(
            url=endpoint.url,
            body=delivery.body.encode(),
            headers=headers,
            allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS,
        )
    except egress.DeliveryError as exc:
        return AttemptResult(False, None, str(exc)[:500], _ms_since(started))
    code = answer.status
    if 200 <= code < 300:
        return AttemptResult(True, code, "", _ms_since(started))
    if 300 <= code < 400:
        error = (
            f"The receiver answered {code}, a redirect; Warmpath does not follow redirects. "
            "Set the endpoint to the final address."
        )
    else:
        error = f"The receiver answered {code}."
    return AttemptResult(False, code, error, _ms_since(started))


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery:
    """Send one delivery once and log the attempt. The caller (the Celery task) decides whether
    to retry; `delivery_give_up` ends a delivery whose attempts are used up."""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = "The endpoint is disabled."
        delivery.save(update_fields=["status", "error", "updated_at"])
        return delivery
    result = _post(endpoint=endpoint, delivery=delivery)
    now = now or timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code = result.response_code
    delivery.error = result.error
    delivery.log = [
        *delivery.log,
        {
            "at": now.isoformat(),
            "response_code": result.response_code,
            "error": result.error,
            "duration_ms": result.duration_ms,
        },
    ]
    if result.ok:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts < MAX_ATTEMPTS:
        delivery.next_attempt_at = now + timedelta(
            seconds=backoff_seconds(attempt=delivery.attempts)
        )
    delivery.save()
    if result.ok and endpoint.consecutive_failures:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    return delivery


# A duplicate of an attempt's message that arrives this early is still treated as due (clocks
# of two workers differ a little).
DUE_TOLERANCE = timedelta(seconds=5)


def delivery_attempt_once(
    *, delivery_id: int, attempt: int | None, now: datetime | None = None
) -> tuple[WebhookDelivery, bool]:
    """Make attempt number `attempt` (1-based) of a delivery, at most once however many copies
    of its message run: the attempt is made under an advisory lock named after the delivery,
    and only if the delivery is still pending with exactly `attempt - 1` attempts made. Without
    a number (the first send, the sweeper's re-send) the next attempt is made if it is due.
    Returns the delivery and whether this call made the attempt."""
    now = now or timezone.now()
    with locks.try_lock(locks.practice_lock_name("webhook-delivery", delivery_id)) as held:
        delivery = WebhookDelivery.objects.get(pk=delivery_id)
        if not held or delivery.status != DeliveryStatus.PENDING:
            return delivery, False  # another run is making it, or the delivery ended
        if attempt is not None and delivery.attempts != attempt - 1:
            return delivery, False  # this attempt was made already: a duplicate message
        due = delivery.next_attempt_at is None or delivery.next_attempt_at <= now + DUE_TOLERANCE
        if attempt is None and not due:
            return delivery, False  # waiting for its retry, which another message carries
        return delivery_attempt(delivery_id=delivery_id, now=now), True


@transaction.atomic
def delivery_give_up(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery:
    """Every attempt failed: mark the delivery failed and count it against its endpoint, which
    is disabled (and the owner told) after DISABLE_AFTER_FAILED_DELIVERIES in a row."""
    now = now or timezone.now()
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery
    delivery.status = DeliveryStatus.FAILED
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    endpoint.consecutive_failures += 1
    endpoint.save(update_fields=["consecutive_failures", "updated_at"])
    if endpoint.is_active and endpoint.consecutive_failures >= DISABLE_AFTER_FAILED_DELIVERIES:
        _disable(endpoint, now=now, last_error=delivery.error)
    return delivery


def _disable(endpoint: WebhookEndpoint, *, now: datetime, last_error: str) -> None:
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = (
        f"{endpoint.consecutive_failures} deliveries in a row failed; last error: {last_error}"
    )[:300]
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    owners = list(
        User.objects.filter(role=Role.OWNER, is_active=True).values_list("email", flat=True)
    )
    if owners:
        message = (
            f"Warmpath stopped sending webhooks to {endpoint.url}: "
            f"{endpoint.consecutive_failures} deliveries in a row failed "
            f"after {MAX_ATTEMPTS} attempts each.\n\nLast error: {last_error}\n\n"
            "Fix the receiver, then turn the endpoint back on (PATCH /api/v1/webhooks/"
            f"{endpoint.pk}/ with is_active=true) and re-send what it missed."
        )
        transaction.on_commit(
            lambda: send_mail(
                subject="Webhook endpoint disabled",
                message=message,
                from_email=None,
                recipient_list=owners,
                fail_silently=True,
            )
        )
    logger.warning("webhook endpoint %s disabled: %s", endpoint.pk, endpoint.disabled_reason)


def _check_endpoint(url: Any, events: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if url is not None:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = ["Enter an http:// or https:// address."]
    if events is not None:
        if not isinstance(events, list) or not events:
            errors["events"] = ["Pick at least one event."]
        else:
            unknown = sorted({str(e) for e in events} - set(Event.values))
            if unknown:
                errors["events"] = [
                    f"Unknown event(s): {', '.join(unknown)}; use: {', '.join(Event.values)}."
                ]
    return errors


@transaction.atomic
def endpoint_create(
    *, actor: User, url: str, events: list[str], description: str = ""
) -> WebhookEndpoint:
    ensure_email_confirmed(actor=actor)
    errors = _check_endpoint(url, events)
    if errors:
        raise ValidationError(errors)
    endpoint = WebhookEndpoint.objects.create(
        url=url,
        events=sorted(set(events)),
        description=description.strip(),
        secret=new_secret(),
        created_by=actor,
    )
    audit_record(
        action=AuditAction.WEBHOOK_CREATED,
        actor=actor,
        target=endpoint,
        target_label=url,
        details={"events": endpoint.events},
    )
    return endpoint


@transaction.atomic
def endpoint_update(
    *, actor: User, endpoint: WebhookEndpoint, data: dict[str, Any]
) -> WebhookEndpoint:
    """Change the URL, events, description, or switch it on/off. Switching a disabled endpoint
    back on clears its failure count."""
    errors = _check_endpoint(data.get("url"), data.get("events"))
    if errors:
        raise ValidationError(errors)
    if "url" in data:
        endpoint.url = data["url"]
    if "events" in data:
        endpoint.events = sorted(set(data["events"]))
    if "description" in data:
        endpoint.description = str(data["description"]).strip()
    if "is_active" in data:
        if data["is_active"] and not endpoint.is_active:
            endpoint.consecutive_failures = 0
            endpoint.disabled_at = None
            endpoint.disabled_reason = ""
        endpoint.is_active = bool(data["is_active"])
    endpoint.save()
    audit_record(
        action=AuditAction.WEBHOOK_CHANGED,
        actor=actor,
        target=endpoint,
        target_label=endpoint.url,
        details={key: value for key, value in data.items() if key != "secret"},
    )
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, actor: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    audit_record(
        action=AuditAction.WEBHOOK_SECRET_ROTATED,
        actor=actor,
        target=endpoint,
        target_label=endpoint.url,
    )
    return endpoint


@transaction.atomic
def endpoint_remove(*, actor: User, endpoint: WebhookEndpoint) -> None:
    """Stop sending to this endpoint for good; its delivery log goes with it."""
    audit_record(
        action=AuditAction.WEBHOOK_REMOVED,
        actor=actor,
        target=endpoint,
        target_label=endpoint.url,
    )
    endpoint.delete()


@transaction.atomic
def endpoint_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test delivery to this endpoint only, whatever events it picked."""
    errors = {} if endpoint.is_active else {"is_active": ["Turn the endpoint on first."]}
    if errors:
        raise ValidationError(errors)
    body = json.dumps(
        {
            "id": str(uuid.uuid4()),
            "event": Event.PING.value,
            "created_at": timezone.now().isoformat(),
            "practice": _practice_slug(),
            "data": {"message": "Hello from Warmpath."},
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=Event.PING, event_id=json.loads(body)["id"], body=body
    )
    _queue([delivery.pk])
    return delivery


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again by hand: a new delivery with the same body and event id (so the
    receiver can tell it is the same event), signed afresh when it goes out."""
    if not delivery.endpoint.is_active:
        raise ValidationError(
            {"endpoint": ["The endpoint is disabled; turn it back on before re-sending."]}
        )
    again = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        event=delivery.event,
        event_id=delivery.event_id,
        body=delivery.body,
        redelivery_of=delivery,
    )
    _queue([again.pk])
    return again
