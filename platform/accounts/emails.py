"""Account emails in the practice's name: invitations, address confirmations, password resets
and every other message allauth sends (`accounts.adapters`).

A person who gets one of these knows their coach's practice, not the host it runs on: the
subject starts with the practice's name, the sender reads "<practice> via Warmpath", the
greeting and the signature name the practice, and each has a plain-text and an HTML part
(`accounts/email/_layout.html`, like the notifications' emails).
"""

from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.template.loader import render_to_string

from tenants.branding import logo_url
from tenants.models import Practice
from tenants.provisioning import practice_url

PRODUCT = "Warmpath"


@dataclass(frozen=True, slots=True)
class PracticeSite:
    """What allauth's templates call `current_site`: the practice, never the bare host."""

    name: str
    domain: str


def current_practice() -> Practice | None:
    """The practice whose schema the connection is in (a request's host, or `schema_context`)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Practice) and tenant.schema_name != "public":
        return tenant
    schema = getattr(connection, "schema_name", "public")
    if schema == "public":
        return None
    return Practice.objects.filter(schema_name=schema).first()


def practice_name(practice: Practice | None = None) -> str:
    practice = practice or current_practice()
    return (practice.name if practice else "") or "your coaching practice"


def practice_site(practice: Practice | None = None) -> PracticeSite:
    practice = practice or current_practice()
    url = practice_url(slug=practice.slug or "") if practice else ""
    return PracticeSite(name=practice_name(practice), domain=url)


def from_address(practice: Practice | None = None) -> str:
    """DEFAULT_FROM_EMAIL's address with the practice as the sender's name."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    practice = practice or current_practice()
    if practice is None or not address:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((f"{practice_name(practice)} via {PRODUCT}", address))


def subject_line(subject: str, practice: Practice | None = None) -> str:
    """`ACCOUNT_EMAIL_SUBJECT_PREFIX` when an operator set one, else the practice's name."""
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", None)
    if prefix is None:
        prefix = f"{practice_name(practice)}: "
    return f"{prefix}{subject}"


def branding(practice: Practice | None = None) -> dict[str, Any]:
    """What every account email's templates read about the practice."""
    practice = practice or current_practice()
    site = practice_site(practice)
    logo = logo_url(practice)
    return {
        "practice_name": site.name,
        "practice_url": site.domain,
        "current_site": site,
        # the logo's absolute address on the practice's host (tenants.branding); None without
        "practice_logo_url": f"{site.domain}{logo}" if logo and site.domain else None,
    }


def practice_mail(*, template: str, to: list[str], subject: str, context: dict[str, Any]) -> None:
    """Send `accounts/email/<template>.txt` and `.html` in the practice's name."""
    practice = current_practice()
    full = {**context, **branding(practice), "subject": subject}
    text = render_to_string(f"accounts/email/{template}.txt", full).strip() + "\n"
    html = render_to_string(f"accounts/email/{template}.html", full)
    message = EmailMultiAlternatives(
        subject=subject_line(subject, practice),
        body=text,
        from_email=from_address(practice),
        to=to,
    )
    message.attach_alternative(html, "text/html")
    message.send()
