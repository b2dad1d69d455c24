"""The inbound-mail provider endpoint: POST /inbound/mail/ on the public host.

A provider (Postmark, SendGrid Inbound Parse, Mailgun routes, SES via a small relay…) posts the
raw MIME message as the body, the envelope recipient in `X-Warmpath-Recipient` (or
`?recipient=`), and `X-Warmpath-Signature: sha256=<hex>`, the HMAC-SHA256 of
`<recipient>\\n<body>` with INBOUND_MAIL_WEBHOOK_SECRET. Answers: 202 stored (or already
received), 403 bad or missing signature, 404 unknown recipient (the same for every kind of
unknown), 413 larger than INBOUND_MAIL_MAX_BYTES.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from coaching.capture.inbound import inbound_accept


def signature(*, secret: str, recipient: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), recipient.encode() + b"\n" + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


@csrf_exempt
@require_POST
def inbound_mail(request: HttpRequest) -> HttpResponse:
    secret = settings.INBOUND_MAIL_WEBHOOK_SECRET
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.INBOUND_MAIL_MAX_BYTES:
        return JsonResponse({"error": "The message is larger than the limit."}, status=413)
    body = request.read(settings.INBOUND_MAIL_MAX_BYTES + 1)  # not .body: no 2.5 MB form cap
    recipient = request.headers.get("X-Warmpath-Recipient") or request.GET.get("recipient", "")
    given = request.headers.get("X-Warmpath-Signature", "")
    expected = signature(secret=secret, recipient=recipient, body=body) if secret else ""
    if not secret or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"error": "The signature is missing or wrong."}, status=403)
    if len(body) > settings.INBOUND_MAIL_MAX_BYTES:
        return JsonResponse({"error": "The message is larger than the limit."}, status=413)
    accepted = inbound_accept(recipient=recipient, raw=body, via="https")
    if accepted is None:
        return JsonResponse({"error": "No such recipient here."}, status=404)
    return JsonResponse({"accepted": True, "duplicate": accepted.duplicate}, status=202)
