"""Follow-up reminders: on the morning a follow-up is due (in the client's zone), one email per
client listing the day's follow-ups.

A contact who has not answered the follow-ups already sent does not get another nudge from us:
one email and one call is enough, then leave it and keep other threads going (seed 004). For
such a contact the email says so instead. "Already" means the contact is at the follow-up limit
(`coaching.diagnostics.obligations.Chase`: as many unanswered follow-ups as the client's
`over_follow_up` allows, 2 by default), the limit the diagnostics judge by.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from coaching.choices import ClientStatus
from coaching.diagnostics.obligations import Chase, Obligations
from coaching.insights.loader import searches_load_all
from coaching.insights.obligations import search_obligations
from coaching.models import Client, FollowUp
from coaching.timezones import local_date
from notifications.jobs.common import awake, first_name, queue_guarded
from notifications.kinds import Kind
from notifications.services import Outgoing


@dataclass(frozen=True, slots=True)
class DueItem:
    follow_up: FollowUp
    chase: Chase | None
    """The contact's unanswered messages, when there are any."""

    @property
    def unanswered(self) -> int:
        """Follow-ups already sent to this contact without a reply."""
        return len(self.chase.follow_ups) if self.chase else 0

    @property
    def leave_it(self) -> bool:
        """The contact is at the follow-up limit (`over_follow_up`): the next move is theirs."""
        return self.chase is not None and self.chase.at_limit


def _due_today(*, now: datetime) -> dict[Client, list[FollowUp]]:
    """Open follow-ups due today in each active client's zone, for clients who are awake.
    Local "today" is within a day of UTC's, so one query over three days finds them all."""
    utc_today = now.date()
    rows = (
        FollowUp.objects.filter(
            done_at__isnull=True,
            due_on__range=(utc_today - timedelta(days=1), utc_today + timedelta(days=1)),
            client__status=ClientStatus.ACTIVE,
        )
        .select_related("client__user", "contact")
        .order_by("client_id", "due_on", "pk")
    )
    by_client: dict[Client, list[FollowUp]] = defaultdict(list)
    for follow_up in rows:
        client = follow_up.client
        if follow_up.due_on == local_date(at=now, tz=client.time_zone) and awake(
            now=now, tz=client.time_zone
        ):
            by_client[client].append(follow_up)
    return by_client


def _chases(*, client_ids: list[int], today: dict[int, date]) -> dict[int, Obligations]:
    """For each client: what they owe as of their today, with the contacts they have chased."""
    return {
        search.client.pk: search_obligations(search=search, as_of=today[search.client.pk])
        for search in searches_load_all(client_ids=client_ids)
    }


def follow_up_reminders(*, now: datetime) -> int:
    due = _due_today(now=now)
    if not due:
        return 0
    today = {client.pk: local_date(at=now, tz=client.time_zone) for client in due}
    owed = _chases(client_ids=list(today), today=today)
    queued = 0
    for client, follow_ups in due.items():
        obligations = owed.get(client.pk, Obligations())
        items = [DueItem(follow_up=f, chase=obligations.chase_of(f.contact_id)) for f in follow_ups]
        key = f"follow_ups_due:client:{client.pk}:{today[client.pk].isoformat()}"
        queued += queue_guarded(
            now=now,
            key=key,
            kind=Kind.FOLLOW_UPS_DUE,
            user=client.user,
            build=partial(_email, client=client, items=items, key=key),
        )
    return queued


def _email(*, client: Client, items: list[DueItem], key: str) -> Outgoing:
    to_send = [i for i in items if not i.leave_it]
    leave = [i for i in items if i.leave_it]
    if to_send:
        names = ", ".join(i.follow_up.contact.name for i in to_send[:3])
        more = f" and {len(to_send) - 3} more" if len(to_send) > 3 else ""
        subject = f"Follow up today: {names}{more}"
    else:
        subject = "A follow-up due today: time to let it rest"
    return Outgoing(
        dedupe_key=key,
        kind=Kind.FOLLOW_UPS_DUE,
        user=client.user,
        subject=subject,
        template="follow_ups_due",
        context={
            "name": first_name(client.user),
            "to_send": to_send,
            "leave": leave,
            "path": "/",
        },
    )
