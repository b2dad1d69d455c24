"""The thresholds in force for a client: catalog defaults, the practice's, then the client's own.

Practice-wide overrides are stored by the diagnostics report layer; until it lands the practice
layer is empty and only the client's overrides (and weekly goal) apply.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from coaching.diagnostics import Thresholds, resolve_thresholds
from coaching.diagnostics.thresholds import InvalidThresholds
from coaching.models import Client
from tenants.models import Practice


def practice_overrides(practice: Practice) -> dict[str, Any]:
    """The practice's default thresholds (and weekly goal), as stored overrides."""
    stored = getattr(practice, "threshold_overrides", None)
    return dict(stored) if isinstance(stored, Mapping) else {}


@lru_cache(maxsize=256)
def _resolve(practice_json: str, client_json: str) -> Thresholds:
    practice = json.loads(practice_json)
    try:
        return resolve_thresholds(practice=practice, client=json.loads(client_json))
    except InvalidThresholds:
        # Stored values written before a rule changed: fall back rather than fail the page.
        try:
            return resolve_thresholds(practice=practice)
        except InvalidThresholds:
            return resolve_thresholds()


def thresholds_resolver(practice: Practice) -> Callable[[Client], Thresholds]:
    practice_json = json.dumps(practice_overrides(practice), sort_keys=True)

    def for_client(client: Client) -> Thresholds:
        stored = client.threshold_overrides
        overrides = stored if isinstance(stored, dict) else {}
        return _resolve(practice_json, json.dumps(overrides, sort_keys=True))

    return for_client
