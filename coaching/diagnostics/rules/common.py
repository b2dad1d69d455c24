"""Helpers every rule uses to turn a measurement into a catalogued finding."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from coaching.diagnostics.catalog import entry_for
from coaching.diagnostics.context import Context
from coaching.diagnostics.findings import Evidence, Finding, Measure, Severity

Rule = Callable[..., list[Finding]]


def make_finding(
    *,
    code: str,
    subject: str,
    measure: Measure,
    evidence: Iterable[Evidence],
    observed_on: date,
    severity: Severity | None = None,
    explanation: str | None = None,
) -> Finding:
    """A finding in the catalog's words; `explanation` replaces the catalog's when the measured
    case needs its own (it must say what the measure says)."""
    entry = entry_for(code=code)
    return Finding(
        code=entry.code.value,
        subject=subject,
        title=entry.title,
        category=entry.category,
        severity=severity or entry.severity,
        fault=entry.fault,
        measure=measure,
        evidence=tuple(evidence),
        explanation=explanation or entry.explanation,
        advice=entry.advice,
        sources=entry.sources,
        observed_on=observed_on,
    )


def num(value: float) -> str:
    """1 decimal at most, and none when the value is whole: "9", "14.8"."""
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def contact_evidence(ctx: Context, contact_id: int, *, on: date | None = None) -> Evidence:
    contact = ctx.contacts.get(contact_id)
    company = f" ({contact.company})" if contact and contact.company else ""
    return Evidence("contact", contact_id, on, f"{ctx.contact_name(contact_id)}{company}")
