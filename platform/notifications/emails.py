"""Rendering and sending one email. Links point at the practice's own host, and every email
carries an unsubscribe link (and the one-click `List-Unsubscribe` headers mail apps show)."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.tokens import ALL_TOPICS, current_schema, unsubscribe_token
from tenants.provisioning import practice_url


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def site_url() -> str:
    """The current practice's address, e.g. https://alpha.warmpath.app."""
    tenant = getattr(connection, "tenant", None)
    slug = getattr(tenant, "slug", None) or ""
    return practice_url(slug=slug)


def unsubscribe_url(*, user_id: int, topic: str) -> str:
    token = unsubscribe_token(user_id=user_id, topic=topic)
    return site_url() + reverse("notifications:unsubscribe", args=[token])


def render(
    *, template: str, subject: str, user_id: int, topic: str, context: dict[str, Any]
) -> Rendered:
    """`notifications/email/<template>.txt` and `.html`, inside the shared layout."""
    tenant = getattr(connection, "tenant", None)
    full = {
        **context,
        "subject": subject,
        "practice_name": getattr(tenant, "name", "") or "your practice",
        "site_url": site_url(),
        "preferences_url": site_url() + reverse("notifications:preferences"),
        "unsubscribe_url": unsubscribe_url(user_id=user_id, topic=topic),
        "unsubscribe_all_url": unsubscribe_url(user_id=user_id, topic=ALL_TOPICS),
    }
    text = render_to_string(f"notifications/email/{template}.txt", full).strip() + "\n"
    html = render_to_string(f"notifications/email/{template}.html", full)
    return Rendered(subject=subject, text=text, html=html)


def message_id(*, dedupe_key: str) -> str:
    """The same occasion always gets the same Message-ID, so in the rare case one email is sent
    twice (a worker killed after the mail server accepted it, before the outbox row committed),
    mail systems that de-duplicate by Message-ID show it once."""
    digest = hashlib.sha256(f"{current_schema()}:{dedupe_key}".encode()).hexdigest()[:32]
    return f"<{digest}@{settings.BASE_DOMAIN}>"


def send(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    dedupe_key: str,
    user_id: int,
    topic: str,
) -> None:
    """Hand one email to the configured backend (SMTP or a provider in production, a file or
    the console in development). Raises what the backend raises."""
    link = unsubscribe_url(user_id=user_id, topic=topic)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "Message-ID": message_id(dedupe_key=dedupe_key),
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "X-Warmpath-Notification": dedupe_key.split(":", 1)[0],
        },
        connection=get_connection(fail_silently=False),
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
