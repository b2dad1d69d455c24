"""Host → practice is read once and then remembered by the process, never past a change."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import host_lookup
from tenants.host_lookup import practice_for_host
from tenants.models import Domain, Practice


def _domain_reads(http: Client, path: str = "/accounts/login/") -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = http.get(path).status_code
    return status, sum('"tenants_domain"' in q["sql"] for q in captured.captured_queries)


def test_a_host_is_looked_up_once(http: Client) -> None:
    assert _domain_reads(http) == (200, 1)
    assert _domain_reads(http) == (200, 0)


def test_each_request_gets_its_own_copy(practice: Practice) -> None:
    host = practice.get_primary_domain().domain
    first = practice_for_host(hostname=host)
    first.name = "Changed in one request only"
    second = practice_for_host(hostname=host)
    assert second is not first
    assert second.name == "Alpha Coaching"
    assert (second.pk, second.schema_name) == (practice.pk, practice.schema_name)


def test_a_saved_practice_is_read_again(http: Client, practice: Practice) -> None:
    _domain_reads(http)
    Practice.objects.filter(pk=practice.pk).get().save()  # e.g. renamed in the admin
    assert _domain_reads(http) == (200, 1)


def test_a_removed_domain_stops_answering_at_once(http: Client, practice: Practice) -> None:
    _domain_reads(http)
    practice.domains.all().delete()
    status, _ = _domain_reads(http)
    assert status == 404


def test_an_unknown_host_is_not_remembered(practice: Practice) -> None:
    newcomer = Client(HTTP_HOST="newcomer.localhost")
    assert _domain_reads(newcomer)[0] == 404
    Domain.objects.create(domain="newcomer.localhost", tenant=practice, is_primary=False)
    assert _domain_reads(newcomer)[0] == 200


def test_a_copy_expires(http: Client, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.PRACTICE_LOOKUP_CACHE_SECONDS = 10
    now = host_lookup.time.monotonic()
    _domain_reads(http)
    monkeypatch.setattr(host_lookup.time, "monotonic", lambda: now + 9)
    assert _domain_reads(http) == (200, 0)
    monkeypatch.setattr(host_lookup.time, "monotonic", lambda: now + 11)
    assert _domain_reads(http) == (200, 1)


def test_zero_seconds_turns_remembering_off(http: Client, settings: Any) -> None:
    settings.PRACTICE_LOOKUP_CACHE_SECONDS = 0
    assert _domain_reads(http) == (200, 1)
    assert _domain_reads(http) == (200, 1)
