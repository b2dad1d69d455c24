"""Shared helpers: the diagnostics builders (tests/diagnostics/builders.py) and a full diagnosis."""

from __future__ import annotations

from datetime import date
from typing import Any

from coaching.diagnostics import Diagnosis, diagnose
from coaching.diagnostics.thresholds import resolve_thresholds
from tests.diagnostics.builders import AS_OF, SnapshotBuilder


def diagnosis_of(builder: SnapshotBuilder, *, as_of: date = AS_OF, **overrides: Any) -> Diagnosis:
    return diagnose(
        snapshot=builder.build(), as_of=as_of, thresholds=resolve_thresholds(practice=overrides)
    )


def codes(builder: SnapshotBuilder, *, as_of: date = AS_OF, **overrides: Any) -> set[str]:
    return set(diagnosis_of(builder, as_of=as_of, **overrides).open_codes)
