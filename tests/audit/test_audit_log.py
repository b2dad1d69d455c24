"""The audit log: an entry for each action a security review asks about, with who, what, on
what and from where; append-only in the database; owner only, practice only."""

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import Invitation, Role, User
from accounts.services import (
    invitation_create,
    invitation_revoke,
    member_deactivate,
    member_reactivate,
    member_role_change,
)
from audit.actions import AuditAction
from audit.models import AuditEvent
from audit.services import ERASED, audit_erase_person
from coaching.insights.services import practice_thresholds_update
from integrations.keys import api_key_create, api_key_revoke
from tenants.models import Practice
from tests.conftest import PASSWORD

URL = "http://alpha.localhost:8000"


def _last(action: AuditAction) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None, f"no {action} entry"
    return event


def test_member_changes_are_each_recorded_with_actor_and_object(
    owner: User, coach: User, client_user: User
) -> None:
    invitation, _ = invitation_create(
        invited_by=owner, email="new@alpha.example.com", role=Role.COACH, practice_url=URL
    )
    invitation_revoke(invitation=invitation, actor=owner)
    member_role_change(actor=owner, member=coach, role=Role.OWNER)
    member_deactivate(actor=owner, member=client_user)
    member_reactivate(actor=owner, member=client_user)

    invited = _last(AuditAction.MEMBER_INVITED)
    assert (invited.actor_label, invited.object_label) == (owner.email, "new@alpha.example.com")
    assert invited.details == {"role": "coach"}
    assert _last(AuditAction.INVITATION_REVOKED).object_id == str(invitation.pk)
    changed = _last(AuditAction.MEMBER_ROLE_CHANGED)
    assert (changed.object_label, changed.details) == (
        coach.email,
        {"from": "coach", "to": "owner"},
    )
    assert _last(AuditAction.MEMBER_DEACTIVATED).object_label == client_user.email
    assert _last(AuditAction.MEMBER_REACTIVATED).actor_id == owner.pk
    assert {e.practice for e in AuditEvent.objects.all()} == {"p_alpha"}


def test_keys_and_thresholds_are_recorded(owner: User, coach: User) -> None:
    api_key, _ = api_key_create(actor=owner, name="CRM sync", acts_as=coach)
    api_key_revoke(api_key=api_key, actor=owner)
    practice_thresholds_update(actor=owner, changes={"weekly_goal": 12})

    created = _last(AuditAction.API_KEY_CREATED)
    assert created.object_label == f"CRM sync ({api_key.prefix})"
    assert created.details["acts_as"] == coach.email
    assert _last(AuditAction.API_KEY_REVOKED).object_id == api_key.prefix
    assert _last(AuditAction.THRESHOLDS_CHANGED).details["to"]["weekly_goal"] == 12


def test_a_refused_change_leaves_no_entry(owner: User, coach: User) -> None:
    before = AuditEvent.objects.count()

    with pytest.raises(Exception, match="Only the practice owner"):
        member_deactivate(actor=coach, member=owner)
    with pytest.raises(Exception, match="needs an owner"):
        member_role_change(actor=owner, member=owner, role=Role.COACH)

    assert AuditEvent.objects.count() == before


def test_sign_ins_and_failures_are_recorded_with_the_address(http: Client, coach: User) -> None:
    http.post(
        "/accounts/login/",
        {"login": coach.email, "password": "wrong-password"},
        REMOTE_ADDR="203.0.113.9",
    )
    http.post(
        "/accounts/login/", {"login": coach.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    http.post("/accounts/logout/", REMOTE_ADDR="203.0.113.7")

    failed = _last(AuditAction.LOGIN_FAILED)
    assert (failed.actor_label, failed.ip, failed.actor_id) == (coach.email, "203.0.113.9", None)
    signed_in = _last(AuditAction.LOGIN)
    assert (signed_in.actor_id, signed_in.ip, signed_in.via) == (coach.pk, "203.0.113.7", "web")
    assert _last(AuditAction.LOGOUT).actor_id == coach.pk


def test_entries_cannot_be_changed_or_deleted_even_by_sql(owner: User, coach: User) -> None:
    member_deactivate(actor=owner, member=coach)
    event = _last(AuditAction.MEMBER_DEACTIVATED)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.MEMBER_REACTIVATED)

    event.refresh_from_db()
    assert (event.actor_label, event.action) == (owner.email, AuditAction.MEMBER_DEACTIVATED)


def test_erasing_a_deleted_person_keeps_what_happened_but_not_who(
    owner: User, client_user: User
) -> None:
    member_deactivate(actor=owner, member=client_user)

    audit_erase_person(user_id=client_user.pk, labels=[client_user.email, client_user.name])

    event = _last(AuditAction.MEMBER_DEACTIVATED)
    assert (event.object_label, event.actor_label) == (ERASED, owner.email)
    assert not AuditEvent.objects.filter(object_label=client_user.email).exists()


def test_the_log_page_is_the_owners_and_shows_words_not_codes(
    http: Client, owner: User, coach: User, client_user: User
) -> None:
    member_role_change(actor=owner, member=client_user, role=Role.COACH)

    for member in (coach, client_user):
        http.force_login(member)
        assert http.get("/settings/audit/").status_code == 404
    http.force_login(owner)
    page = http.get("/settings/audit/").content.decode()

    assert "Changed a member&#x27;s role" in page or "Changed a member's role" in page
    assert client_user.email in page
    assert "member.role_changed" not in page.split("<select")[0]


def test_another_practice_sees_none_of_the_log(
    owner: User, coach: User, other_practice: Practice, other_http: Client
) -> None:
    member_deactivate(actor=owner, member=coach)

    with schema_context(other_practice.schema_name):
        assert not AuditEvent.objects.filter(object_label=coach.email).exists()
        other_owner = User.objects.get(role=Role.OWNER)
    other_http.force_login(other_owner)
    assert coach.email not in other_http.get("/settings/audit/").content.decode()


def test_invitation_acceptance_is_recorded_as_the_new_member(http: Client, owner: User) -> None:
    _, link = invitation_create(
        invited_by=owner, email="joiner@alpha.example.com", role=Role.CLIENT, practice_url=URL
    )

    http.post(link.removeprefix(URL), {"name": "Jo Iner", "password": "fresh-password-77"})

    joined = _last(AuditAction.MEMBER_JOINED)
    assert joined.actor_label == "joiner@alpha.example.com"
    assert Invitation.objects.get(email="joiner@alpha.example.com").accepted_at is not None
