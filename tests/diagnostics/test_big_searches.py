"""Big searches go through the whole engine: one busy client, and a practice of 500.

How fast they go is measured by `tests/bench/diagnostics.py` (figures in docs/performance.md),
never by a clock in the suite, where other processes share the machine.
"""

import random

from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    Channel,
    Direction,
    HowMet,
    InteractionKind,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.diagnostics import diagnose, diagnosis_to_json
from coaching.diagnostics.snapshot import Snapshot
from coaching.diagnostics.thresholds import Thresholds
from tests.diagnostics.builders import AS_OF, SnapshotBuilder, ago

OPEN_STATUSES = [s for s in ApplicationStatus if s != ApplicationStatus.ACCEPTED]


def busy_client(*, interactions: int, contacts: int, seed: int) -> Snapshot:
    """A year of random but plausible activity (never landed, so every rule runs)."""
    rnd = random.Random(seed)
    b = SnapshotBuilder(tz="America/New_York", started=ago(400))
    people = [
        b.contact(
            company=f"Co{i % 40}",
            is_key_influencer=i % 25 == 0,
            how_met=HowMet.EVENT if i % 10 == 0 else HowMet.OTHER,
            first_met_on=ago(rnd.randint(0, 400)),
        )
        for i in range(contacts)
    ]
    for _ in range(interactions):
        b.interaction(
            rnd.choice(people),
            ago(rnd.randint(0, 365)),
            kind=rnd.choice(list(InteractionKind)),
            channel=rnd.choice(list(Channel)),
            direction=rnd.choice(list(Direction)),
            hour=rnd.randint(0, 22),
            replied_on=ago(rnd.randint(0, 3)) if rnd.random() < 0.1 else None,
        )
    for i in range(interactions // 50):
        b.introduction(
            rnd.choice(people),
            rnd.choice(people),
            requested=ago(rnd.randint(20, 300)),
            made=ago(rnd.randint(0, 19)),
            contacted=ago(0) if i % 2 else None,
        )
        b.meeting(
            rnd.choice(people),
            ago(rnd.randint(0, 300)),
            purpose=rnd.choice(list(MeetingPurpose)),
            status=rnd.choice(list(MeetingStatus)),
        )
        b.follow_up(rnd.choice(people), ago(rnd.randint(0, 300)))
        b.application(
            f"Co{i}",
            applied_on=ago(rnd.randint(0, 300)),
            source=rnd.choice(list(ApplicationSource)),
            status=rnd.choice(OPEN_STATUSES),
            last_client_action_on=ago(rnd.randint(0, 100)),
        )
    return b.build()


def test_one_client_with_5000_interactions_is_diagnosed_the_same_every_time() -> None:
    snapshot = busy_client(interactions=5000, contacts=250, seed=1)
    diagnosis = diagnose(snapshot=snapshot, as_of=AS_OF, thresholds=Thresholds())
    again = diagnose(snapshot=snapshot, as_of=AS_OF, thresholds=Thresholds())
    assert diagnosis.findings
    assert diagnosis_to_json(diagnosis=diagnosis) == diagnosis_to_json(diagnosis=again)


def test_a_practice_of_500_clients_and_250000_interactions_is_diagnosed_whole() -> None:
    total = 0
    diagnosed = 0
    for seed in range(500):
        snapshot = busy_client(interactions=500, contacts=60, seed=seed)
        total += len(snapshot.interactions)
        diagnosis = diagnose(snapshot=snapshot, as_of=AS_OF, thresholds=Thresholds())
        diagnosed += diagnosis.status.status is not None
    assert total == 250_000
    assert diagnosed == 500
