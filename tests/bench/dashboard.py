"""Server time of the coach dashboard for a practice with 200 clients, each with a realistic
search (contacts, ~12 weeks of outreach, introductions, meetings, follow-ups).

    .venv/bin/python -m tests.bench.dashboard [--clients 200] [--renders 30]

Reports three figures: the first render after every client changed (each one diagnosed again,
snapshots loaded in a fixed number of queries), the steady state (summaries cached until a
client's records change), and a render after one client changed. Goal: median <= 150 ms.
"""

import argparse
import random
from datetime import timedelta

from tests.bench.harness import bench_database, summary, timed

CHANNELS = ("email", "linkedin", "phone", "coffee", "video")


def _populate(*, clients: int, seed: int = 7) -> None:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Role, User
    from coaching.models import (
        ActivityEvent,
        Client,
        Contact,
        FollowUp,
        Interaction,
        Introduction,
        Meeting,
        PresentationCheck,
    )

    rng = random.Random(seed)
    now = timezone.now()
    coach = User.objects.create_user("coach@bench.example.com", "bench-pass-123", role=Role.COACH)
    users = User.objects.bulk_create(
        User(email=f"client{n}@bench.example.com", name=f"Client {n:03d}", role=Role.CLIENT)
        for n in range(clients)
    )
    searches = Client.objects.bulk_create(
        Client(
            user=u,
            coach=coach,
            search_started_on=(now - timedelta(days=rng.randint(30, 200))).date(),
            headline="Product manager",
        )
        for u in users
    )
    PresentationCheck.objects.bulk_create(
        PresentationCheck(client=c, item=item)
        for c in searches
        for item in ("resume", "linkedin", "other_profiles")
    )
    contacts = Contact.objects.bulk_create(
        Contact(client=c, name=f"Contact {c.pk}-{i}", company=f"Company {i % 9}")
        for c in searches
        for i in range(40)
    )
    by_client: dict[int, list[Contact]] = {}
    for contact in contacts:
        by_client.setdefault(contact.client_id, []).append(contact)
    interactions, intros, meetings, follow_ups, events = [], [], [], [], []
    for c in searches:
        people = by_client[c.pk]
        pace = rng.choice((0, 1, 2, 3, 4))  # some searches have gone quiet
        for day in range(0, 84):
            for _ in range(rng.randint(0, pace)):
                occurred = now - timedelta(days=day, hours=rng.randint(1, 10))
                interactions.append(
                    Interaction(
                        client=c,
                        contact=rng.choice(people),
                        occurred_at=occurred,
                        channel=rng.choice(CHANNELS),
                        direction="outbound",
                        kind=rng.choice(("outreach", "follow_up", "conversation")),
                        replied_at=occurred + timedelta(days=1) if rng.random() < 0.3 else None,
                    )
                )
        for i in range(3):
            made = now - timedelta(days=rng.randint(1, 40))
            intros.append(
                Introduction(
                    client=c,
                    introducer=people[i],
                    target=people[10 + i],
                    made_at=made,
                    first_contact_at=made + timedelta(days=1) if rng.random() < 0.6 else None,
                )
            )
        for i in range(2):
            meetings.append(
                Meeting(
                    client=c,
                    contact=people[20 + i],
                    scheduled_for=now - timedelta(days=rng.randint(1, 30)),
                    purpose="networking",
                    status="held",
                )
            )
            follow_ups.append(
                FollowUp(
                    client=c,
                    contact=people[30 + i],
                    due_on=(now - timedelta(days=rng.randint(-5, 10))).date(),
                    channel="email",
                )
            )
        events.append(
            ActivityEvent(client=c, verb="client.created", subject_type="client", subject_id=c.pk)
        )
    Interaction.objects.bulk_create(interactions, batch_size=5000)
    Introduction.objects.bulk_create(intros)
    Meeting.objects.bulk_create(meetings)
    FollowUp.objects.bulk_create(follow_ups)
    ActivityEvent.objects.bulk_create(events)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{clients} clients, {len(contacts)} contacts, {len(interactions)} interactions")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--renders", type=int, default=30)
    args = parser.parse_args()

    with bench_database():
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client as HttpClient
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone
        from django_tenants.utils import schema_context

        from accounts.models import User
        from coaching.choices import Channel, Direction, InteractionKind
        from coaching.models import Client
        from coaching.services import interaction_record
        from tenants.provisioning import practice_create, practice_host, spares_replenish

        spares_replenish(target=1)
        practice = practice_create(
            name="Bench Coaching",
            slug="bench",
            owner_name="Bench Owner",
            owner_email="owner@bench.example.com",
            password="bench-pass-123",
        ).practice
        with schema_context(practice.schema_name):
            _populate(clients=args.clients)
            coach = User.objects.get(email="coach@bench.example.com")
            first = Client.objects.order_by("pk").first()
            assert first is not None
        http = HttpClient(HTTP_HOST=practice_host(slug="bench"))
        with schema_context(practice.schema_name):
            http.force_login(coach)

        def render() -> None:
            response = http.get("/")
            assert response.status_code == 200
            assert response.content.count(b"data-client=") == args.clients

        cold = []
        for _ in range(3):
            cache.clear()
            cold.append(timed(render))
        render()
        warm = [timed(render) for _ in range(args.renders)]
        with CaptureQueriesContext(connection) as captured:
            render()
        queries = sum(not q["sql"].startswith("SET ") for q in captured.captured_queries)

        def one_change() -> None:
            with schema_context(practice.schema_name):
                contact = first.contacts.first()
                assert contact is not None
                interaction_record(
                    client=first,
                    actor=coach,
                    contact=contact,
                    occurred_at=timezone.now(),
                    channel=Channel.EMAIL,
                    direction=Direction.OUTBOUND,
                    kind=InteractionKind.OUTREACH,
                )

        changed = []
        for _ in range(10):
            one_change()
            changed.append(timed(render))
        print(f"dashboard, every client recomputed (cold cache): {summary(cold)}")
        print(f"dashboard, steady state (summaries cached):     {summary(warm)}")
        print(f"dashboard, after one client changed:            {summary(changed)}")
        print(f"queries per steady-state render (without SET search_path): {queries}")
        print("goal: median <= 150 ms")


if __name__ == "__main__":
    main()
