"""Coach decisions on findings: a disposed finding stays in the report but stops counting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from coaching.diagnostics.findings import AppliedDisposition, Finding
from coaching.diagnostics.snapshot import Disposition


def dispositions_in_force(
    *, dispositions: Iterable[Disposition], as_of: date
) -> dict[str, Disposition]:
    """The latest decision per finding key that applies on ``as_of``."""
    in_force: dict[str, Disposition] = {}
    for disposition in sorted(
        dispositions, key=lambda d: (d.decided_on, str(d.state), d.note, d.finding_key)
    ):
        if disposition.decided_on > as_of:
            continue
        if disposition.expires_on is not None and disposition.expires_on < as_of:
            in_force.pop(disposition.finding_key, None)
            continue
        in_force[disposition.finding_key] = disposition
    return in_force


def apply_dispositions(
    *, findings: Iterable[Finding], dispositions: Iterable[Disposition], as_of: date
) -> list[Finding]:
    in_force = dispositions_in_force(dispositions=dispositions, as_of=as_of)
    applied = []
    for finding in findings:
        decision = in_force.get(finding.key)
        if decision is not None:
            finding = finding.with_disposition(
                AppliedDisposition(
                    state=decision.state, note=decision.note, decided_on=decision.decided_on
                )
            )
        applied.append(finding)
    return applied
