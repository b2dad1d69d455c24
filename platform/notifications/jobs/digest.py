"""The weekly coach digest: exceptions only, read from the stored weekly snapshots (the nightly
job writes them). For each coach's actively searching clients, comparing the week that just
ended with the week before:

- clients who became stalled or slowing,
- new critical findings,
- overdue loop-closures (`no_thanks_or_outcome`: a thank-you or an outcome report owed),
- over-chased contacts (`over_follow_up`).

Nothing to report means no email. One email per coach and week (its dedupe key names both).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from accounts.models import User
from coaching.choices import ClientStatus
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.findings import Severity
from coaching.diagnostics.status import SearchStatus
from coaching.insights.models import WeeklySnapshot
from coaching.models import Client, Contact, Introduction, Meeting
from notifications.jobs.common import first_name, queue_guarded
from notifications.kinds import Kind
from notifications.services import Outgoing

WATCHED = (SearchStatus.STALLED, SearchStatus.SLOWING)


@dataclass(slots=True)
class ClientDigest:
    client: Client
    became: str | None = None
    """"stalled" or "slowing" when the client moved into it this week."""
    previous_status: str | None = None
    new_critical: list[dict[str, Any]] = field(default_factory=list)
    loop_closures: list[dict[str, Any]] = field(default_factory=list)
    over_chased: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        return bool(self.became or self.new_critical or self.loop_closures or self.over_chased)


def _counting(row: WeeklySnapshot | None) -> dict[str, dict[str, Any]]:
    return {f["key"]: f for f in (row.findings if row else []) if f.get("counts")}


def client_digests(*, week_of: date) -> dict[User, list[ClientDigest]]:
    """What each coach should hear about, for the digest sent on Monday `week_of`."""
    last_week = week_of - timedelta(days=7)
    rows = WeeklySnapshot.objects.filter(
        week_start__in=[last_week, last_week - timedelta(days=7)],
        client__status=ClientStatus.ACTIVE,
    ).select_related("client__user", "client__coach")
    latest: dict[int, WeeklySnapshot] = {}
    prior: dict[int, WeeklySnapshot] = {}
    for row in rows:
        (latest if row.week_start == last_week else prior)[row.client_id] = row
    by_coach: dict[User, list[ClientDigest]] = defaultdict(list)
    for client_id, row in sorted(latest.items()):
        before = prior.get(client_id)
        now_findings, before_findings = _counting(row), _counting(before)
        digest = ClientDigest(client=row.client)
        if row.status in WATCHED and (before is None or before.status != row.status):
            digest.became = row.status
            digest.previous_status = before.status if before else None
        for key, finding in now_findings.items():
            if finding.get("severity") == Severity.CRITICAL and key not in before_findings:
                digest.new_critical.append(finding)
            if finding.get("code") == FailureCode.NO_THANKS_OR_OUTCOME:
                digest.loop_closures.append(finding)
            if finding.get("code") == FailureCode.OVER_FOLLOW_UP:
                digest.over_chased.append(finding)
        if digest.has_news:
            by_coach[row.client.coach].append(digest)
    _describe_subjects([d for digests in by_coach.values() for d in digests])
    return by_coach


def _describe_subjects(digests: list[ClientDigest]) -> None:
    """Give every listed finding a `title` and an `about` in words ("Dana Diaz")."""
    findings = [f for d in digests for f in (*d.new_critical, *d.loop_closures, *d.over_chased)]
    wanted: dict[str, set[int]] = defaultdict(set)
    for finding in findings:
        kind, _, pk = finding["key"].split(":", 1)[1].partition(":")
        if pk.isdigit():
            wanted[kind].add(int(pk))
    names: dict[tuple[str, int], str] = {}
    for pk, name in Contact.objects.filter(pk__in=wanted["contact"]).values_list("pk", "name"):
        names[("contact", pk)] = name
    for meeting in Meeting.objects.filter(pk__in=wanted["meeting"]).select_related("contact"):
        names[("meeting", meeting.pk)] = f"meeting with {meeting.contact.name}"
    for intro in Introduction.objects.filter(pk__in=wanted["introduction"]).select_related(
        "introducer", "target"
    ):
        names[("introduction", intro.pk)] = (
            f"introduction to {intro.target.name} by {intro.introducer.name}"
        )
    for finding in findings:
        code = finding["code"]
        finding["title"] = FailureCode(code).label if code in FailureCode.values else code
        kind, _, pk = finding["key"].split(":", 1)[1].partition(":")
        finding["about"] = names.get((kind, int(pk)), "") if pk.isdigit() else ""


def weekly_digest(*, week_of: date, now: datetime) -> dict[str, Any]:
    queued = 0
    coaches = client_digests(week_of=week_of)
    for coach, digests in sorted(coaches.items(), key=lambda item: item[0].pk):
        key = f"weekly_digest:user:{coach.pk}:{week_of.isoformat()}"
        queued += queue_guarded(
            now=now,
            key=key,
            kind=Kind.WEEKLY_DIGEST,
            user=coach,
            build=partial(_email, coach=coach, digests=digests, key=key, week_of=week_of),
        )
    return {"week_of": week_of.isoformat(), "coaches": len(coaches), "queued": queued}


def _email(*, coach: User, digests: list[ClientDigest], key: str, week_of: date) -> Outgoing:
    return Outgoing(
        dedupe_key=key,
        kind=Kind.WEEKLY_DIGEST,
        user=coach,
        subject=f"Your week: {len(digests)} client{'' if len(digests) == 1 else 's'} "
        f"{'needs' if len(digests) == 1 else 'need'} attention",
        template="weekly_digest",
        context={
            "name": first_name(coach),
            "week_of": week_of,
            "digests": sorted(digests, key=lambda d: d.client.user.name),
            "path": "/",
        },
    )
