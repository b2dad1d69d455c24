"""Expired Idempotency-Key records are deleted by an hourly beat job, in every practice; the ones
still inside their 24 hours stay and still replay."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from accounts.models import User
from api.idempotency import TTL
from api.tasks import idempotency_purge_task
from config.celery_app import app
from integrations.models import IdempotencyRecord
from tenants.models import Practice


def _record(*, actor: User, key: str, age: timedelta) -> None:
    IdempotencyRecord.objects.create(
        actor=actor,
        key=key,
        request_hash="0" * 64,
        method="POST",
        path="/api/v1/contacts/",
        response_status=201,
        response_body={"id": 1},
        created_at=timezone.now() - age,
    )


def test_expired_records_go_in_every_practice_and_fresh_ones_stay(
    owner: User, other_practice: Practice
) -> None:
    _record(actor=owner, key="old", age=TTL + timedelta(minutes=1))
    _record(actor=owner, key="a-week-old", age=timedelta(days=7))
    _record(actor=owner, key="fresh", age=TTL - timedelta(minutes=1))
    with schema_context(other_practice.schema_name):
        bravo_owner = User.objects.get(email="owner@bravo.example.com")
        _record(actor=bravo_owner, key="old", age=TTL + timedelta(hours=3))
        _record(actor=bravo_owner, key="fresh", age=timedelta(minutes=5))

    purged = idempotency_purge_task.apply().get()

    assert purged == 3
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    with schema_context(other_practice.schema_name):
        assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    assert idempotency_purge_task.apply().get() == 0  # running again is harmless


def test_a_key_still_in_its_window_keeps_replaying_after_the_purge(
    coach_api: APIClient, search
) -> None:
    body = {"client": search.pk, "name": "Ann"}
    first = coach_api.post("/api/v1/contacts/", body, HTTP_IDEMPOTENCY_KEY="keep-me")
    idempotency_purge_task.apply()
    again = coach_api.post("/api/v1/contacts/", body, HTTP_IDEMPOTENCY_KEY="keep-me")
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def test_beat_runs_the_purge_every_hour() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["api-idempotency-purge"]
    app.loader.import_default_modules()
    assert entry["task"] == idempotency_purge_task.name
    assert entry["task"] in app.tasks  # the worker knows it by that name
    schedule = entry["schedule"]
    assert schedule.minute == {30}
    assert len(schedule.hour) == 24  # every hour
