"""One read layer (issue #12): the pages read `coaching.insights`; the report-sharing rule is
decided once (`reports.report_readable`) for the pages, the PDF, the API and the exports; the web
app's practice report is the API's."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient
from django.utils import timezone

from coaching.insights.client_page import search_diagnosis
from coaching.insights.reports import practice_report, report_readable
from coaching.services import client_set_report_sharing, introduction_create


def test_a_client_reads_their_diagnosis_only_once_shared(search, coach, client_user):
    assert report_readable(actor=coach, client=search)
    assert not report_readable(actor=client_user, client=search)
    with pytest.raises(PermissionDenied):
        search_diagnosis(actor=client_user, client=search)
    diagnosis, _ = search_diagnosis(actor=coach, client=search)
    assert diagnosis.client_id == search.pk
    client_set_report_sharing(client=search, actor=coach, shared=True)
    search.refresh_from_db()
    assert search_diagnosis(actor=client_user, client=search)[0].client_id == search.pk


def test_the_web_practice_report_is_the_apis(
    http: HttpClient, search, other_search, owner, make_contact
):
    introduction_create(
        client=search,
        actor=owner,
        introducer=make_contact(search, name="Ivy Introducer"),
        target=make_contact(search, name="Tom Target"),
        made_at=timezone.now() - timedelta(days=9),
    )
    report = practice_report(actor=owner)
    http.force_login(owner)
    page = http.get("/report/").content.decode()
    for row in report["clients"]:
        assert f'href="/clients/{row["client_id"]}/">{row["name"]}</a>' in page
    for reason in report["reasons"]:
        if reason["clients"]:
            assert reason["title"] in page
    assert http.get("/report/", {"as_of": "9999-01-01"}).status_code == 400
