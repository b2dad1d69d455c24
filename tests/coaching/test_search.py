"""Finding people (coaching.search): company keys that survive case, punctuation and legal forms,
trigram-similar companies, the ranking of "who do I know at X?", paging, and scope."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from coaching.choices import Direction, InteractionKind, Willingness
from coaching.models import Client, Contact
from coaching.normalize import company_key
from coaching.search import (
    CONTACTS_PER_PAGE,
    Tie,
    contacts_page,
    who_do_i_know_at,
    who_in_practice_knows,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "spelling",
    [
        "Acme, Inc.",
        "ACME",
        "acme corp",
        "  Acme   Corporation ",
        "A.C.M.E. Ltd",
        "Acme LLC",
        "The Acme Co.",
    ],
)
def test_company_key_ignores_case_punctuation_and_legal_forms(spelling: str) -> None:
    assert company_key(spelling) == "acme"


def test_company_key_keeps_what_names_the_company() -> None:
    assert company_key("AT&T") == company_key("AT and T")
    assert company_key("Nestlé S.A.") == "nestle"
    assert company_key("Company") == "company"  # nothing but a legal form: kept
    assert company_key("Acme Robotics") != company_key("Acme")
    assert company_key("...") == ""


def test_who_do_i_know_at_acme_ranks_exact_willing_close_first(
    search: Client, make_contact: Callable[..., Contact], now
) -> None:
    cold = make_contact(search, name="Cole Cold", company="ACME")
    close = make_contact(search, name="Cara Close", company="acme corp", willingness="willing")
    unwilling = make_contact(
        search, name="Una Unwilling", company="Acme, Inc.", willingness="unwilling"
    )
    nearby = make_contact(search, name="Nia Nearby", company="Acme Robotics", willingness="willing")
    make_contact(search, name="Zed Elsewhere", company="Globex")
    for days in (3, 2, 1):
        factories.outreach(search, close, days_ago=days, now=now)
    factories.outreach(
        search,
        close,
        days_ago=0.5,
        now=now,
        direction=Direction.INBOUND,
        kind=InteractionKind.CONVERSATION,
    )
    found = who_do_i_know_at(actor=search.coach, client=search, company="Acme, Inc.")
    assert [a.contact.pk for a in found] == [close.pk, cold.pk, unwilling.pk, nearby.pk]
    assert found[0].tie is Tie.CLOSE
    assert found[0].exact
    assert found[1].tie is Tie.NONE
    assert not found[3].exact
    assert 0 < found[3].similarity < 1


def test_who_do_i_know_at_matches_every_spelling(
    search: Client, make_contact: Callable[..., Contact]
) -> None:
    target = make_contact(search, name="Ada", company="Acme, Inc.")
    for spelling in ("ACME", "acme corp", "acme", "Acme Corporation"):
        found = who_do_i_know_at(actor=search.coach, client=search, company=spelling)
        assert [a.contact.pk for a in found] == [target.pk], spelling
    assert who_do_i_know_at(actor=search.coach, client=search, company="Globex") == []
    assert who_do_i_know_at(actor=search.coach, client=search, company=" , ") == []


def test_practice_wide_ranks_clients_by_their_best_contact(
    owner: User,
    search: Client,
    other_search: Client,
    make_contact: Callable[..., Contact],
) -> None:
    make_contact(search, name="Weak Tie", company="Acme Robotics")
    make_contact(other_search, name="Will Willing", company="ACME Corp", willingness="willing")
    rows = who_in_practice_knows(actor=owner, company="acme")
    assert [row.client.pk for row in rows] == [other_search.pk, search.pk]
    assert rows[0].best.contact.name == "Will Willing"


def test_a_coach_finds_only_assigned_clients_contacts(
    coach: User, other_coach: User, search: Client, other_search: Client,
    make_contact: Callable[..., Contact],
) -> None:  # fmt: skip
    make_contact(search, name="Mine", company="Acme")
    make_contact(other_search, name="Theirs", company="Acme")
    assert [r.client.pk for r in who_in_practice_knows(actor=coach, company="Acme")] == [search.pk]
    assert who_do_i_know_at(actor=coach, client=other_search, company="Acme") == []
    assert list(contacts_page(actor=coach, client=other_search)) == []


def test_a_client_finds_only_their_own(
    client_user: User, search: Client, other_search: Client, make_contact: Callable[..., Contact]
) -> None:
    make_contact(other_search, name="Theirs", company="Acme")
    assert who_in_practice_knows(actor=client_user, company="Acme") == []
    assert who_do_i_know_at(actor=client_user, client=other_search, company="Acme") == []


def test_contacts_page_pages_every_contact_in_fixed_queries(
    search: Client, make_contact: Callable[..., Contact]
) -> None:
    Contact.objects.bulk_create(
        Contact(client=search, name=f"Person {i:03}", company="Initech", company_key="initech")
        for i in range(272)
    )
    seen = []
    page_number: int | None = 1
    while page_number:
        with CaptureQueriesContext(connection) as queries:
            page = contacts_page(actor=search.coach, client=search, page=page_number)
            rows = list(page)
        assert len(queries) <= 2, [q["sql"] for q in queries]
        seen.extend(c.pk for c in rows)
        page_number = page.next_page_number() if page.has_next() else None
    assert len(seen) == len(set(seen)) == 272
    assert page.paginator.num_pages == -(-272 // CONTACTS_PER_PAGE)


def test_contacts_page_searches_name_title_and_similar_company(
    search: Client, make_contact: Callable[..., Contact]
) -> None:
    ada = make_contact(search, name="Ada Lovelace", company="Analytical Engines Ltd")
    bob = make_contact(search, name="Bob", company="ACME, Inc.", title="Recruiter")
    make_contact(search, name="Cy", company="Globex")

    def names(query: str) -> list[str]:
        return [c.name for c in contacts_page(actor=search.coach, client=search, query=query)]

    assert names("lovelace") == [ada.name]
    assert names("recruit") == [bob.name]
    assert names("acme corp") == [bob.name]
    assert names("") == ["Ada Lovelace", "Bob", "Cy"]
    assert names("zzz") == []


def test_tie_strength_from_the_record(
    search: Client, make_contact: Callable[..., Contact], now
) -> None:
    contact = make_contact(search, name="Tia", company="Acme", willingness=Willingness.UNKNOWN)
    assert who_do_i_know_at(actor=search.coach, client=search, company="acme")[0].tie is Tie.NONE
    factories.outreach(search, contact, days_ago=2, now=now)
    assert who_do_i_know_at(actor=search.coach, client=search, company="acme")[0].tie is Tie.COLD
    factories.outreach(
        search,
        contact,
        days_ago=1,
        now=now,
        direction=Direction.INBOUND,
        kind=InteractionKind.CONVERSATION,
    )
    assert who_do_i_know_at(actor=search.coach, client=search, company="acme")[0].tie is Tie.WARM
