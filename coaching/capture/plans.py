"""What a capture import (a LinkedIn archive, a calendar file) will write, worked out before
anything is written, like the CSV imports' plans: `coaching.services.imports` runs it as an
`ImportJob` (claim, lease, all-or-nothing or good rows, one transaction to write)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from coaching.imports.reading import RowError
from coaching.models import ImportJob

Progress = Callable[[int], None]


@dataclass(slots=True)
class CapturePlan:
    errors: list[RowError] = field(default_factory=list)
    dropped: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    rows: int = 0

    def count(self, name: str, by: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + by

    def summary(self) -> dict[str, int]:
        return dict(self.counts)

    def write(self, job: ImportJob) -> None:
        raise NotImplementedError


def capture_plan(
    job: ImportJob, *, now: datetime, progress: Progress, total: Progress
) -> CapturePlan:
    """The plan for a capture job's payload; raises `ImportFileError` for a file that cannot
    be read at all."""
    from coaching.capture.archive import plan_archive
    from coaching.capture.calendar import plan_calendar
    from coaching.choices import ImportKind

    forgiving = job.mode == "good_rows"
    if job.kind == ImportKind.LINKEDIN_ARCHIVE:
        return plan_archive(
            bytes(job.payload),
            client=job.client,
            now=now,
            forgiving=forgiving,
            progress=progress,
            total=total,
        )
    return plan_calendar(
        bytes(job.payload), client=job.client, now=now, progress=progress, total=total
    )
