"""Precision and recall of the engine over the labelled histories (`histories.HISTORIES`).

A raised reason is an open (counting) finding's code; a history's label is what the catalog
says must be raised. Precision: raised reasons that are right; recall: expected reasons found.
"""

from __future__ import annotations

import pytest

from coaching.diagnostics import CATALOG, diagnose
from coaching.diagnostics.findings import Fault
from coaching.diagnostics.thresholds import resolve_thresholds
from tests.coaching.diagnostics.scenarios.histories import (
    EMPLOYER_ONLY,
    HEALTHY,
    HISTORIES,
    History,
)

CLIENT_FAULT = frozenset(code for code, entry in CATALOG.items() if entry.fault == Fault.CLIENT)


def raised(history: History) -> frozenset[str]:
    diagnosis = diagnose(
        snapshot=history.build().build(), as_of=history.today, thresholds=resolve_thresholds()
    )
    return frozenset(diagnosis.open_codes)


def test_the_set_is_big_and_varied_enough() -> None:
    assert len(HISTORIES) >= 25
    assert len({h.name for h in HISTORIES}) == len(HISTORIES)
    labelled = set().union(*(h.expected for h in HISTORIES))
    assert labelled == set(CATALOG), f"no history expects {sorted(set(CATALOG) - labelled)}"
    assert sum(h.kind == HEALTHY for h in HISTORIES) >= 5
    assert sum(h.kind == EMPLOYER_ONLY for h in HISTORIES) >= 2


def test_precision_and_recall_over_the_labelled_set() -> None:
    true_pos = false_pos = false_neg = 0
    misses = []
    for history in HISTORIES:
        got = raised(history)
        true_pos += len(got & history.expected)
        false_pos += len(got - history.expected)
        false_neg += len(history.expected - got)
        if got != history.expected:
            misses.append(
                f"{history.name}: extra {sorted(got - history.expected)}, "
                f"missing {sorted(history.expected - got)}"
            )
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"precision {precision:.3f}, recall {recall:.3f} over {len(HISTORIES)} histories")
    assert precision >= 0.95, "\n".join(misses)
    assert recall >= 0.95, "\n".join(misses)


@pytest.mark.parametrize(
    "history", [h for h in HISTORIES if h.kind in (HEALTHY, EMPLOYER_ONLY)], ids=lambda h: h.name
)
def test_no_client_fault_on_healthy_and_employer_only_searches(history: History) -> None:
    assert raised(history) & CLIENT_FAULT == frozenset()


@pytest.mark.parametrize("history", HISTORIES, ids=lambda h: h.name)
def test_each_history(history: History) -> None:
    """Per history, so a regression names the story it broke."""
    assert raised(history) == history.expected
