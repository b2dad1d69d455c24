"""When each practice runs what. Celery beat fires the dispatcher every ten minutes (UTC); for
each live practice it reads the practice's local time and finds that hour's jobs, each placed a
fixed number of seconds into the hour (derived from the practice's id), so a thousand practices
whose 8:00 comes at the same moment are spread over half an hour instead of firing at once. Each
run queues the jobs whose place falls in its ten minutes, with the rest of the wait as a
countdown (under ten minutes).

| job                 | when (practice's local time)          | period key          |
|---------------------|----------------------------------------|---------------------|
| hourly_reminders    | every hour                             | the UTC hour        |
| nightly_diagnostics | 04:00 (as of the day that just ended)  | that day            |
| weekly_digest       | Monday 08:00                           | that Monday         |

04:00 sits clear of the hours daylight-saving changes skip or repeat in most zones; a repeated
hour queues the job twice and its period key makes the second run a no-op.
"""

import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from coaching.timezones import zone

HOURLY = "hourly_reminders"
NIGHTLY = "nightly_diagnostics"
DIGEST = "weekly_digest"

NIGHTLY_HOUR = 4
DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 8
# How far each job is spread within its hour.
SPREAD_SECONDS = {HOURLY: 20 * 60, NIGHTLY: 45 * 60, DIGEST: 30 * 60}
# Beat runs the dispatcher every DISPATCH_WINDOW_SECONDS; each run queues only the jobs whose
# place in the spread falls in its window, so no task waits in the broker longer than that (a
# task held past the visibility timeout would be handed to a second worker).
DISPATCH_WINDOW_SECONDS = 10 * 60


def window(*, at: datetime) -> tuple[int, int]:
    """(seconds into the hour, start of the dispatch window holding that second)."""
    elapsed = at.minute * 60 + at.second
    return elapsed, elapsed - elapsed % DISPATCH_WINDOW_SECONDS


def in_window(*, countdown: int, window_start: int) -> bool:
    return window_start <= countdown < window_start + DISPATCH_WINDOW_SECONDS


@dataclass(frozen=True, slots=True)
class DueJob:
    job: str
    period: str
    """Names the run (with the job) for idempotency: "2024-04-15T09", "2024-04-14"."""
    countdown: int
    """Seconds to wait before running: this practice's place in the spread."""
    as_of: date | None = None


def spread(*, practice_id: int, job: str) -> int:
    """A stable delay in [0, SPREAD_SECONDS[job]) for this practice and job."""
    return zlib.crc32(f"{job}:{practice_id}".encode()) % SPREAD_SECONDS[job]


def jobs_due(*, practice_id: int, time_zone: str, at: datetime) -> list[DueJob]:
    """The jobs a practice runs in the hour starting at `at` (an aware UTC time)."""
    hour = at.replace(minute=0, second=0, microsecond=0)
    local = hour.astimezone(zone(time_zone or "UTC"))
    due = [
        DueJob(
            HOURLY,
            hour.astimezone(zone("UTC")).strftime("%Y-%m-%dT%H"),
            spread(practice_id=practice_id, job=HOURLY),
        )
    ]
    if local.hour == NIGHTLY_HOUR:
        yesterday = local.date() - timedelta(days=1)
        due.append(
            DueJob(
                NIGHTLY,
                yesterday.isoformat(),
                spread(practice_id=practice_id, job=NIGHTLY),
                as_of=yesterday,
            )
        )
    if local.weekday() == DIGEST_WEEKDAY and local.hour == DIGEST_HOUR:
        due.append(
            DueJob(
                DIGEST,
                local.date().isoformat(),
                spread(practice_id=practice_id, job=DIGEST),
                as_of=local.date(),
            )
        )
    return due
