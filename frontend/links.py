"""Findings with their evidence as links: the web app's presentation of a diagnosis (the
reports give evidence as a record type and id; the pages turn those into addresses)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from coaching.diagnostics import Diagnosis
from coaching.diagnostics.findings import Evidence, Finding
from coaching.selectors import RECORD_KINDS


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    evidence: Evidence
    url: str | None


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    evidence: tuple[EvidenceLink, ...]


def evidence_url(*, client_id: int, evidence: Evidence) -> str | None:
    if evidence.record == "client":
        return reverse("client_page", args=[client_id]) + "#profile"
    if evidence.record not in RECORD_KINDS or evidence.id is None:
        return None
    return reverse("record_link", args=[client_id, evidence.record, evidence.id])


def finding_views(*, diagnosis: Diagnosis) -> list[FindingView]:
    return [
        FindingView(
            finding=f,
            evidence=tuple(
                EvidenceLink(e, evidence_url(client_id=diagnosis.client_id, evidence=e))
                for e in f.evidence
            ),
        )
        for f in diagnosis.findings
    ]
