"""The loader maps every model field the engine reads, in a fixed number of queries."""

from dataclasses import fields
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.access import NotFound
from coaching.choices import (
    AbandonReason,
    ApplicationSource,
    ApplicationStatus,
    Channel,
    ChecklistState,
    ClientStatus,
    Direction,
    FeedbackAbout,
    FeedbackSource,
    FitRating,
    HowMet,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
    PresentationItem,
    Verdict,
    Willingness,
)
from coaching.diagnostics import snapshot as s
from coaching.diagnostics.findings import DispositionState
from coaching.insights.loader import search_load, searches_load, searches_load_all
from coaching.insights.models import FindingDisposition
from coaching.insights.reports import client_report
from coaching.models import (
    Application,
    Contact,
    Feedback,
    FollowUp,
    Interaction,
    Introduction,
    Meeting,
    PresentationCheck,
)
from coaching.services import application_create, application_update, client_update
from tests.coaching.insights.conftest import AS_OF


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2024, 4, day, hour, 30, tzinfo=UTC)


def names(record_type: type) -> set[str]:
    return {f.name for f in fields(record_type)}


def test_every_model_field_maps(search, coach):
    search.target_roles = [{"role": "Data lead", "family": "data"}, {"role": "BI", "family": "bi"}]
    search.leaving_story_verdict = Verdict.UNCONVINCING
    search.save()
    PresentationCheck.objects.filter(client=search, item=PresentationItem.RESUME).update(
        state=ChecklistState.NEEDS_WORK, reviewed_at=at(2)
    )
    alice = Contact.objects.create(
        client=search, name="Alice Ames", company="Acme", is_hiring_authority=True,
        is_key_influencer=True, how_met=HowMet.EVENT, first_met_on=date(2024, 3, 1),
        willingness=Willingness.UNWILLING,
    )  # fmt: skip
    bob = Contact.objects.create(client=search, name="Bob Baird")
    app = Application.objects.create(
        client=search, company="Acme", company_key="acme", role="Data lead", role_family="data",
        source=ApplicationSource.JOB_BOARD, posting_seen_on=date(2024, 3, 2),
        first_outreach_on=date(2024, 3, 3), fit_rating=FitRating.POOR,
        status=ApplicationStatus.INTERVIEWING, applied_on=date(2024, 3, 4),
        last_employer_contact_on=date(2024, 3, 5), last_client_action_on=date(2024, 3, 6),
    )  # fmt: skip
    interaction = Interaction.objects.create(
        client=search, contact=alice, occurred_at=at(3), channel=Channel.LINKEDIN,
        direction=Direction.OUTBOUND, kind=InteractionKind.REFERRAL_REQUEST, replied_at=at(4),
    )  # fmt: skip
    intro = Introduction.objects.create(
        client=search, kind=IntroductionKind.RESUME_FORWARD, introducer=alice, target=bob,
        application=app, requested_at=at(1), made_at=at(2), first_contact_at=at(3),
        thanked_at=at(4), outcome_reported_at=at(5), reached_hiring_authority_at=at(6),
        status=IntroductionStatus.ABANDONED, ended_at=at(7),
        abandon_reason=AbandonReason.OTHER_OPPORTUNITY,
    )  # fmt: skip
    follow_up = FollowUp.objects.create(
        client=search, contact=bob, due_on=date(2024, 4, 9), channel=Channel.PHONE,
        done_at=at(10),
    )  # fmt: skip
    meeting = Meeting.objects.create(
        client=search, contact=bob, introduction=intro, application=app,
        scheduled_for=at(8, 14), purpose=MeetingPurpose.INFORMATIONAL, status=MeetingStatus.HELD,
        prepared_at=at(7), prep_company_research="Annual report", prep_questions="   ",
        prep_goal="Meet the team lead", thanked_at=at(9),
    )  # fmt: skip
    feedback = Feedback.objects.create(
        client=search, source=FeedbackSource.INTRODUCER, contact=alice,
        about=FeedbackAbout.OVERSTATED_CREDENTIALS, note="Led, or was on the team?",
        received_on=date(2024, 4, 2), recorded_by=coach,
    )  # fmt: skip
    FindingDisposition.objects.create(
        client=search, finding_key="low_outreach_volume:client", code="low_outreach_volume",
        state=DispositionState.NOT_APPLICABLE, note="On leave", decided_on=date(2024, 4, 1),
        expires_on=date(2024, 4, 30), decided_by=coach,
    )  # fmt: skip

    snap = search_load(actor=coach, client_id=search.pk).snapshot

    assert snap.client == s.ClientFacts(
        id=search.pk,
        time_zone="Europe/Berlin",
        search_started_on=date(2024, 1, 8),
        name="Cleo",  # the first name, for the coach's to-dos
        status=ClientStatus.ACTIVE,
        landed_on=None,
        weekly_goal=None,  # the column's default, nobody chose it
        target_role_families=("bi", "data"),
        leaving_story_verdict=Verdict.UNCONVINCING,
        presentation=(
            s.ChecklistEntry(PresentationItem.LINKEDIN, ChecklistState.UNREVIEWED, None),
            s.ChecklistEntry(PresentationItem.OTHER_PROFILES, ChecklistState.UNREVIEWED, None),
            s.ChecklistEntry(PresentationItem.RESUME, ChecklistState.NEEDS_WORK, at(2)),
        ),
    )
    assert snap.contacts == (
        s.Contact(alice.pk, "Alice Ames", "Acme", True, True, HowMet.EVENT, date(2024, 3, 1),
                  Willingness.UNWILLING),
        s.Contact(bob.pk, "Bob Baird", "", False, False, HowMet.OTHER, None, Willingness.UNKNOWN),
    )  # fmt: skip
    assert snap.interactions == (
        s.Interaction(interaction.pk, alice.pk, at(3), Channel.LINKEDIN, Direction.OUTBOUND,
                      InteractionKind.REFERRAL_REQUEST, at(4)),
    )  # fmt: skip
    assert snap.introductions == (
        s.Introduction(intro.pk, alice.pk, bob.pk, IntroductionKind.RESUME_FORWARD,
                       IntroductionStatus.ABANDONED, app.pk, at(1), at(2), at(3), at(4), at(5),
                       at(6), at(7), AbandonReason.OTHER_OPPORTUNITY),
    )  # fmt: skip
    assert snap.follow_ups == (
        s.FollowUp(follow_up.pk, bob.pk, date(2024, 4, 9), at(10), Channel.PHONE),
    )
    assert snap.applications == (
        s.Application(app.pk, "Acme", "Data lead", "data", ApplicationSource.JOB_BOARD,
                      FitRating.POOR, ApplicationStatus.INTERVIEWING, date(2024, 3, 2),
                      date(2024, 3, 3), date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6),
                      None),
    )  # fmt: skip
    assert snap.meetings == (
        s.Meeting(meeting.pk, bob.pk, at(8, 14), MeetingPurpose.INFORMATIONAL, MeetingStatus.HELD,
                  intro.pk, app.pk, at(7), prep_company_research=True,
                  prep_questions=False,  # blank text is no preparation
                  prep_goal=True, thanked_at=at(9)),
    )  # fmt: skip
    assert snap.feedback == (
        s.Feedback(feedback.pk, FeedbackSource.INTRODUCER, FeedbackAbout.OVERSTATED_CREDENTIALS,
                   date(2024, 4, 2), "Led, or was on the team?", alice.pk),
    )  # fmt: skip
    assert snap.dispositions == (
        s.Disposition("low_outreach_volume:client", DispositionState.NOT_APPLICABLE,
                      date(2024, 4, 1), "On leave", date(2024, 4, 30)),
    )  # fmt: skip
    # Values are the enums themselves, so the engine and the serializer see one type.
    assert type(snap.interactions[0].channel) is Channel

    # A field added to the snapshot must be mapped here too: these are the ones this test fills.
    assert names(s.ClientFacts) == {
        "id", "time_zone", "search_started_on", "name", "status", "landed_on", "weekly_goal",
        "target_role_families", "leaving_story_verdict", "presentation",
    }  # fmt: skip
    assert names(s.Introduction) == {
        "id", "introducer_id", "target_id", "kind", "status", "application_id", "requested_at",
        "made_at", "first_contact_at", "thanked_at", "outcome_reported_at",
        "reached_hiring_authority_at", "ended_at", "abandon_reason",
    }  # fmt: skip
    assert len(fields(s.Introduction)) == 14
    assert len(fields(s.Application)) == 13
    assert len(fields(s.Meeting)) == 12
    assert len(fields(s.Contact)) == 8
    assert len(fields(s.Interaction)) == 7
    assert len(fields(s.Snapshot)) == 10
    assert snap.problems == ()  # screened by the loader: nothing it could not use


