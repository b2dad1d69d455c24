"""Delivery signatures: `Warmpath-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC
taken with the endpoint's secret over `f"{t}.{body}"`. The timestamp is signed so a captured
delivery cannot be replayed later; receivers reject signatures older than a few minutes.
The receiver's recipe is in docs/api.md (and tested verbatim in tests/api)."""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Warmpath-Signature"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(*, secret: str, body: str, timestamp: int) -> str:
    """The header value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"
