"""Ask fatigue: one person asked for introductions or referrals by several of the practice's clients
within a few weeks. Each client's contacts are their own records, so the same person appears once
per client; they are matched across clients by email address or LinkedIn profile
(`coaching.normalize`).

An *ask* is an outbound introduction or referral request (an interaction of an ask kind) or an
introduction recorded as requested, dated by when it was sent; one client asking one person on one
day is one ask, however it was recorded. A person is *fatigued* when they received at least
`AskFatigueThresholds.asks` asks from at least `clients` different clients within the last `days`
days (the as-of day included, in the practice's time zone).

Counting has to look at every client of the practice (the practice's own schema, so another
practice is never counted), but what leaves here follows `coaching.access`: a person's identity
and the clients who asked are named only to someone who may see each of those clients. A coach
reading a client of theirs learns how many *other* clients asked (never which, never their
records); the practice finding names the person only when the reader may see every client
involved. Four queries for a client's page, four for the practice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q

from accounts.models import User
from coaching.access import client_queryset_for
from coaching.choices import ASK_KINDS, Direction
from coaching.models import Client, Contact, Interaction, Introduction
from coaching.normalize import email_key, linkedin_key


@dataclass(frozen=True, slots=True)
class AskFatigueThresholds:
    """Named defaults: 3 asks in 30 days, from at least 2 clients."""

    asks: int = 3
    """Asks to one person across the practice that make them fatigued."""
    days: int = 30
    """The window, counted back from the as-of day (included)."""
    clients: int = 2
    """Different clients those asks must come from ("several clients")."""


ASK_FATIGUE = AskFatigueThresholds()


@dataclass(frozen=True, slots=True)
class _Person:
    contacts: tuple[tuple[int, int, str, str], ...]
    """(client id, contact id, name, company) of every record of this person."""
    asks: frozenset[tuple[int, date]]
    """(client id, day) of each ask."""

    @property
    def clients(self) -> frozenset[int]:
        return frozenset(client_id for client_id, _ in self.asks)


@dataclass(frozen=True, slots=True)
class ContactCaution:
    """One of the client's contacts whom other clients asked lately: shown before the next ask."""

    contact_id: int
    name: str
    asks_by_others: int
    other_clients: int
    own_asks: int
    visible_others: tuple[tuple[int, str], ...]
    """(client id, name) of the other clients the reader may see."""
    fatigued: bool
    """The limit is already reached; otherwise one more ask would reach it."""
    days: int

    @property
    def hidden_others(self) -> int:
        return self.other_clients - len(self.visible_others)

    @property
    def sentence(self) -> str:
        others = f"{self.other_clients} other client{'' if self.other_clients == 1 else 's'}"
        asks = f"{self.asks_by_others} time{'' if self.asks_by_others == 1 else 's'}"
        text = f"{self.name} has been asked by {others} in the last {self.days} days ({asks})"
        if self.own_asks:
            text += f", and {self.own_asks} time{'' if self.own_asks == 1 else 's'} by this client"
        return text + "."


@dataclass(frozen=True, slots=True)
class PracticeFinding:
    """A fatigued person, as the practice report shows them to its reader."""

    asks: int
    clients: int
    last_asked_on: date
    name: str | None
    """None when the reader may not see every client involved."""
    company: str
    shown_clients: tuple[tuple[int, str], ...]
    """(client id, name) of the involved clients the reader may see."""
    days: int

    @property
    def hidden_clients(self) -> int:
        return self.clients - len(self.shown_clients)

    @property
    def sentence(self) -> str:
        who = self.name or "One person"
        return (
            f"{who} was asked for introductions or referrals {self.asks} times by "
            f"{self.clients} clients in the last {self.days} days."
        )


@dataclass(frozen=True, slots=True)
class _Window:
    start: datetime
    end: datetime
    zone: ZoneInfo


def window_of(*, as_of: date, days: int) -> _Window:
    """[midnight starting `as_of - days + 1`, midnight ending `as_of`) in the practice's zone."""
    tenant = getattr(connection, "tenant", None)
    zone = ZoneInfo(getattr(tenant, "time_zone", None) or "UTC")
    first = as_of - timedelta(days=days - 1)
    return _Window(
        start=datetime.combine(first, time(), tzinfo=zone),
        end=datetime.combine(as_of + timedelta(days=1), time(), tzinfo=zone),
        zone=zone,
    )


def _asks_in(window: _Window) -> dict[int, set[tuple[int, date]]]:
    """(client, day) of each ask, by the contact asked (two queries, the whole practice)."""
    by_contact: dict[int, set[tuple[int, date]]] = defaultdict(set)
    requests = Interaction.objects.filter(
        kind__in=ASK_KINDS,
        direction=Direction.OUTBOUND,
        occurred_at__gte=window.start,
        occurred_at__lt=window.end,
    ).values_list("client_id", "contact_id", "occurred_at")
    introductions = Introduction.objects.filter(
        requested_at__gte=window.start, requested_at__lt=window.end
    ).values_list("client_id", "introducer_id", "requested_at")
    for rows in (requests, introductions):
        for client_id, contact_id, at in rows:
            if at is not None:
                by_contact[contact_id].add((client_id, at.astimezone(window.zone).date()))
    return by_contact


