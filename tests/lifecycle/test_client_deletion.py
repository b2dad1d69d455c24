"""Deleting a client: scheduled with a 30-day grace period (the client cannot sign in, an undo
gives everything back), then the sweep deletes every record of the search, the account and
their traces in the audit log, leaving nothing readable of them or their contacts."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from django.utils import timezone

from accounts.models import User
from audit.actions import AuditAction
from audit.models import AuditEvent
from audit.services import audit_record
from coaching.access import NotFound
from coaching.lifecycle.deletion import (
    GRACE_DAYS,
    client_deletion_cancel,
    client_deletion_schedule,
)
from coaching.lifecycle.models import DeletedRecord, DeletionRequest
from coaching.lifecycle.sweep import practice_sweep
from coaching.models import Client, Contact
from tests.conftest import PASSWORD

from .conftest import JANE_TRACES, schema_texts_containing

CLEO_TRACES = ("Cleo Client", "client@alpha.example.com")


def _everything() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every coaching table, and the people, as they are."""
    models = [*apps.get_app_config("coaching").get_models()]
    models += [*apps.get_app_config("insights").get_models(), User]
    return {
        m.__name__: sorted(tuple(sorted(r.items())) for r in m.objects.values())  # type: ignore[misc]
        for m in models
    }


def _can_sign_in(host: str, email: str) -> bool:
    browser = HttpClient(HTTP_HOST=host)
    browser.post("/accounts/login/", {"login": email, "password": PASSWORD})
    return browser.get("/").status_code == 200


def test_scheduling_gives_the_date_and_locks_the_client_out(world, coach, client_user, http):
    http.force_login(client_user)
    assert http.get("/").status_code == 200
    now = timezone.now()

    request = client_deletion_schedule(client=world.search, actor=coach, now=now)

    assert (request.status, request.due_at) == ("scheduled", now + timedelta(days=GRACE_DAYS))
    assert http.get("/").status_code == 302  # the open session no longer counts
    assert not _can_sign_in(http.defaults["HTTP_HOST"], client_user.email)
    assert Client.objects.filter(pk=world.search.pk).exists()  # nothing is deleted yet


def test_undo_within_grace_gives_everything_back(world, coach, client_user, http):
    before = _everything()
    request = client_deletion_schedule(client=world.search, actor=coach)
    practice_sweep(now=timezone.now() + timedelta(days=GRACE_DAYS - 1))  # still in grace

    client_deletion_cancel(request=request, actor=coach)

    after = _everything()
    activity_before = before.pop("ActivityEvent")
    activity_after = after.pop("ActivityEvent")
    for name in ("Client", "User"):  # updated_at moves; the rest is exactly as it was
        before[name] = [tuple(kv for kv in row if kv[0] != "updated_at") for row in before[name]]
        after[name] = [tuple(kv for kv in row if kv[0] != "updated_at") for row in after[name]]
    assert after == before
    assert len(activity_after) == len(activity_before) + 2  # scheduled, then undone
    assert _can_sign_in(http.defaults["HTTP_HOST"], client_user.email)
    request.refresh_from_db()
    assert (request.status, request.cancelled_by) == ("cancelled", coach)


def test_a_client_deactivated_before_stays_deactivated_after_undo(world, coach, client_user):
    User.objects.filter(pk=client_user.pk).update(is_active=False)
    request = client_deletion_schedule(client=world.search, actor=coach)

    client_deletion_cancel(request=request, actor=coach)

    assert not User.objects.get(pk=client_user.pk).is_active


def test_the_sweep_after_grace_deletes_the_search_and_the_account(world, coach, client_user):
    audit_record(
        action=AuditAction.LOGIN, actor=client_user, target=client_user,
        target_label=client_user.email,
    )  # fmt: skip
    contacts = list(Contact.objects.filter(client=world.search).values_list("pk", flat=True))
    request = client_deletion_schedule(client=world.search, actor=coach)

    result = practice_sweep(now=request.due_at + timedelta(minutes=1))

    assert result.clients_deleted == [request.pk]
    assert not Client.objects.filter(pk=world.search.pk).exists()
    assert not User.objects.filter(pk=client_user.pk).exists()
    assert not Contact.objects.filter(pk__in=contacts).exists()
    assert schema_texts_containing(CLEO_TRACES + JANE_TRACES) == []
    erased = AuditEvent.objects.filter(actor_id=client_user.pk)
    assert erased.exists()
    assert set(erased.values_list("actor_label", flat=True)) == {"a deleted person"}
    request.refresh_from_db()
    assert request.status == "done"
    tombstones = set(DeletedRecord.objects.values_list("record_type", "record_id"))
    assert ("client", world.search.pk) in tombstones
    assert {("contact", pk) for pk in contacts} <= tombstones


def test_other_searches_are_untouched(world, other_search, coach, make_contact):
    kept = make_contact(other_search, name="Jane Doe", notes="Cleo Client's friend")
    request = client_deletion_schedule(client=world.search, actor=coach)

    practice_sweep(now=request.due_at + timedelta(minutes=1))

    kept.refresh_from_db()
    assert (kept.name, kept.notes) == ("Jane Doe", "Cleo Client's friend")


def test_nothing_happens_before_the_grace_period_ends(world, coach):
    request = client_deletion_schedule(client=world.search, actor=coach)

    result = practice_sweep(now=request.due_at - timedelta(minutes=1))

    assert result.clients_deleted == []
    assert Client.objects.filter(pk=world.search.pk).exists()


def test_the_owner_may_schedule_and_undo(world, owner):
    request = client_deletion_schedule(client=world.search, actor=owner)
    client_deletion_cancel(request=request, actor=owner)


def test_another_coach_cannot_delete_or_undo(world, coach, other_coach):
    with pytest.raises(NotFound):
        client_deletion_schedule(client=world.search, actor=other_coach)
    request = client_deletion_schedule(client=world.search, actor=coach)
    with pytest.raises(NotFound):
        client_deletion_cancel(request=request, actor=other_coach)
    assert DeletionRequest.objects.get(pk=request.pk).status == "scheduled"


def test_a_client_cannot_delete_their_own_search_or_another(world, client_user, other_search):
    with pytest.raises(PermissionDenied):
        client_deletion_schedule(client=world.search, actor=client_user)
    with pytest.raises(NotFound):
        client_deletion_schedule(client=other_search, actor=client_user)
    assert not DeletionRequest.objects.exists()


def test_scheduling_twice_says_when(world, coach):
    client_deletion_schedule(client=world.search, actor=coach)
    with pytest.raises(ValidationError) as exc:
        client_deletion_schedule(client=world.search, actor=coach)
    assert "already scheduled for deletion on" in exc.value.message_dict["client"][0]
