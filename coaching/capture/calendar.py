"""Calendar files (.ics) as meetings: written in part 3 of #16."""

from __future__ import annotations

from datetime import datetime

from coaching.capture.plans import CapturePlan, Progress
from coaching.imports.reading import ImportFileError
from coaching.models import Client


def plan_calendar(
    payload: bytes, *, client: Client, now: datetime, progress: Progress, total: Progress
) -> CapturePlan:
    raise ImportFileError("Calendar files cannot be imported yet.")
