"""Joining a practice through an invitation: the account and, for a client, their search, in one
transaction, so a failure leaves neither behind."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import invitation_accept, invitation_for_token
from coaching.services.clients import client_create


@transaction.atomic
def member_join(*, token: str, name: str, password: str, time_zone: str) -> User:
    invitation = invitation_for_token(token=token)
    user = invitation_accept(token=token, name=name, password=password)
    if user.role == Role.CLIENT:
        client_create(
            actor=invitation.invited_by,
            user=user,
            coach=invitation.coach or invitation.invited_by,
            search_started_on=timezone.localdate(),
            time_zone=time_zone,
        )
    return user
