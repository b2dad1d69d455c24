"""Scope: a client sees only their search, a coach their own clients, the owner everyone."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coaching import selectors
from coaching.access import NotFound, client_get_for, client_queryset_for, record_get_for
from coaching.choices import Channel, Direction, FeedbackAbout, FeedbackSource, InteractionKind
from coaching.models import Contact, Interaction
from coaching.services import (
    client_create,
    client_review_leaving_story,
    contact_create,
    feedback_record,
    interaction_record,
)

from .conftest import NOW


def test_each_role_sees_its_own_clients(
    search, other_search, owner, coach, other_coach, client_user
):
    assert set(client_queryset_for(actor=owner)) == {search, other_search}
    assert list(client_queryset_for(actor=coach)) == [search]
    assert list(client_queryset_for(actor=other_coach)) == [other_search]
    assert list(client_queryset_for(actor=client_user)) == [search]


def test_inactive_user_sees_nothing(search, coach):
    coach.is_active = False
    assert not client_queryset_for(actor=coach).exists()


def test_missing_and_not_yours_are_the_same_error(search, other_search, coach):
    with pytest.raises(NotFound) as not_yours:
        client_get_for(actor=coach, client_id=other_search.pk)
    with pytest.raises(NotFound) as missing:
        client_get_for(actor=coach, client_id=other_search.pk + 1000)
    assert str(not_yours.value) == str(missing.value)
    assert isinstance(not_yours.value, Http404)  # views and DRF answer 404 by themselves


def test_client_cannot_see_another_clients_records(
    search, other_search, client_user, other_client_user, make_contact
):
    theirs = make_contact(other_search, company="Acme")
    with pytest.raises(NotFound):
        record_get_for(Contact.objects.all(), actor=client_user, pk=theirs.pk)
    for read in (
        selectors.client_timeline,
        selectors.contact_freshness,
        selectors.follow_ups_due,
        selectors.introductions_waiting_on_client,
    ):
        with pytest.raises(NotFound):
            read(actor=client_user, client_id=other_search.pk)
    with pytest.raises(NotFound):
        selectors.contacts_at_company(actor=client_user, client_id=other_search.pk, company="Acme")
    assert list(selectors.client_list(actor=client_user)) == [search]
    assert record_get_for(Contact.objects.all(), actor=other_client_user, pk=theirs.pk) == theirs


def test_coach_cannot_write_into_a_client_that_is_not_theirs(
    search, other_search, coach, make_contact, unchanged
):
    theirs = make_contact(other_search)
    with unchanged():
        with pytest.raises(NotFound):
            contact_create(client=other_search, actor=coach, name="Sneaky")
        with pytest.raises(NotFound):
            interaction_record(
                client=other_search,
                actor=coach,
                contact=theirs,
                occurred_at=NOW - timedelta(days=1),
                channel=Channel.EMAIL,
                direction=Direction.OUTBOUND,
                kind=InteractionKind.OUTREACH,
                now=NOW,
            )
        with pytest.raises(NotFound):
            client_review_leaving_story(client=other_search, actor=coach, verdict="unconvincing")


def test_client_may_log_own_outreach_but_not_judge_themselves(search, client_user, make_contact):
    contact = make_contact(search)
    interaction_record(
        client=search,
        actor=client_user,
        contact=contact,
        occurred_at=NOW - timedelta(hours=2),
        channel=Channel.LINKEDIN,
        direction=Direction.OUTBOUND,
        kind=InteractionKind.OUTREACH,
        now=NOW,
    )
    assert Interaction.objects.filter(client=search).count() == 1
    with pytest.raises(PermissionDenied):
        client_review_leaving_story(client=search, actor=client_user, verdict="ok", story="x")
    with pytest.raises(PermissionDenied):
        feedback_record(
            client=search,
            actor=client_user,
            source=FeedbackSource.COACH,
            about=FeedbackAbout.OTHER,
            note="I am great",
            received_on=date(2024, 4, 1),
            now=NOW,
        )


def test_coach_opens_searches_only_for_themselves(coach, other_coach, other_client_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        client_create(
            actor=coach,
            user=other_client_user,
            coach=other_coach,
            search_started_on=date(2024, 1, 1),
        )
    assert "coach" in exc.value.message_dict


def test_client_cannot_open_a_search(client_user, coach):
    with pytest.raises(NotFound):
        client_create(
            actor=client_user, user=client_user, coach=coach, search_started_on=date(2024, 1, 1)
        )
