"""The practice's profile (name, time zone, logo), the owner's: a logo is checked by type and
size, then shown in the header of every page, in account emails and on the PDF report."""

from io import BytesIO
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django_tenants.utils import schema_context
from PIL import Image

from accounts.models import Role, User
from accounts.services import invitation_create
from coaching.insights.pdf import practice_header
from tenants.models import Practice, PracticeLogo

pytestmark = pytest.mark.django_db


def _png(size: tuple[int, int] = (40, 20), kind: str = "PNG") -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (11, 107, 87)).save(out, format=kind)
    return out.getvalue()


def _post(http: HttpClient, **fields: Any) -> Any:
    data = {"name": "Alpha Coaching", "time_zone": "Europe/Berlin", **fields}
    return http.post("/settings/profile/", data)


def test_the_owner_renames_the_practice_and_sets_its_zone(
    http: HttpClient, owner: User, practice: Practice
) -> None:
    http.force_login(owner)
    assert _post(http, name="  Alpha   Careers ").status_code == 302
    practice.refresh_from_db()
    assert (practice.name, practice.time_zone) == ("Alpha Careers", "Europe/Berlin")
    assert "Alpha Careers" in http.get("/settings/profile/").content.decode()
    refused = _post(http, name="", time_zone="Mars/Olympus")
    assert refused.status_code == 400
    practice.refresh_from_db()
    assert practice.name == "Alpha Careers"


def test_a_logo_is_shown_in_the_header_emails_and_the_pdf(
    http: HttpClient, owner: User, client_user: User, practice: Practice
) -> None:
    http.force_login(owner)
    upload = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    assert _post(http, logo=upload).status_code == 302
    practice.refresh_from_db()
    assert practice.logo_updated_at is not None
    http.force_login(client_user)
    page = http.get("/").content.decode()
    src = page.split('class="brand-logo" src="')[1].split('"')[0]
    image = http.get(src)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert bytes(image.content) == _png()

    invitation_create(
        invited_by=owner, email="logo@alpha.example.com", role=Role.COACH,
        practice_url="http://alpha.test",
    )  # fmt: skip
    html = mail.outbox[-1].alternatives[0][0]
    assert f'src="http://alpha.test{src}"' in html.replace("&amp;", "&") or src in html

    from django.db import connection

    connection.set_tenant(Practice.objects.get(pk=practice.pk))
    assert (practice_header().logo_src or "").startswith("data:image/png;base64,")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "not an image",
        ),
        (b"GIF89a not really", "not an image"),
        (b"x" * (600 * 1024), "at most 512 KB"),
        ("big", "at most 2000 pixels"),
        ("bmp", "PNG, JPEG, GIF or WebP"),
    ],
)
def test_a_logo_is_checked_by_type_and_size(
    http: HttpClient, owner: User, practice: Practice, content: Any, problem: str
) -> None:
    if content == "big":
        content = _png((2400, 10))
    elif content == "bmp":
        content = _png(kind="BMP")
    http.force_login(owner)
    upload = SimpleUploadedFile("logo.png", content, content_type="image/png")
    response = _post(http, name="Renamed", logo=upload)
    assert response.status_code == 400
    assert problem in response.content.decode()
    practice.refresh_from_db()
    assert practice.name == "Alpha Coaching"  # a failed request changes nothing
    assert not PracticeLogo.objects.filter(practice=practice).exists()


def test_the_logo_can_be_removed(http: HttpClient, owner: User, practice: Practice) -> None:
    http.force_login(owner)
    _post(http, logo=SimpleUploadedFile("l.png", _png(), content_type="image/png"))
    _post(http, remove_logo="on")
    practice.refresh_from_db()
    assert practice.logo_updated_at is None
    assert 'class="brand-logo"' not in http.get("/").content.decode()


@pytest.mark.parametrize("who", ["coach", "client_user"])
def test_the_profile_is_a_404_for_coaches_and_clients(
    http: HttpClient, who: str, request: Any, practice: Practice
) -> None:
    http.force_login(request.getfixturevalue(who))
    assert http.get("/settings/profile/").status_code == 404
    assert _post(http, name="Taken over").status_code == 404
    practice.refresh_from_db()
    assert practice.name == "Alpha Coaching"


def test_another_practices_host_serves_only_its_own_logo(
    http: HttpClient, other_http: HttpClient, owner: User, other_practice: Practice
) -> None:
    http.force_login(owner)
    _post(http, logo=SimpleUploadedFile("l.png", _png(), content_type="image/png"))
    with schema_context(other_practice.schema_name):
        assert other_http.get("/practice-logo/1/").status_code == 404
