"""Delivery signatures: `Warmpath-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC
taken with the endpoint's secret over `f"{t}.{body}"`. The timestamp is signed so a captured
delivery cannot be replayed later; receivers reject signatures older than a few minutes.
The receiver's recipe is in docs/api.md (and tested verbatim in tests/api).

A secret is `whsec_` and a token bound to the practice and to this purpose (`accounts.tokens`)
around a random key: a secret found in another practice's schema (a restore gone wrong, a copied
row) is refused rather than used to sign that practice's events."""

import hashlib
import hmac
import secrets

from accounts.tokens import Purpose, TokenError, token_make, token_read

SIGNATURE_HEADER = "Warmpath-Signature"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    bound = token_make(purpose=Purpose.WEBHOOK_SECRET, data={"k": secrets.token_urlsafe(32)})
    return SECRET_PREFIX + bound


def secret_is_ours(secret: str) -> bool:
    """Whether the secret was minted for a webhook of this practice."""
    try:
        token_read(purpose=Purpose.WEBHOOK_SECRET, token=secret.removeprefix(SECRET_PREFIX))
    except TokenError:
        return False
    return True


def sign(*, secret: str, body: str, timestamp: int) -> str:
    """The header value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"
