"""The demo generator: deterministic, idempotent, one search per story, valid records."""

from datetime import date

from django.db.models import Count

from accounts.models import Role
from coaching.choices import ClientStatus
from coaching.demo import STORIES, demo_email, generate_benchmark, seed_demo
from coaching.models import ActivityEvent, Client, Interaction, Introduction

AS_OF = date(2024, 4, 15)
CATALOG = {
    "low_outreach_volume", "eggs_in_one_basket", "job_board_reliance", "low_season",
    "neglected_influencers", "not_asking", "left_field_ask", "unwilling_contact",
    "contact_lacks_leverage", "intro_not_acted_on", "referral_no_show", "referral_abandoned",
    "no_thanks_or_outcome", "unprepared_meeting", "poor_fit_targeting", "presentation_issues",
    "leaving_story_unconvincing", "reputation_risk", "stalemate", "over_follow_up",
    "follow_ups_overdue", "employer_unresponsive",
}  # fmt: skip


def test_stories_cover_the_catalog_with_one_or_two_reasons_each():
    shown = [code for story in STORIES for code in story.reasons]
    assert set(shown) <= CATALOG
    assert CATALOG - set(shown) == {"low_season"}  # depends on the as-of day, not on a story
    assert all(len(story.reasons) <= 2 for story in STORIES)
    assert sum(not story.reasons for story in STORIES) >= 3  # healthy ones, one of them landed
    assert len({story.slug for story in STORIES}) == len(STORIES)


def test_stories_show_every_status_a_dashboard_counts():
    statuses = [story.status for story in STORIES]
    assert set(statuses) == {"active", "slowing", "stalled", "landed"}
    assert all((story.status == "landed") == story.landed for story in STORIES)
    assert statuses.count("stalled") == 3
    assert 1 <= statuses.count("slowing") <= 2
    assert all(
        story.status == "active" for story in STORIES if not story.reasons and not story.landed
    )
    assert {s.slug: s.status for s in STORIES}["stalled-stan"] == "stalled"


def test_seed_demo_writes_every_story_once(coach, client_user):
    seeded = seed_demo(as_of=AS_OF, coach=coach, portal_client=client_user)
    assert [d.story.slug for d in seeded] == [s.slug for s in STORIES]
    assert all(d.created for d in seeded)
    by_slug = {d.story.slug: d.client for d in seeded}
    assert by_slug["ghost-gina"].user == client_user
    stan = Client.objects.get(user__email=demo_email("stalled-stan"))
    assert stan.user.role == Role.CLIENT
    assert stan.coach == coach
    assert by_slug["landed-leo"].status == ClientStatus.LANDED
    # Enough history for weekly figures, nothing after the as-of day ends.
    counts = dict(Interaction.objects.values_list("client").annotate(n=Count("id")))
    assert min(counts.values()) >= 60
    latest = Interaction.objects.order_by("-occurred_at").first()
    assert latest is not None
    assert latest.occurred_at.date() <= AS_OF
    # The timeline is in the order things happened.
    events = list(ActivityEvent.objects.filter(client=by_slug["ghost-gina"]).order_by("at"))
    assert events[0].verb == "client.created"
    assert (
        Introduction.objects.filter(client=by_slug["ghost-gina"], first_contact_at=None).count()
        == 2
    )
    # Running again changes nothing.
    before = Interaction.objects.count()
    again = seed_demo(as_of=date(2024, 5, 1), coach=coach, portal_client=client_user)
    assert not any(d.created for d in again)
    assert Interaction.objects.count() == before


def test_seed_demo_is_deterministic(coach):
    def fingerprint() -> list[tuple]:
        return list(
            Interaction.objects.order_by(
                "client__user__email", "occurred_at", "contact__name", "kind"
            ).values_list(
                "client__user__email", "occurred_at", "contact__name", "kind", "replied_at"
            )
        )

    from django.db import transaction

    stories = STORIES[:3]
    with transaction.atomic():
        seed_demo(as_of=AS_OF, coach=coach, stories=stories)
        first = fingerprint()
        transaction.set_rollback(True)
    seed_demo(as_of=AS_OF, coach=coach, stories=stories)
    assert fingerprint() == first


def test_generate_benchmark_small(practice):
    result = generate_benchmark(
        clients=5, interactions=500, contacts_per_client=10, seed=7, as_of=AS_OF
    )
    assert (result.clients, result.contacts, result.interactions) == (5, 50, 500)
    assert Interaction.objects.count() == 500
    assert Client.objects.filter(user__email__startswith="bench-7-client").count() == 5


# That each story shows exactly its reasons through the real loader and reports is checked in
# tests/coaching/insights/test_demo_stories.py.