def test_weekly_goal_counts_only_when_someone_chose_it(search, coach, make_client):
    assert search_load(actor=coach, client_id=search.pk).snapshot.client.weekly_goal is None
    chosen = make_client(weekly_outreach_goal=20)
    assert search_load(actor=coach, client_id=chosen.pk).snapshot.client.weekly_goal == 20
    # Set back to the default on purpose: the timeline shows it was chosen.
    client_update(client=chosen, actor=coach, data={"weekly_outreach_goal": 15})
    assert search_load(actor=coach, client_id=chosen.pk).snapshot.client.weekly_goal == 15


def test_offer_day_comes_from_the_activity_log(search, client_user):
    created = datetime(2024, 3, 1, 12, tzinfo=UTC)
    app = application_create(
        client=search, actor=client_user, company="Acme", role="Lead", source="referral",
        status=ApplicationStatus.INTERVIEWING, applied_on=date(2024, 2, 28), now=created,
    )  # fmt: skip
    # 23:30 UTC is already the next day in Berlin, the client's zone.
    offered = datetime(2024, 4, 2, 23, 30, tzinfo=UTC)
    application_update(
        application=app, actor=client_user, data={"status": ApplicationStatus.OFFER}, now=offered
    )
    from coaching.models import ActivityEvent

    ActivityEvent.objects.filter(verb="application.updated").update(at=offered)
    direct = application_create(
        client=search, actor=client_user, company="Beta", role="Lead", source="direct",
        status=ApplicationStatus.OFFER, applied_on=date(2024, 3, 1), now=created,
    )  # fmt: skip
    ActivityEvent.objects.filter(verb="application.created", subject_id=direct.pk).update(
        at=created
    )
    snap = search_load(actor=client_user, client_id=search.pk).snapshot
    offers = {a.id: a.offer_on for a in snap.applications}
    assert offers == {app.pk: date(2024, 4, 3), direct.pk: date(2024, 3, 1)}


