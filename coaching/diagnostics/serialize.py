"""Plain-JSON form of a diagnosis for the API, reports, webhooks and exports."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from typing import Any

from coaching.diagnostics.engine import Diagnosis
from coaching.diagnostics.findings import Finding
from coaching.diagnostics.thresholds import thresholds_to_dict


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def finding_to_dict(*, finding: Finding) -> dict[str, Any]:
    data = _plain(finding)
    data["key"] = finding.key
    data["counts"] = finding.counts
    return data


def diagnosis_to_dict(*, diagnosis: Diagnosis) -> dict[str, Any]:
    figures = _plain(diagnosis.figures)
    for name, ratio in zip(
        (
            "follow_ups_on_time",
            "introductions_acted_on_in_time",
            "meetings_thanked_in_time",
            "outcomes_reported",
        ),
        (
            diagnosis.figures.hygiene.follow_ups_on_time,
            diagnosis.figures.hygiene.introductions_acted_on_in_time,
            diagnosis.figures.hygiene.meetings_thanked_in_time,
            diagnosis.figures.hygiene.outcomes_reported,
        ),
        strict=True,
    ):
        figures["hygiene"][name]["share"] = ratio.share
    figures["funnel"]["days_to_first_contact"] = diagnosis.figures.funnel.days_to_first_contact
    counts = _plain(diagnosis.counts)
    counts["total"] = diagnosis.counts.total
    return {
        "engine_version": diagnosis.engine_version,
        "client_id": diagnosis.client_id,
        "as_of": diagnosis.as_of.isoformat(),
        "status": _plain(diagnosis.status),
        "findings": [finding_to_dict(finding=f) for f in diagnosis.findings],
        "counts": counts,
        "open_codes": list(diagnosis.open_codes),
        "figures": figures,
        "thresholds": thresholds_to_dict(thresholds=diagnosis.thresholds),
        "data_problems": _plain(diagnosis.data_problems),
        "coach_todos": _plain(diagnosis.coach_todos),
        "waiting": _plain(diagnosis.waiting),
        "signals": _plain(diagnosis.signals),
    }


def diagnosis_to_json(*, diagnosis: Diagnosis) -> str:
    """Sorted keys and fixed separators: byte-identical for identical diagnoses."""
    return json.dumps(
        diagnosis_to_dict(diagnosis=diagnosis),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
