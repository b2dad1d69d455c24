"""The demo practice's searches, written relative to an "as of" day."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from accounts.models import Role, User
from coaching.choices import ClientStatus
from coaching.demo.builder import SearchBuilder
from coaching.demo.stories import STORIES, Story
from coaching.models import Client

DEMO_DOMAIN = "demo.warmpath.test"
_ZONES = ("America/New_York", "Europe/Berlin", "America/Los_Angeles", "Europe/London")


@dataclass(frozen=True, slots=True)
class DemoClient:
    story: Story
    client: Client
    created: bool  # False when the search already existed (seed_demo is idempotent)


def demo_email(slug: str) -> str:
    """The login of a story's client: a test can find "the client whose story is X"."""
    return f"{slug}@{DEMO_DOMAIN}"


@transaction.atomic
def seed_demo(
    *,
    as_of: date,
    coach: User,
    portal_client: User | None = None,
    portal_story: str = "ghost-gina",
    seed: int = 2024,
    stories: tuple[Story, ...] = STORIES,
) -> list[DemoClient]:
    """One search per story, coached by `coach`, as it stands on `as_of`.

    `portal_client` (the demo's client login) gets the `portal_story` search instead of a user of
    its own. Idempotent: a story whose user already has a search is left untouched, so running it
    again (even with another as-of day) never doubles data. Same seed and as-of, same data.
    """
    result = []
    for index, story in enumerate(stories):
        if portal_client is not None and story.slug == portal_story:
            user = portal_client
        else:
            user = User.objects.filter(email=demo_email(story.slug)).first() or (
                User.objects.create_user(
                    demo_email(story.slug), None, name=story.name, role=Role.CLIENT
                )
            )
        existing = Client.objects.filter(user=user).first()
        if existing is not None:
            result.append(DemoClient(story=story, client=existing, created=False))
            continue
        rng = random.Random(f"{seed}:{story.slug}")
        landed_on = as_of - timedelta(days=5) if story.landed else None
        client = Client.objects.create(
            user=user,
            coach=coach,
            headline=story.headline,
            search_started_on=as_of - timedelta(days=70),
            time_zone=_ZONES[index % len(_ZONES)],
            status=ClientStatus.LANDED if story.landed else ClientStatus.ACTIVE,
            landed_on=landed_on,
        )
        builder = SearchBuilder(client=client, as_of=as_of, rng=rng)
        story.write(builder)
        builder.finish()
        result.append(DemoClient(story=story, client=client, created=True))
    return result
