"""The client report as HTML and PDF (WeasyPrint), from the same report dict."""

import re
import zlib
from datetime import timedelta

import pytest
import time_machine

from coaching.demo import STORIES, seed_demo
from coaching.insights.pdf import client_report_html, client_report_pdf
from coaching.insights.reports import client_report
from tests.coaching.insights.conftest import AS_OF


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's streams, inflated: enough to find the document's title and metadata."""
    chunks = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(chunks)


@pytest.fixture
def gina(coach, client_user):
    """The demo's ghosted-introductions search, held by the portal login (Cleo Client)."""
    story = tuple(s for s in STORIES if s.slug == "ghost-gina")
    (seeded,) = seed_demo(as_of=AS_OF, coach=coach, portal_client=client_user, stories=story)
    return seeded.client


def test_the_pdf_renders_with_the_clients_name(coach, gina):
    pdf = client_report_pdf(actor=coach, client_id=gina.pk, as_of=AS_OF)
    assert pdf.startswith(b"%PDF")
    assert b"Cleo Client" in pdf_text(pdf)


def test_the_html_links_evidence_when_given_urls(coach, gina):
    report = client_report(actor=coach, client_id=gina.pk, as_of=AS_OF)
    html = client_report_html(report=report, record_url=lambda record, pk: f"/r/{record}/{pk}/")
    assert "Introduction left waiting" in html
    assert 'href="/r/introduction/' in html
    assert "Cleo Client" in html
    assert "A personal referral backfires" in html


def test_the_html_shows_the_coachs_marks(coach, gina):
    from coaching.insights.services import finding_dispose
    from tests.coaching.insights.conftest import NOW

    report = client_report(actor=coach, client_id=gina.pk, as_of=AS_OF)
    key = next(f["key"] for f in report["findings"] if f["code"] == "no_thanks_or_outcome")
    finding_dispose(
        actor=coach, client_id=gina.pk, finding_key=key, state="acknowledged",
        note="Thanked in person at the meetup.", now=NOW,
    )  # fmt: skip
    html = client_report_html(report=client_report(actor=coach, client_id=gina.pk, as_of=AS_OF))
    assert "Marked by the coach" in html
    assert "Thanked in person at the meetup." in html


# --- for a human: words, not codes; the practice's name; the weeks from stored snapshots ------


def _pdf_words(pdf: bytes) -> str:
    """The text a reader would copy out of the PDF (pypdf)."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _machine_words() -> set[str]:
    """Codes, threshold names and field names a person should never read."""
    from coaching.diagnostics import CATALOG
    from coaching.diagnostics.signals import SignalCode
    from coaching.diagnostics.thresholds import THRESHOLD_NAMES

    return {*CATALOG, *THRESHOLD_NAMES, *SignalCode.values, "follow_up", "occurred_at"}


def test_the_pdf_says_everything_in_words(coach, gina) -> None:
    from coaching.models import Contact, Interaction, Introduction

    text = _pdf_words(client_report_pdf(actor=coach, client_id=gina.pk, as_of=AS_OF))
    flat = " ".join(text.split())
    assert "Alpha Coaching" in flat  # the practice's name
    assert "Cleo Client" in flat
    leaked = sorted(word for word in _machine_words() if word in text)
    assert leaked == []
    assert not re.search(r"#\s?\d", text)  # no record ids
    ids = {
        *Introduction.objects.filter(client=gina).values_list("pk", flat=True),
        *Interaction.objects.filter(client=gina).values_list("pk", flat=True),
        *Contact.objects.filter(client=gina).values_list("pk", flat=True),
    }
    assert not any(re.search(rf"\b(introduction|interaction|contact) {pk}\b", flat) for pk in ids)
    assert re.search(r"Apr 15, 2024", flat)  # dates as people write them, not 2024-04-15
    assert "2024-04-15" not in flat
    assert (
        "Fewest live threads a client should keep while waiting on one: 3 (the usual value)."
        in flat
    )
    assert "Share of the earlier outreach below which a search is slowing: 50%" in flat


def test_thresholds_read_as_sentences() -> None:
    from coaching.insights.pdf import threshold_sentence

    assert threshold_sentence(name="eggs_min_threads", value=3, source="practice") == (
        "Fewest live threads a client should keep while waiting on one: 3 (set by the practice)."
    )
    assert threshold_sentence(name="season_calendar", value="us", source="default").endswith(
        ": the US calendar (the usual value)."
    )
    assert threshold_sentence(name="job_board_ratio", value=3.0, source="client").endswith(
        ": 3 (set for this client)."
    )
    unknown = threshold_sentence(name="brand_new_days", value=5, source="default")
    assert unknown == "Brand new days: 5 (the usual value)."


def test_every_threshold_has_words() -> None:
    from coaching.diagnostics.thresholds import DESCRIPTIONS, THRESHOLD_NAMES

    assert set(THRESHOLD_NAMES) <= set(DESCRIPTIONS)


def test_the_practice_logo_when_it_has_one(coach, gina, owner) -> None:
    from io import BytesIO

    from django.db import connection
    from PIL import Image

    from accounts.practice_profile import practice_profile_update

    out = BytesIO()
    Image.new("RGB", (8, 4), (11, 107, 87)).save(out, format="PNG")
    png = out.getvalue()
    practice = connection.tenant
    practice_profile_update(
        actor=owner, practice=practice, name=practice.name, time_zone=practice.time_zone, logo=png
    )
    practice.refresh_from_db()
    report = client_report(actor=coach, client_id=gina.pk, as_of=AS_OF)
    html = client_report_html(report=report)
    assert 'src="data:image/png;base64,' in html  # inline: WeasyPrint fetches nothing
    assert 'alt="Alpha Coaching"' in html
    assert client_report_pdf(actor=coach, client_id=gina.pk, as_of=AS_OF).startswith(b"%PDF")


def test_without_a_logo_the_name_alone(coach, gina) -> None:
    html = client_report_html(report=client_report(actor=coach, client_id=gina.pk, as_of=AS_OF))
    assert "<img" not in html
    assert "Alpha Coaching" in html


def test_history_comes_from_the_stored_weeks_backfilled_after_an_import(coach, gina) -> None:
    from coaching.events import announce
    from coaching.insights.models import WeeklySnapshot
    from tests.coaching.insights.conftest import NOW

    before = client_report_html(report=client_report(actor=coach, client_id=gina.pk, as_of=AS_OF))
    assert before.count("No weekly record kept") >= 10
    with time_machine.travel(NOW, tick=False):
        announce(
            event="import.finished",
            payload={"import": 1, "client": gina.pk, "status": "succeeded", "kind": "x"},
        )
    stored = WeeklySnapshot.objects.filter(client=gina).order_by("week_start")
    assert stored.exists()
    assert stored.first().week_start >= gina.search_started_on - timedelta(days=6)
    text = _pdf_words(client_report_pdf(actor=coach, client_id=gina.pk, as_of=AS_OF))
    assert "No weekly record kept" not in text
    started_week = gina.search_started_on - timedelta(days=gina.search_started_on.weekday())
    weeks_before = (started_week - (AS_OF - timedelta(weeks=11, days=AS_OF.weekday()))).days // 7
    assert " ".join(text.split()).count("Before the search started") == max(0, weeks_before)
