"""The practice's logo: checked on the way in, and where pages, emails and the PDF find it.

An upload must be a PNG, JPEG, GIF or WebP image (read by Pillow, not trusted by its name or
declared type), at most `LOGO_MAX_BYTES` and `LOGO_MAX_SIDE` pixels a side; SVG is refused (it
can carry scripts). The bytes live in `PracticeLogo`; `Practice.logo_updated_at` says whether
there is one and versions its address, so a page needs no query to show it.
"""

import base64
from io import BytesIO

from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image, UnidentifiedImageError

from tenants.models import Practice, PracticeLogo

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 2000
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


def logo_checked(*, data: bytes) -> str:
    """The content type of an acceptable logo, or a `ValidationError` on `logo` saying why."""
    if not data:
        raise ValidationError({"logo": ["The file is empty."]})
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            {"logo": [f"Use an image of at most {LOGO_MAX_BYTES // 1024} KB "
                      f"(this one is {-(-len(data) // 1024)} KB)."]}
        )  # fmt: skip
    try:
        with Image.open(BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            {"logo": ["This is not an image we can read: use a PNG, JPEG, GIF or WebP file."]}
        ) from None
    if kind not in LOGO_TYPES:
        raise ValidationError({"logo": ["Use a PNG, JPEG, GIF or WebP image."]})
    if max(width, height) > LOGO_MAX_SIDE:
        raise ValidationError(
            {"logo": [f"Use an image at most {LOGO_MAX_SIDE} pixels wide and high "
                      f"(this one is {width} by {height})."]}
        )  # fmt: skip
    return LOGO_TYPES[kind]


def logo_url(practice: Practice | None) -> str | None:
    """The logo's address on the practice's own host (relative), or None without a logo."""
    if practice is None or practice.logo_updated_at is None:
        return None
    return reverse("practice_logo", args=[int(practice.logo_updated_at.timestamp())])


def logo_of(practice: Practice) -> PracticeLogo | None:
    return PracticeLogo.objects.filter(practice=practice).first()


def logo_data_uri(practice: Practice | None) -> str | None:
    """The logo inline (`data:`), for a PDF or an email that must not fetch it; None without."""
    if practice is None or practice.logo_updated_at is None:
        return None
    logo = logo_of(practice)
    if logo is None:
        return None
    return f"data:{logo.content_type};base64,{base64.b64encode(bytes(logo.image)).decode()}"