def _people(
    contacts: Iterable[tuple[int, int, str, str, str, str]],
    asks: dict[int, set[tuple[int, date]]],
) -> dict[int, _Person]:
    """Group contact records into people by email or LinkedIn profile (either shared is enough);
    returns each contact id's person."""
    rows = list(contacts)
    parent = {row[0]: row[0] for row in rows}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_with: dict[str, int] = {}
    for contact_id, _client, _name, _company, email, linkedin in rows:
        for key in (f"e:{email_key(email)}" if email else "", f"l:{linkedin_key(linkedin)}"):
            if key in ("", "l:"):
                continue
            if key in first_with:
                parent[find(contact_id)] = find(first_with[key])
            else:
                first_with[key] = contact_id
    groups: dict[int, list[tuple[int, int, str, str, str, str]]] = defaultdict(list)
    for row in rows:
        groups[find(row[0])].append(row)
    people: dict[int, _Person] = {}
    for members in groups.values():
        members.sort(key=lambda r: (r[1], r[0]))
        person = _Person(
            contacts=tuple((r[1], r[0], r[2], r[3]) for r in members),
            asks=frozenset(a for r in members for a in asks.get(r[0], ())),
        )
        for row in members:
            people[row[0]] = person
    return people


def _load(
    *, as_of: date, thresholds: AskFatigueThresholds, also_client: int | None = None
) -> dict[int, _Person]:
    window = window_of(as_of=as_of, days=thresholds.days)
    asks = _asks_in(window)
    matchable = ~Q(email="") | ~Q(linkedin_url="")
    wanted = Q(pk__in=list(asks))
    if also_client is not None:
        wanted |= Q(client_id=also_client)
    contacts = Contact.objects.filter(matchable & wanted).values_list(
        "pk", "client_id", "name", "company", "email", "linkedin_url"
    )
    return _people(contacts, asks)


def _visible(actor: User) -> dict[int, str]:
    return dict(client_queryset_for(actor=actor).values_list("pk", "user__name"))


def cautions_for_client(
    *,
    actor: User,
    client: Client,
    as_of: date,
    thresholds: AskFatigueThresholds = ASK_FATIGUE,
) -> list[ContactCaution]:
    """The client's contacts whom other clients of the practice asked in the window, when one
    more ask from this client would reach the limit (or it is reached already). `client` must
    have been resolved through `coaching.access` for `actor` (the page decorators do)."""
    people = _load(as_of=as_of, thresholds=thresholds, also_client=client.pk)
    visible = _visible(actor)
    cautions = []
    own = {
        contact_id: name
        for person in people.values()
        for client_id, contact_id, name, _company in person.contacts
        if client_id == client.pk
    }
    seen: set[int] = set()
    for contact_id, name in sorted(own.items()):
        person = people[contact_id]
        if id(person) in seen:  # two records of one person in one client: shown once
            continue
        seen.add(id(person))
        others = {c for c, _ in person.asks if c != client.pk}
        if not others:
            continue
        total = len(person.asks)
        would_reach = total + 1 >= thresholds.asks and len(others) + 1 >= thresholds.clients
        if not would_reach:
            continue
        cautions.append(
            ContactCaution(
                contact_id=contact_id,
                name=name,
                asks_by_others=sum(1 for c, _ in person.asks if c != client.pk),
                other_clients=len(others),
                own_asks=sum(1 for c, _ in person.asks if c == client.pk),
                visible_others=tuple(
                    sorted(((c, visible[c]) for c in others if c in visible), key=lambda x: x[1])
                ),
                fatigued=total >= thresholds.asks and len(person.clients) >= thresholds.clients,
                days=thresholds.days,
            )
        )
    return sorted(cautions, key=lambda c: (not c.fatigued, -c.asks_by_others, c.name))


def practice_findings(
    *, actor: User, as_of: date, thresholds: AskFatigueThresholds = ASK_FATIGUE
) -> list[PracticeFinding]:
    """Every fatigued person who involves a client the reader may see: named (with every client
    who asked) to a reader who may see them all, otherwise counted only."""
    people = _load(as_of=as_of, thresholds=thresholds)
    visible = _visible(actor)
    findings = []
    for person in {id(p): p for p in people.values()}.values():
        involved = person.clients
        if len(person.asks) < thresholds.asks or len(involved) < thresholds.clients:
            continue
        if not involved & visible.keys():
            continue
        named = involved <= visible.keys()
        first = next(c for c in person.contacts if c[0] in involved)
        findings.append(
            PracticeFinding(
                asks=len(person.asks),
                clients=len(involved),
                last_asked_on=max(day for _, day in person.asks),
                name=first[2] if named else None,
                company=first[3] if named else "",
                shown_clients=tuple(
                    sorted(((c, visible[c]) for c in involved if c in visible), key=lambda x: x[1])
                ),
                days=thresholds.days,
            )
        )
    return sorted(findings, key=lambda f: (-f.asks, -f.clients, f.name or "", f.shown_clients))
