"""What we email, and the topics a person switches on or off.

A *topic* is what a person chooses in their preferences (and what an unsubscribe link turns off);
a *kind* is one particular email. Several kinds can share a topic: the 2-day and 7-day reminders
about an introduction are both "introduction reminders". Values are stored: treat them as a
contract.
"""

from dataclasses import dataclass

from django.db import models

from accounts.models import Role


class Topic(models.TextChoices):
    INTRODUCTIONS = "introductions", "Introduction reminders"
    FOLLOW_UPS = "follow_ups", "Follow-up reminders"
    THANK_YOUS = "thank_yous", "Thank-you and outcome reminders"
    CLIENT_ALERTS = "client_alerts", "Alerts about your clients"
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest"


class Kind(models.TextChoices):
    INTRO_NUDGE = "intro_nudge", "An introduction is waiting for your call"
    INTRO_OVERDUE_COACH = "intro_overdue_coach", "A client has not acted on an introduction"
    FOLLOW_UPS_DUE = "follow_ups_due", "Follow-ups due today"
    AFTER_MEETING = "after_meeting", "Thank-you after a meeting"
    CLOSE_THE_LOOP = "close_the_loop", "Close the loop on an introduction"
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest"


KIND_TOPIC: dict[str, Topic] = {
    Kind.INTRO_NUDGE: Topic.INTRODUCTIONS,
    Kind.INTRO_OVERDUE_COACH: Topic.CLIENT_ALERTS,
    Kind.FOLLOW_UPS_DUE: Topic.FOLLOW_UPS,
    Kind.AFTER_MEETING: Topic.THANK_YOUS,
    Kind.CLOSE_THE_LOOP: Topic.THANK_YOUS,
    Kind.WEEKLY_DIGEST: Topic.WEEKLY_DIGEST,
}


@dataclass(frozen=True, slots=True)
class TopicInfo:
    topic: Topic
    for_clients: bool
    for_coaches: bool
    when: str
    """When it is sent, in the words the preferences page and the docs use."""


TOPICS: tuple[TopicInfo, ...] = (
    TopicInfo(
        Topic.INTRODUCTIONS,
        for_clients=True,
        for_coaches=False,
        when="Two days after someone introduces you and you have not yet contacted the person "
        "you were introduced to, and once more at seven days.",
    ),
    TopicInfo(
        Topic.FOLLOW_UPS,
        for_clients=True,
        for_coaches=False,
        when="On the morning a follow-up is due. If a contact has not replied to the follow-ups "
        "you already sent, we tell you to leave it instead of nudging you again.",
    ),
    TopicInfo(
        Topic.THANK_YOUS,
        for_clients=True,
        for_coaches=False,
        when="The day after a networking meeting with no thank-you recorded, and when an "
        "introduction closes without a thank-you or an outcome report to the introducer.",
    ),
    TopicInfo(
        Topic.CLIENT_ALERTS,
        for_clients=False,
        for_coaches=True,
        when="When one of your clients has left an introduction without a call for seven days.",
    ),
    TopicInfo(
        Topic.WEEKLY_DIGEST,
        for_clients=False,
        for_coaches=True,
        when="Monday at 8:00 in the practice's time zone, only if something needs your "
        "attention: clients who became stalled or slowing, new critical findings, overdue "
        "thank-yous and outcome reports, over-chased contacts.",
    ),
)


def topics_for(role: str) -> tuple[TopicInfo, ...]:
    """The topics a person with `role` can receive (an owner who coaches gets the coach's)."""
    coaching = role in (Role.OWNER, Role.COACH)
    return tuple(t for t in TOPICS if (t.for_coaches if coaching else t.for_clients))
