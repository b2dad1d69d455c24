"""The capture pages: upload, settings; scope across clients and practices; words only."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from coaching.capture.models import CaptureSettings
from coaching.models import ImportJob
from coaching.services.imports import import_run

from .archive_factory import Archive
from .conftest import NOW

RAW_NAMES = re.compile(r"\b(linkedin_archive|store_message_content|thread_key|good_rows|None)\b")


def visible_text(html: str) -> str:
    """What a person reads: no tags, no attribute values."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_client_uploads_an_archive_and_reads_the_result_in_words(search, client_user, http):
    http.force_login(client_user)
    page = http.get("/my/capture/")
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "The text of messages is not stored" in text
    assert not RAW_NAMES.search(text)
    upload = SimpleUploadedFile("export.zip", Archive(messages=10).zip())
    response = http.post(
        f"/clients/{search.pk}/capture/upload/", {"kind": "linkedin_archive", "file": upload}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(client=search)
    import_run(job_id=job.pk, now=NOW)
    result = visible_text(http.get(response["Location"]).content.decode())
    assert "10 new contacts" in result
    assert "10 new messages" in result
    assert not RAW_NAMES.search(result)
    waiting = visible_text(http.get("/my/capture/").content.decode())
    assert "14 new messages with" in waiting


def test_the_page_says_when_the_practice_keeps_message_text(search, client_user, http):
    CaptureSettings.objects.create(store_message_content=True)
    http.force_login(client_user)
    assert "keeps the text of captured messages" in http.get("/my/capture/").content.decode()


def test_only_the_owner_changes_the_content_setting(owner, coach, http):
    http.force_login(coach)
    assert http.get("/settings/capture/").status_code == 403
    http.force_login(owner)
    assert http.get("/settings/capture/").status_code == 200
    assert http.post("/settings/capture/", {"store_message_content": "on"}).status_code == 302
    assert CaptureSettings.objects.get().store_message_content is True


def test_capture_pages_of_another_client_or_practice_are_not_found(
    search, other_search, client_user, other_client_user, coach, other_coach, http, other_http
):
    http.force_login(other_client_user)
    assert http.get(f"/clients/{search.pk}/capture/").status_code == 404
    upload = SimpleUploadedFile("export.zip", Archive().zip())
    assert (
        http.post(
            f"/clients/{search.pk}/capture/upload/", {"kind": "linkedin_archive", "file": upload}
        ).status_code
        == 404
    )
    http.force_login(other_coach)  # not Cleo's coach
    assert http.get(f"/clients/{search.pk}/capture/").status_code == 404
    http.force_login(coach)
    assert http.get("/my/capture/").status_code == 404  # coaches have no portal
    assert http.get(f"/clients/{search.pk}/capture/").status_code == 200
    # Practice B's host knows nothing of practice A's session or client.
    other_http.cookies = http.cookies
    assert other_http.get(f"/clients/{search.pk}/capture/").status_code in (302, 404)
    assert not ImportJob.objects.exists()


def test_the_capture_page_fits_a_phone(search, client_user, http):
    """No fixed widths wider than a 360 px screen in what the page adds."""
    http.force_login(client_user)
    html = http.get("/my/capture/").content.decode()
    widths = [int(w) for w in re.findall(r"width:\s*(\d+)px", html)]
    assert all(w <= 360 for w in widths)


def test_the_client_reviews_leaves_out_a_thread_and_confirms_the_rest(
    search, client_user, coach, http
):
    from coaching.capture.models import CapturedInteraction
    from coaching.models import Interaction

    job = import_start_archive(search, client_user)
    import_run(job_id=job.pk, now=NOW)
    http.force_login(coach)
    coach_view = visible_text(http.get(f"/clients/{search.pk}/capture/").content.decode())
    assert "14 new messages with" in coach_view
    assert "Person900000" not in coach_view  # the coach never sees who or what
    http.force_login(client_user)
    page = http.get("/my/capture/").content.decode()
    assert "Person900000 Tester900000" in page
    assert not RAW_NAMES.search(visible_text(page))
    response = http.post("/my/capture/review/", {"leave_out": ["li:2-00000000=="]})
    assert response.status_code == 302
    assert CapturedInteraction.objects.filter(client=search, state="excluded").count() == 5
    assert Interaction.objects.filter(client=search).count() == 9
    http.force_login(coach)
    assert http.post("/my/capture/review/", {}).status_code == 404


def import_start_archive(search, user):
    from coaching.choices import ImportKind, ImportMode
    from coaching.services.imports import import_start

    return import_start(
        client=search, actor=user, kind=ImportKind.LINKEDIN_ARCHIVE,
        payload=Archive(messages=10).zip(), mode=ImportMode.GOOD_ROWS,
    )  # fmt: skip
