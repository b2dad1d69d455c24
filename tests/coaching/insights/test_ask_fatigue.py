"""Ask fatigue: one person asked by several of the practice's clients within the window, matched
by email or LinkedIn profile; named only to a reader who may see every client involved."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from coaching import services
from coaching.insights.ask_fatigue import (
    ASK_FATIGUE,
    AskFatigueThresholds,
    cautions_for_client,
    practice_findings,
)
from coaching.models import Client, Contact

AS_OF = date(2024, 4, 15)


def _at(days_ago: int) -> datetime:
    """Noon (New York, the practice's zone) `days_ago` days before AS_OF."""
    return datetime.combine(AS_OF - timedelta(days=days_ago), time(16, 0), tzinfo=UTC)


def _sam(client: Client, **fields: str) -> Contact:
    fields.setdefault("email", "sam.lee@example.com")
    return services.contact_create(client=client, actor=client.coach, name="Sam Lee", **fields)


def _ask(client: Client, contact: Contact, *, days_ago: int) -> None:
    services.interaction_record(
        client=client,
        actor=client.coach,
        contact=contact,
        occurred_at=_at(days_ago),
        channel="email",
        direction="outbound",
        kind="referral_request",
    )


@pytest.fixture
def third(make_client: Callable[..., Client], coach: User) -> Client:
    """A third client of Cora's (the `coach`), so Cleo has a colleague her coach may see."""
    return make_client(coach_user=coach)


def test_three_asks_from_two_clients_in_30_days_is_a_practice_finding(
    owner: User, search: Client, other_search: Client
) -> None:
    _ask(search, _sam(search), days_ago=1)
    _ask(search, Contact.objects.get(client=search, name="Sam Lee"), days_ago=29)
    carl_sam = _sam(other_search, email="Sam.Lee@Example.com ")
    assert practice_findings(actor=owner, as_of=AS_OF) == []  # two asks: just below
    _ask(other_search, carl_sam, days_ago=3)
    (finding,) = practice_findings(actor=owner, as_of=AS_OF)
    assert (finding.asks, finding.clients, finding.name) == (3, 2, "Sam Lee")
    assert {name for _, name in finding.shown_clients} == {"Cleo Client", "Carl Client"}
    assert finding.last_asked_on == AS_OF - timedelta(days=1)
    assert "asked for introductions or referrals 3 times by 2 clients" in finding.sentence


def test_an_ask_30_days_back_is_outside_the_window(
    owner: User, search: Client, other_search: Client
) -> None:
    sam = _sam(search)
    _ask(search, sam, days_ago=1)
    _ask(search, sam, days_ago=30)  # just outside: the window is the as-of day and 29 before
    _ask(other_search, _sam(other_search), days_ago=2)
    assert practice_findings(actor=owner, as_of=AS_OF) == []
    assert len(practice_findings(actor=owner, as_of=AS_OF - timedelta(days=1))) == 1


def test_one_client_asking_three_times_is_not_ask_fatigue(owner: User, search: Client) -> None:
    sam = _sam(search)
    for days_ago in (1, 5, 9):
        _ask(search, sam, days_ago=days_ago)
    assert practice_findings(actor=owner, as_of=AS_OF) == []


def test_thresholds_are_named_and_can_be_changed(
    owner: User, search: Client, other_search: Client
) -> None:
    assert (ASK_FATIGUE.asks, ASK_FATIGUE.days, ASK_FATIGUE.clients) == (3, 30, 2)
    _ask(search, _sam(search), days_ago=1)
    _ask(other_search, _sam(other_search), days_ago=1)
    lenient = AskFatigueThresholds(asks=2)
    assert len(practice_findings(actor=owner, as_of=AS_OF, thresholds=lenient)) == 1


def test_matched_by_linkedin_profile_however_spelled(
    owner: User, search: Client, other_search: Client, third: Client
) -> None:
    a = _sam(search, email="", linkedin_url="https://www.linkedin.com/in/sam-lee")
    b = _sam(other_search, email="", linkedin_url="linkedin.com/in/Sam-Lee/?trk=x")
    c = _sam(third, email="", linkedin_url="https://linkedin.com/in/sam-lee/")
    for client, contact in ((search, a), (other_search, b), (third, c)):
        _ask(client, contact, days_ago=2)
    (finding,) = practice_findings(actor=owner, as_of=AS_OF)
    assert (finding.asks, finding.clients) == (3, 3)


def test_an_ask_recorded_twice_the_same_day_counts_once(
    owner: User, search: Client, other_search: Client
) -> None:
    sam = _sam(search)
    target = services.contact_create(client=search, actor=search.coach, name="Hiring Manager")
    _ask(search, sam, days_ago=4)
    services.introduction_create(
        client=search, actor=search.coach, introducer=sam, target=target, requested_at=_at(4)
    )
    _ask(other_search, _sam(other_search), days_ago=2)
    assert practice_findings(actor=owner, as_of=AS_OF) == []  # 2 asks, not 3
    services.introduction_create(
        client=search, actor=search.coach, introducer=sam, target=target, requested_at=_at(6)
    )
    assert practice_findings(actor=owner, as_of=AS_OF)[0].asks == 3


def test_the_coach_sees_a_caution_before_the_next_ask_counts_only_for_others(
    coach: User, owner: User, search: Client, other_search: Client, third: Client
) -> None:
    cleo_sam = _sam(search)
    _ask(other_search, _sam(other_search), days_ago=2)  # Carl is Otto's, not Cora's
    assert cautions_for_client(actor=coach, client=search, as_of=AS_OF) == []  # 1 + 1 < 3
    _ask(third, _sam(third), days_ago=3)  # a client of Cora's own
    (caution,) = cautions_for_client(actor=coach, client=search, as_of=AS_OF)
    assert caution.contact_id == cleo_sam.pk
    assert (caution.asks_by_others, caution.other_clients, caution.own_asks) == (2, 2, 0)
    assert not caution.fatigued  # the next ask would make it so
    assert caution.sentence == (
        "Sam Lee has been asked by 2 other clients in the last 30 days (2 times)."
    )
    assert caution.visible_others == ((third.pk, third.user.name),)
    assert caution.hidden_others == 1  # Carl: counted, never named
    for_owner = cautions_for_client(actor=owner, client=search, as_of=AS_OF)[0]
    assert {name for _, name in for_owner.visible_others} == {"Carl Client", third.user.name}


def test_a_coach_is_never_told_who_when_another_coachs_client_is_involved(
    coach: User, other_coach: User, search: Client, other_search: Client, third: Client
) -> None:
    for client in (search, other_search, third):
        _ask(client, _sam(client), days_ago=1)
    (finding,) = practice_findings(actor=coach, as_of=AS_OF)
    assert finding.name is None
    assert finding.company == ""
    assert {pk for pk, _ in finding.shown_clients} == {search.pk, third.pk}
    assert finding.hidden_clients == 1
    assert finding.sentence.startswith("One person was asked")
    (otto,) = practice_findings(actor=other_coach, as_of=AS_OF)
    assert otto.name is None
    assert otto.shown_clients == ((other_search.pk, "Carl Client"),)


def test_a_coach_with_every_client_involved_sees_the_name(
    coach: User, other_coach: User, search: Client, third: Client
) -> None:
    for client, days_ago in ((search, 1), (search, 2), (third, 3)):
        contact = Contact.objects.filter(client=client, name="Sam Lee").first() or _sam(client)
        _ask(client, contact, days_ago=days_ago)
    (finding,) = practice_findings(actor=coach, as_of=AS_OF)
    assert finding.name == "Sam Lee"
    assert practice_findings(actor=other_coach, as_of=AS_OF) == []  # none of Otto's clients


def test_another_practice_is_never_counted(
    owner: User, search: Client, other_search: Client, other_practice
) -> None:
    from django.db import connection

    _ask(search, _sam(search), days_ago=1)
    _ask(other_search, _sam(other_search), days_ago=1)
    alpha = connection.tenant
    with schema_context(other_practice.schema_name):
        connection.tenant = other_practice
        bravo_coach = User.objects.get(email="coach@bravo.example.com")
        bravo_client = services.client_create(
            actor=bravo_coach,
            user=User.objects.get(email="client@bravo.example.com"),
            coach=bravo_coach,
            search_started_on=date(2024, 1, 8),
        )
        _ask(bravo_client, _sam(bravo_client), days_ago=1)
        assert practice_findings(actor=bravo_coach, as_of=AS_OF) == []  # one ask there
    connection.set_tenant(alpha)
    assert practice_findings(actor=owner, as_of=AS_OF) == []  # two asks here, not three


def test_a_fixed_number_of_queries_whatever_the_asks(
    owner: User, coach: User, search: Client, other_search: Client, third: Client,
    django_assert_num_queries,
) -> None:  # fmt: skip
    def asks(n: int) -> None:
        for client in (search, other_search, third):
            contact = services.contact_create(
                client=client, actor=client.coach, name=f"P{n}", email=f"p{n}@example.com"
            )
            _ask(client, contact, days_ago=1)

    asks(1)
    with django_assert_num_queries(4):
        assert len(practice_findings(actor=owner, as_of=AS_OF)) == 1
    with django_assert_num_queries(4):
        cautions_for_client(actor=coach, client=search, as_of=AS_OF)
    for n in range(2, 6):
        asks(n)
    with django_assert_num_queries(4):
        assert len(practice_findings(actor=owner, as_of=AS_OF)) == 5
    with django_assert_num_queries(4):
        assert len(cautions_for_client(actor=coach, client=search, as_of=AS_OF)) == 5
