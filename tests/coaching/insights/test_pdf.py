"""The client report as HTML and PDF (WeasyPrint), from the same report dict."""

import re
import zlib

import pytest

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