def busy(builder, client, *, weeks: int = 12, per_week: int = 60) -> None:
    """Hundreds of records of every kind."""
    b = builder(client)
    b.profile()
    people = [b.contact() for _ in range(80)]
    for week in range(weeks):
        for i in range(per_week):
            b.touch(people[i % len(people)], week * 7 + i % 7, replied_after=1 if i % 3 else None)
    for i in range(20):
        target = people[(i + 1) % len(people)]
        intro = b.introduction(people[i], target, requested=40 - i, made=38 - i, contacted=37 - i)
        b.meeting(target, 30 - i, introduction=intro)
        b.follow_up(people[i], 10 - i, done=None if i % 2 else 10.5 - i)
        b.application(f"Company {i}", applied=20 + i)
    b.feedback(source="coach", about="other", days_ago=3, note="Strong pitch")
    b.finish()


def test_one_client_loads_and_reports_in_at_most_ten_queries(
    search, coach, builder, django_assert_max_num_queries
):
    busy(builder, search)
    assert Interaction.objects.filter(client=search).count() >= 700
    with django_assert_max_num_queries(10):
        loaded = search_load(actor=coach, client_id=search.pk)
    assert len(loaded.snapshot.interactions) == Interaction.objects.filter(client=search).count()
    with django_assert_max_num_queries(10):
        report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert report["findings"]


def test_the_batched_loader_runs_the_same_queries_for_1_or_20_clients(coach, builder, make_client):
    clients = [make_client(time_zone="America/Chicago") for _ in range(20)]
    for n, client in enumerate(clients):
        b = builder(client, seed=n)
        people = [b.contact() for _ in range(5)]
        for day in range(10):
            b.touch(people[day % 5], day)
        b.introduction(people[0], people[1], requested=9, made=8)
        b.meeting(people[2], 3)
        b.follow_up(people[3], 2)
        b.application("Acme", applied=5)
        b.finish()

    def count(ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as queries:
            loaded = searches_load(actor=coach, client_ids=ids)
        assert [x.client.pk for x in loaded] == sorted(ids)
        for x in loaded:
            stored = Interaction.objects.filter(client=x.client).count()
            assert len(x.snapshot.interactions) == stored >= 10
        return len(queries)

    one, twenty = count([clients[0].pk]), count([c.pk for c in clients])
    assert one == twenty <= 10
    with CaptureQueriesContext(connection) as queries:
        everyone = searches_load_all()
    assert len(everyone) == 20
    assert len(queries) == one


def test_scope_of_the_loaders(search, other_search, coach, other_coach, owner, client_user):
    with pytest.raises(NotFound):
        search_load(actor=other_coach, client_id=search.pk)
    with pytest.raises(NotFound):
        search_load(actor=client_user, client_id=other_search.pk)
    with pytest.raises(NotFound):
        search_load(actor=coach, client_id=10**9)
    assert search_load(actor=client_user, client_id=search.pk).client == search
    assert [x.client for x in searches_load(actor=coach)] == [search]
    assert [x.client for x in searches_load(actor=coach, client_ids=[other_search.pk])] == []
    assert {x.client for x in searches_load(actor=owner)} == {search, other_search}


def test_an_empty_search_loads(search, coach):
    loaded = search_load(actor=coach, client_id=search.pk)
    assert loaded.snapshot.interactions == ()
    assert loaded.snapshot.contacts == ()
    assert loaded.thresholds.weekly_goal == 15
    assert len(loaded.snapshot.client.presentation) == 3
    assert searches_load(actor=coach, client_ids=[]) == []
