"""Cleo's search with one of each record, for the record pages' tests."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from accounts.models import User
from coaching.choices import ApplicationSource, FeedbackAbout, FeedbackSource, MeetingPurpose
from coaching.models import (
    Application,
    Client,
    Contact,
    Feedback,
    FollowUp,
    Interaction,
    Introduction,
    Meeting,
)
from coaching.services import (
    application_create,
    feedback_record,
    follow_up_schedule,
    introduction_create,
    meeting_schedule,
)
from tests import factories


@dataclass
class Records:
    client: Client
    ann: Contact
    ben: Contact
    interaction: Interaction
    introduction: Introduction
    follow_up: FollowUp
    application: Application
    meeting: Meeting
    feedback: Feedback

    def urls(self) -> dict[str, str]:
        """Every record page of the search, by what it is (GET answers 200 for the coach)."""
        c = f"/clients/{self.client.pk}/"
        return {
            "client edit": c + "edit/",
            "contact new": c + "contacts/new/",
            "contact edit": c + f"contacts/{self.ann.pk}/edit/",
            "contact merge": c + f"contacts/{self.ann.pk}/merge/",
            "interaction new": c + "interactions/new/",
            "interaction edit": c + f"interactions/{self.interaction.pk}/edit/",
            "introduction new": c + "introductions/new/",
            "introduction page": c + f"introductions/{self.introduction.pk}/",
            "introduction remove": c + f"introductions/{self.introduction.pk}/remove/",
            "follow-up new": c + "follow-ups/new/",
            "follow-up page": c + f"follow-ups/{self.follow_up.pk}/",
            "follow-up remove": c + f"follow-ups/{self.follow_up.pk}/remove/",
            "application new": c + "applications/new/",
            "application edit": c + f"applications/{self.application.pk}/",
            "application remove": c + f"applications/{self.application.pk}/remove/",
            "meeting new": c + "meetings/new/",
            "meeting page": c + f"meetings/{self.meeting.pk}/",
            "meeting remove": c + f"meetings/{self.meeting.pk}/remove/",
            "feedback new": c + "feedback/new/",
            "feedback remove": c + f"feedback/{self.feedback.pk}/remove/",
            "client pipeline": c + "pipeline/",
        }


def records_of(client: Client) -> Records:
    coach = client.coach
    now = timezone.now()
    ann = factories.contact(client, name="Ann Introducer", company="Acme")
    ben = factories.contact(client, name="Ben Target", company="Globex")
    factories.outreach(client, ann, days_ago=3)
    application = application_create(
        client=client,
        actor=coach,
        company="Globex",
        role="Data engineer",
        source=ApplicationSource.REFERRAL,
    )
    return Records(
        client=client,
        ann=ann,
        ben=ben,
        interaction=Interaction.objects.get(contact=ann),
        introduction=introduction_create(
            client=client, actor=coach, introducer=ann, target=ben, made_at=now - timedelta(days=2)
        ),
        follow_up=follow_up_schedule(
            client=client, actor=coach, contact=ben, due_on=timezone.localdate() + timedelta(2)
        ),
        application=application,
        meeting=meeting_schedule(
            client=client,
            actor=coach,
            contact=ben,
            scheduled_for=now + timedelta(days=3),
            purpose=MeetingPurpose.INFORMATIONAL,
        ),
        feedback=feedback_record(
            client=client,
            actor=coach,
            source=FeedbackSource.COACH,
            about=FeedbackAbout.OTHER,
            received_on=timezone.localdate(),
            note="Talks too fast",
        ),
    )


@pytest.fixture
def recs(search: Client) -> Records:
    return records_of(search)


@pytest.fixture
def other_recs(other_search: Client) -> Records:
    return records_of(other_search)


@pytest.fixture
def as_coach(http: HttpClient, coach: User) -> HttpClient:
    http.force_login(coach)
    return http
