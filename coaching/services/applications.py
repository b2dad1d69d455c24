"""Writes to opportunities: postings applied to and roles an introduction aims at."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from coaching.access import ensure_can_write
from coaching.choices import ApplicationSource, ApplicationStatus, ClientStatus, FitRating
from coaching.models import Application, Client
from coaching.normalize import clean_text, company_key
from coaching.services.activity import activity_record, apply_changes, field_values, save_changes
from coaching.services.removal import record_remove
from coaching.timezones import local_date
from coaching.validation import Errors, unknown_fields

APPLICATION_FIELDS = (
    "company",
    "role",
    "role_family",
    "source",
    "posting_seen_on",
    "posting_url",
    "first_outreach_on",
    "fit_rating",
    "status",
    "applied_on",
    "last_employer_contact_on",
    "last_client_action_on",
    "note",
)
_DAYS = ("posting_seen_on", "first_outreach_on", "applied_on", "last_employer_contact_on",
         "last_client_action_on")  # fmt: skip


def _clean(
    errors: Errors, data: dict[str, Any], *, client: Client, actor: User, now: datetime
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field, limit in (("company", 200), ("role", 200), ("role_family", 100)):
        if field in data:
            clean[field] = clean_text(str(data[field] or ""))
            errors.max_length(field, clean[field], limit)
    for field in ("company", "role"):
        if field in clean and not clean[field]:
            errors.add(field, "This field is required.")
    if "company" in clean:
        clean["company_key"] = company_key(clean["company"])
    for field, choices in (
        ("source", ApplicationSource),
        ("status", ApplicationStatus),
        ("fit_rating", FitRating),
    ):
        if field in data:
            errors.choice(field, data[field], choices)
            clean[field] = data[field]
    if (
        clean.get("fit_rating", FitRating.UNRATED) != FitRating.UNRATED
        and actor.role == Role.CLIENT
    ):
        errors.add("fit_rating", "Only the coach rates how well a role fits.")
    for field in _DAYS:
        if field in data:
            errors.day_not_future(field, data[field], client=client, now=now)
            clean[field] = data[field]
    if "note" in data:
        clean["note"] = str(data["note"] or "").strip()
    if "posting_url" in data:
        clean["posting_url"] = _posting_url(errors, str(data["posting_url"] or "").strip())
    return clean


def _posting_url(errors: Errors, url: str) -> str:
    """A web address (https:// added when left out), or empty."""
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors.add(
            "posting_url", "Enter the posting's web address, like https://example.com/jobs/1."
        )
    if len(url) > 500:
        errors.add("posting_url", "Use at most 500 characters.")
    return url


def _land_client(client: Client, *, actor: User, now: datetime) -> None:
    """An accepted offer lands the client: nobody should have to record it twice."""
    if client.status == ClientStatus.LANDED:
        return
    landed_on = local_date(at=now, tz=client.time_zone)
    changed, diff = apply_changes(client, {"status": ClientStatus.LANDED, "landed_on": landed_on})
    save_changes(client, changed)
    activity_record(
        client=client, actor=actor, verb="client.status_changed", subject=client, changes=diff
    )


@transaction.atomic
def application_create(
    *,
    client: Client,
    actor: User,
    company: str,
    role: str,
    source: str,
    role_family: str = "",
    posting_seen_on: date | None = None,
    posting_url: str = "",
    first_outreach_on: date | None = None,
    fit_rating: str = FitRating.UNRATED,
    status: str = ApplicationStatus.APPLIED,
    applied_on: date | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Application:
    now = now or timezone.now()
    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    clean = _clean(
        errors,
        {
            "company": company,
            "role": role,
            "role_family": role_family,
            "source": source,
            "posting_seen_on": posting_seen_on,
            "posting_url": posting_url,
            "first_outreach_on": first_outreach_on,
            "fit_rating": fit_rating,
            "status": status,
            "applied_on": applied_on,
            "note": note,
        },
        client=client,
        actor=actor,
        now=now,
    )
    errors.raise_if_any()
    application = Application.objects.create(client=client, **clean)
    activity_record(
        client=client,
        actor=actor,
        verb="application.created",
        subject=application,
        changes=field_values(application, APPLICATION_FIELDS),
    )
    if application.status == ApplicationStatus.ACCEPTED:
        _land_client(client, actor=actor, now=now)
    return application


@transaction.atomic
def application_update(
    *, application: Application, actor: User, data: dict[str, Any], now: datetime | None = None
) -> Application:
    """Change any of `APPLICATION_FIELDS`; accepting an offer marks the client landed."""
    now = now or timezone.now()
    client = application.client
    ensure_can_write(actor=actor, client=client)
    errors = unknown_fields(data, APPLICATION_FIELDS)
    clean = _clean(errors, data, client=client, actor=actor, now=now)
    if "fit_rating" in clean and actor.role == Role.CLIENT and "fit_rating" not in errors:
        errors.add("fit_rating", "Only the coach rates how well a role fits.")
    errors.raise_if_any()
    changed, diff = apply_changes(application, clean)
    save_changes(application, changed)
    diff.pop("company_key", None)
    if diff:
        activity_record(
            client=client,
            actor=actor,
            verb="application.updated",
            subject=application,
            changes=diff,
        )
    if "status" in changed and application.status == ApplicationStatus.ACCEPTED:
        _land_client(client, actor=actor, now=now)
    return application


@transaction.atomic
def application_remove(*, application: Application, actor: User) -> None:
    """Take out an application recorded by mistake; introductions and meetings that pointed at it
    stay, without the link. The timeline keeps what it said."""
    record_remove(
        record=application,
        client=application.client,
        actor=actor,
        record_type="application",
        fields=APPLICATION_FIELDS,
        coach_only=True,
    )
