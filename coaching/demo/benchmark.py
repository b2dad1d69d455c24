"""A practice-sized load for benchmarks: 500 clients and 250,000 interactions by default.

Written with bulk_create in batches, no services and no timeline: it measures reads and
diagnostics at scale, not the write path.
"""

import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Role, User
from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    Channel,
    Direction,
    FitRating,
    HowMet,
    InteractionKind,
    IntroductionStatus,
    PresentationItem,
)
from coaching.demo.builder import COMPANIES, FIRST, LAST, TITLES
from coaching.models import (
    Application,
    Client,
    Contact,
    FollowUp,
    Interaction,
    Introduction,
    PresentationCheck,
)
from coaching.normalize import company_key

BATCH = 5000
_KINDS = [
    (InteractionKind.OUTREACH, 55),
    (InteractionKind.FOLLOW_UP, 15),
    (InteractionKind.CONVERSATION, 15),
    (InteractionKind.THANK_YOU, 5),
    (InteractionKind.REFERRAL_REQUEST, 4),
    (InteractionKind.INTRODUCTION_REQUEST, 3),
    (InteractionKind.OUTCOME_REPORT, 3),
]


@dataclass(frozen=True, slots=True)
class BenchmarkResult:
    clients: int
    contacts: int
    interactions: int
    seconds: float


@transaction.atomic
def generate_benchmark(
    *,
    clients: int = 500,
    interactions: int = 250_000,
    contacts_per_client: int = 40,
    coaches: int = 10,
    seed: int = 42,
    as_of: date | None = None,
) -> BenchmarkResult:
    """Write the load into the current practice's schema; users are `bench-<seed>-…@bench.test`."""
    started = time.perf_counter()
    rng = random.Random(seed)
    end = datetime.combine(as_of or date.today(), datetime.min.time(), tzinfo=UTC)
    unusable = make_password(None)
    coach_users = User.objects.bulk_create(
        User(email=f"bench-{seed}-coach{i}@bench.test", name=f"Coach {i}", role=Role.COACH,
             password=unusable)
        for i in range(coaches)
    )  # fmt: skip
    client_users = User.objects.bulk_create(
        (
            User(email=f"bench-{seed}-client{i}@bench.test", name=f"Client {i}", role=Role.CLIENT,
                 password=unusable)
            for i in range(clients)
        ),
        batch_size=BATCH,
    )  # fmt: skip
    started_on = (end - timedelta(days=180)).date()
    client_rows = Client.objects.bulk_create(
        (
            Client(user=user, coach=coach_users[i % coaches], search_started_on=started_on,
                   target_roles=[{"role": "Data lead", "family": "data"}])
            for i, user in enumerate(client_users)
        ),
        batch_size=BATCH,
    )  # fmt: skip
    PresentationCheck.objects.bulk_create(
        (PresentationCheck(client=c, item=i) for c in client_rows for i in PresentationItem.values),
        batch_size=BATCH,
    )  # fmt: skip
    contact_rows = Contact.objects.bulk_create(
        (_contact(rng, client, n) for client in client_rows for n in range(contacts_per_client)),
        batch_size=BATCH,
    )
    by_client = [
        contact_rows[i : i + contacts_per_client]
        for i in range(0, len(contact_rows), contacts_per_client)
    ]
    kinds, weights = zip(*_KINDS, strict=True)
    batch: list[Interaction] = []
    for n in range(interactions):
        i = rng.randrange(clients)
        contact = rng.choice(by_client[i])
        occurred = end - timedelta(minutes=rng.randrange(180 * 24 * 60))
        kind = rng.choices(kinds, weights)[0]
        replied = occurred + timedelta(hours=rng.randint(2, 96)) if rng.random() < 0.3 else None
        batch.append(
            Interaction(client=client_rows[i], contact=contact, occurred_at=occurred,
                        channel=rng.choice(Channel.values), direction=Direction.OUTBOUND,
                        kind=kind, replied_at=min(replied, end) if replied else None)
        )  # fmt: skip
        if len(batch) == BATCH or n == interactions - 1:
            Interaction.objects.bulk_create(batch)
            batch = []
    _threads(rng, client_rows, by_client, end)
    return BenchmarkResult(
        clients=clients,
        contacts=len(contact_rows),
        interactions=interactions,
        seconds=time.perf_counter() - started,
    )


def _contact(rng: random.Random, client: Client, n: int) -> Contact:
    company = rng.choice(COMPANIES)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return Contact(
        client=client,
        name=name,
        company=company,
        company_key=company_key(company),
        title=rng.choice(TITLES),
        email=f"c{n}.{client.pk}@example.com",
        how_met=rng.choice(HowMet.values),
        is_key_influencer=rng.random() < 0.05,
        is_hiring_authority=rng.random() < 0.1,
    )


def _threads(
    rng: random.Random, clients: list[Client], by_client: list[list[Contact]], end: datetime
) -> None:
    """A few introductions, follow-ups and applications per client, so reports have funnels."""
    intros, follow_ups, apps = [], [], []
    for client, contacts in zip(clients, by_client, strict=True):
        for _ in range(3):
            introducer, target = rng.sample(contacts, 2)
            made = end - timedelta(days=rng.randint(1, 60))
            contacted = made + timedelta(days=rng.randint(0, 6)) if rng.random() < 0.7 else None
            intros.append(
                Introduction(client=client, introducer=introducer, target=target,
                             requested_at=made - timedelta(days=2), made_at=made,
                             first_contact_at=min(contacted, end) if contacted else None,
                             status=IntroductionStatus.OPEN)
            )  # fmt: skip
        for _ in range(4):
            due = (end - timedelta(days=rng.randint(-7, 20))).date()
            done = end - timedelta(days=rng.randint(0, 5)) if rng.random() < 0.6 else None
            follow_ups.append(FollowUp(client=client, contact=rng.choice(contacts), due_on=due,
                                       channel=Channel.EMAIL, done_at=done))  # fmt: skip
        for _ in range(3):
            company = rng.choice(COMPANIES)
            apps.append(
                Application(client=client, company=company, company_key=company_key(company),
                            role="Data lead", role_family="data",
                            source=rng.choice(ApplicationSource.values),
                            fit_rating=rng.choice(FitRating.values),
                            status=rng.choice(ApplicationStatus.values),
                            applied_on=(end - timedelta(days=rng.randint(1, 90))).date())
            )  # fmt: skip
    Introduction.objects.bulk_create(intros, batch_size=BATCH)
    FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)
    Application.objects.bulk_create(apps, batch_size=BATCH)
