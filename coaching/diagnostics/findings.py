"""What a rule hands back: a finding, the figure that made it fire and the records behind it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from coaching.vocabulary import TextChoices


class Severity(TextChoices):
    INFO = "info", "Info"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Fault(TextChoices):
    """Whose move it is. Only ``client`` findings may be framed as something the client did."""

    CLIENT = "client", "Client"
    CONTEXT = "context", "Context"
    EMPLOYER = "employer", "Employer"


class Category(TextChoices):
    VOLUME = "volume", "Volume"
    TIMING = "timing", "Timing"
    RELATIONSHIPS = "relationships", "Relationships"
    FOLLOW_THROUGH = "follow_through", "Follow-through"
    FIT_PRESENTATION = "fit_presentation", "Fit & presentation"
    FOLLOW_UP_HYGIENE = "follow_up_hygiene", "Follow-up hygiene"
    EMPLOYER = "employer", "Employer"


class DispositionState(TextChoices):
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


@dataclass(frozen=True, slots=True)
class Source:
    article_id: str
    title: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """One record (or period) that made a rule fire, linkable from the report."""

    record: str
    """contact, interaction, introduction, follow_up, application, meeting, feedback, client
    or period."""
    id: int | None
    on: date | None
    note: str


@dataclass(frozen=True, slots=True)
class Measure:
    value: float | None
    threshold: float | None
    unit: str
    sentence: str


@dataclass(frozen=True, slots=True)
class AppliedDisposition:
    state: DispositionState
    note: str
    decided_on: date


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    subject: str
    """What the finding is about (``client``, ``introduction:42``, ``season:summer-2024``);
    with the code it forms the stable :attr:`key` dispositions attach to."""
    title: str
    category: Category
    severity: Severity
    fault: Fault
    measure: Measure
    evidence: tuple[Evidence, ...]
    explanation: str
    advice: str
    sources: tuple[Source, ...]
    observed_on: date
    """The most recent date behind the finding; used to rank by recency."""
    disposition: AppliedDisposition | None = None

    @property
    def key(self) -> str:
        return f"{self.code}:{self.subject}"

    @property
    def counts(self) -> bool:
        return self.disposition is None

    def with_disposition(self, disposition: AppliedDisposition | None) -> Finding:
        return replace(self, disposition=disposition)


def sort_key(finding: Finding) -> tuple[int, int, int, str, str, int, str]:
    """Open before disposed, then severity, most recent first, then a stable tie-break."""
    first = finding.evidence[0] if finding.evidence else None
    return (
        0 if finding.counts else 1,
        SEVERITY_RANK[finding.severity],
        -finding.observed_on.toordinal(),
        finding.code,
        first.record if first else "",
        first.id if first and first.id is not None else -1,
        finding.subject,
    )
