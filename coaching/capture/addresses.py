"""Each client's private inbound address, `log+<token>@<slug>.<INBOUND_MAIL_DOMAIN>`.

The token is the address row's random `secret` followed by a MAC of it keyed by
`purpose_salt(Purpose.INBOUND_MAIL, <practice schema>)` (accounts.tokens): a token minted in
practice A fails its check in practice B before any row is looked up, and it is good for
nothing but inbound mail. Lower-case letters and digits only, 28 characters: mail systems may
lower-case a local part, and it must stay under 64 characters. Revoking (or rotating) the row
kills the address at once.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User
from accounts.tokens import Purpose, current_schema, purpose_salt
from coaching.capture.models import InboundAddress
from coaching.capture.review import ensure_is_the_client
from coaching.models import Client

SECRET_LENGTH = 16
MAC_LENGTH = 12
LOCAL_PREFIX = "log+"
_ALPHABET = string.ascii_lowercase + string.digits


def _mac(secret: str, *, schema_name: str) -> str:
    salt = purpose_salt(purpose=Purpose.INBOUND_MAIL, schema_name=schema_name)
    return salted_hmac(salt, secret, algorithm="sha256").hexdigest()[:MAC_LENGTH]


def practice_mail_domain(*, slug: str) -> str:
    return f"{slug}.{settings.INBOUND_MAIL_DOMAIN}"


def address_text(address: InboundAddress, *, slug: str, schema_name: str | None = None) -> str:
    token = address.secret + _mac(address.secret, schema_name=schema_name or current_schema())
    return f"{LOCAL_PREFIX}{token}@{practice_mail_domain(slug=slug)}"


@dataclass(frozen=True, slots=True)
class Recipient:
    slug: str
    token: str


def parse_recipient(recipient: str) -> Recipient | None:
    """The practice slug and token of `log+<token>@<slug>.<inbound domain>`, or None."""
    text = recipient.strip().strip("<>").casefold()
    local, _, domain = text.rpartition("@")
    suffix = "." + settings.INBOUND_MAIL_DOMAIN.casefold()
    if not local.startswith(LOCAL_PREFIX) or not domain.endswith(suffix):
        return None
    slug = domain[: -len(suffix)]
    token = local[len(LOCAL_PREFIX) :]
    if not slug or "." in slug or len(token) != SECRET_LENGTH + MAC_LENGTH:
        return None
    return Recipient(slug=slug, token=token)


def address_for_token(token: str, *, schema_name: str) -> InboundAddress | None:
    """The live address a token names in the current practice, or None (forged, another
    practice's, revoked): the caller answers all of them the same way."""
    secret, mac = token[:SECRET_LENGTH], token[SECRET_LENGTH:]
    if not constant_time_compare(mac, _mac(secret, schema_name=schema_name)):
        return None
    return (
        InboundAddress.objects.select_related("client")
        .filter(secret=secret, revoked_at__isnull=True)
        .first()
    )


def live_address(*, client: Client) -> InboundAddress | None:
    return InboundAddress.objects.filter(client=client, revoked_at__isnull=True).first()


@transaction.atomic
def inbound_address_rotate(*, client: Client, actor: User) -> InboundAddress:
    """A new address for the client; the old one (if any) stops working at once."""
    ensure_is_the_client(actor=actor, client=client)
    inbound_address_revoke(client=client, actor=actor)
    secret = "".join(secrets.choice(_ALPHABET) for _ in range(SECRET_LENGTH))
    return InboundAddress.objects.create(client=client, secret=secret, created_by=actor)


@transaction.atomic
def inbound_address_revoke(*, client: Client, actor: User) -> int:
    ensure_is_the_client(actor=actor, client=client)
    return InboundAddress.objects.filter(client=client, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
