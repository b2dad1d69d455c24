"""The database side of the obligations agrees with the engine's definition (issue #12): on
generated introductions, `awaiting_call` (a query) selects exactly what `awaits_call` (pure)
does at any moment, and the engine's waiting calls on a day are those waiting at its end."""

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coaching.choices import AbandonReason, IntroductionKind, IntroductionStatus
from coaching.diagnostics.obligations import awaits_call
from coaching.insights.loader import searches_load_all
from coaching.insights.obligations import awaiting_call, calls_waiting, search_obligations
from coaching.models import Client, Introduction
from coaching.selectors import introductions_waiting_on_client

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def _generate(client: Client, contacts: list[int], rng: random.Random, n: int) -> None:
    """Introductions in every state the constraints allow, their moments spread over 40 days."""

    def moment(after: datetime) -> datetime:
        return after + timedelta(hours=rng.randint(0, 24 * 12), minutes=rng.randint(0, 59))

    rows = []
    for _ in range(n):
        introducer, target = rng.sample(contacts, 2)
        requested = moment(START) if rng.random() < 0.6 else None
        made = moment(requested or START) if requested is None or rng.random() < 0.7 else None
        contacted = moment(made) if made and rng.random() < 0.5 else None
        status = rng.choice(list(IntroductionStatus))
        ended = moment(made or requested or START) if status != IntroductionStatus.OPEN else None
        rows.append(
            Introduction(
                client=client,
                introducer_id=introducer,
                target_id=target,
                kind=rng.choice(list(IntroductionKind)),
                requested_at=requested,
                made_at=made,
                first_contact_at=contacted,
                status=status,
                ended_at=ended,
                abandon_reason=(
                    rng.choice(list(AbandonReason))
                    if status == IntroductionStatus.ABANDONED
                    else ""
                ),
            )
        )
    Introduction.objects.bulk_create(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_query_and_the_engine_agree_on_who_waits(search, make_contact, seed):
    rng = random.Random(seed)
    contacts = [make_contact(search).pk for _ in range(6)]
    _generate(search, contacts, rng, 120)
    [loaded] = searches_load_all(client_ids=[search.pk])
    records = loaded.snapshot.introductions
    assert len(records) == 120
    moments = [START + timedelta(hours=rng.randint(0, 24 * 40)) for _ in range(25)]
    for at in moments:
        in_db = set(
            Introduction.objects.filter(awaiting_call(at=at), client=search).values_list(
                "pk", flat=True
            )
        )
        pure = {i.id for i in records if awaits_call(i, at=at)}
        assert in_db == pure, at
        listed = {w.introduction.pk for w in calls_waiting(clients=Client.objects.all(), at=at)}
        assert listed == pure, at


@pytest.mark.parametrize("seed", [4, 5])
def test_the_engines_waiting_calls_on_a_day_are_those_waiting_at_its_end(
    search, make_contact, seed
):
    rng = random.Random(seed)
    contacts = [make_contact(search).pk for _ in range(5)]
    _generate(search, contacts, rng, 80)
    [loaded] = searches_load_all(client_ids=[search.pk])
    berlin = ZoneInfo(search.time_zone)
    for offset in range(0, 40, 3):
        day = (START + timedelta(days=offset)).astimezone(berlin).date()
        end_of_day = datetime.combine(day + timedelta(days=1), time(), tzinfo=berlin)
        engine = {c.record[1] for c in search_obligations(search=loaded, as_of=day).waiting_calls}
        moment = end_of_day - timedelta(microseconds=1)
        assert engine == {i.id for i in loaded.snapshot.introductions if awaits_call(i, at=moment)}


def test_a_waiting_call_carries_the_clients_deadlines(search, coach, make_contact, now):
    from coaching.insights.services import client_thresholds_update

    ann, bob = make_contact(search), make_contact(search)
    intro = Introduction.objects.create(
        client=search, introducer=ann, target=bob, kind=IntroductionKind.RESUME_FORWARD,
        made_at=now - timedelta(hours=60),
    )  # fmt: skip
    [waiting] = introductions_waiting_on_client(actor=coach, client_id=search.pk, now=now)
    assert waiting.introduction == intro
    assert (waiting.days_waiting, waiting.severity) == (2, "late")
    client_thresholds_update(actor=coach, client_id=search.pk, changes={"intro_warning_days": 3})
    [waiting] = introductions_waiting_on_client(actor=coach, client_id=search.pk, now=now)
    assert waiting.severity == "due"
    assert waiting.call.due_at == intro.made_at + timedelta(days=3)
