"""Owners confirm their email address before they can hand out access.

Someone who signs a practice up on the public site could type any address; until the owner opens
the link sent to it, the practice cannot invite people, issue API keys, add webhooks or pay.
The link is allauth's email confirmation with a random key stored in the practice's own schema
(`ACCOUNT_EMAIL_CONFIRMATION_HMAC = False`): a key from practice A finds nothing on practice B.

Owners created by an operator (`create_practice`, the demo) have no address on record here and
are trusted as the operator vouched for them.
"""

from allauth.account.models import EmailAddress, EmailConfirmation
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.emails import practice_mail
from accounts.models import User
from tenants.models import Practice
from tenants.provisioning import practice_url


def email_confirmation_pending(*, user: User) -> bool:
    """Whether this person's address still waits for its confirmation link: a primary address
    not yet confirmed and none confirmed. Only signup records one (primary:
    `email_confirmation_send`); allauth's email page adds a non-primary unconfirmed record for
    a user it has none for (an owner created by an operator, say), which must not lock them out
    of inviting or paying."""
    addresses = EmailAddress.objects.filter(user=user)
    return (
        addresses.filter(verified=False, primary=True).exists()
        and not addresses.filter(verified=True).exists()
    )


def ensure_email_confirmed(*, actor: User) -> None:
    if email_confirmation_pending(user=actor):
        raise PermissionDenied(
            f"Confirm your email address first: open the link we sent to {actor.email} "
            "(you can have it sent again from Settings)."
        )


def owner_signup_confirmation(*, practice: Practice, owner: User) -> None:
    """After a signup on the public site: the new owner's address waits for its link."""
    with schema_context(practice.schema_name):
        email_confirmation_send(user=owner, base_url=practice_url(slug=practice.slug or ""))


def email_confirmation_send(*, user: User, base_url: str) -> None:
    """Record the address as waiting (if it is not yet) and email a fresh confirmation link."""
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": False}
    )
    if address.verified:
        return
    confirmation = EmailConfirmation.create(address)
    path = reverse("account_confirm_email", args=[confirmation.key], urlconf=settings.ROOT_URLCONF)
    link = base_url + path
    days = settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS
    practice_mail(
        template="email_confirmation",
        to=[user.email],
        subject="Confirm your email address",
        context={"user": user, "link": link, "days": days},
    )
    confirmation.sent = timezone.now()  # the link expires this long after it was sent
    confirmation.save(update_fields=["sent"])
