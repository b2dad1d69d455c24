"""`manage.py diagnose_practice`: the nightly job's entry point and a way to look at a practice."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coaching.demo import STORIES, seed_demo
from coaching.insights.models import WeeklySnapshot
from tests.coaching.insights.conftest import AS_OF


def test_diagnose_practice_stores_snapshots_and_prints_the_report(practice, coach):
    seed_demo(as_of=AS_OF, coach=coach, stories=STORIES[:4])
    out = StringIO()
    call_command(
        "diagnose_practice", schema=practice.schema_name, as_of=AS_OF, store=True, stdout=out
    )
    assert f"stored 4 snapshots as of {AS_OF}" in out.getvalue()
    assert WeeklySnapshot.objects.count() == 4
    out = StringIO()
    call_command(
        "diagnose_practice", schema=practice.schema_name, as_of=AS_OF, json=True, stdout=out
    )
    report = json.loads(out.getvalue())
    assert report["kind"] == "practice_report"
    assert len(report["clients"]) == 4


def test_an_unknown_schema_is_an_error(practice):
    with pytest.raises(CommandError):
        call_command("diagnose_practice", schema="p_nope", stdout=StringIO())
