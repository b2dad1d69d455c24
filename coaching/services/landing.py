"""A client's status from the coach's page: landing can name the offer taken."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.choices import ApplicationStatus, ClientStatus
from coaching.models import Application, Client
from coaching.services.applications import application_update
from coaching.services.clients import client_set_status
from coaching.validation import Errors


@transaction.atomic
def client_status_with_offer(
    *,
    client: Client,
    actor: User,
    status: str,
    landed_on: date | None = None,
    offer: Application | None = None,
    now: datetime | None = None,
) -> Client:
    """`client_set_status`, and when the client landed with one of their recorded applications,
    that application accepted (both on the timeline, or neither)."""
    now = now or timezone.now()
    errors = Errors()
    errors.belongs("offer", offer, client)
    if offer is not None and status != ClientStatus.LANDED:
        errors.add("offer", "Only a landed client has accepted an offer.")
    errors.raise_if_any()
    client_set_status(client=client, actor=actor, status=status, landed_on=landed_on, now=now)
    if offer is not None and offer.status != ApplicationStatus.ACCEPTED:
        application_update(
            application=offer, actor=actor, data={"status": ApplicationStatus.ACCEPTED}, now=now
        )
    return client
