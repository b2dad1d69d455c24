"""Is the occasion of a queued email still true at the moment it is sent?

A reminder is written by the hourly job and delivered a moment (or, after an outage, a while)
later; in between the client may have done what it reminds of (the quick log, the coach's page,
the API, an import). `still_due` re-reads the obligation named by the email's dedupe key, as
`coaching.insights.obligations` sees it now; `notifications.services.notification_deliver` skips
the email when it is not. Keys this module does not know (the weekly digest) are always due.
"""

from __future__ import annotations

from datetime import datetime

from coaching.diagnostics.obligations import Owed
from coaching.insights.obligations import awaiting_call, obligations_by_record
from coaching.models import FollowUp, Introduction, Meeting

SETTLED = "Not sent: already done when it was about to go out."


def _call_waiting(pk: int, now: datetime) -> bool:
    return Introduction.objects.filter(awaiting_call(at=now), pk=pk).exists()


def _owes(client_id: int, now: datetime, *wanted: tuple[Owed, str, int]) -> bool:
    owing = obligations_by_record(client_ids=[client_id], now=now)
    return any(o is not None and o.pending for o in (owing.get(w) for w in wanted))


def _meeting_owed(pk: int, now: datetime) -> bool:
    meeting = Meeting.objects.filter(pk=pk).values("client_id", "introduction_id").first()
    if meeting is None:
        return False
    wanted = [(Owed.MEETING_THANKS, "meeting", pk)]
    if meeting["introduction_id"] is not None:
        wanted.append((Owed.OUTCOME, "introduction", meeting["introduction_id"]))
    return _owes(meeting["client_id"], now, *wanted)


def _loop_open(pk: int, now: datetime) -> bool:
    client_id = Introduction.objects.filter(pk=pk).values_list("client_id", flat=True).first()
    if client_id is None:
        return False
    return _owes(
        client_id,
        now,
        (Owed.INTRODUCER_THANKS, "introduction", pk),
        (Owed.OUTCOME, "introduction", pk),
    )


def _follow_ups_open(client_id: int, day: str) -> bool:
    return FollowUp.objects.filter(client_id=client_id, due_on=day, done_at__isnull=True).exists()


def still_due(*, dedupe_key: str, now: datetime) -> bool:
    """False when what the email (named by its dedupe key) reminds of is already done."""
    parts = dedupe_key.split(":")
    try:
        match parts:
            case ["intro_nudge", "introduction", pk, *_] | [
                "intro_overdue_coach",
                "introduction",
                pk,
                *_,
            ]:
                return _call_waiting(int(pk), now)
            case ["after_meeting", "meeting", pk, *_]:
                return _meeting_owed(int(pk), now)
            case ["close_the_loop", "introduction", pk, *_]:
                return _loop_open(int(pk), now)
            case ["follow_ups_due", "client", pk, day, *_]:
                return _follow_ups_open(int(pk), day)
    except ValueError:
        return True
    return True
