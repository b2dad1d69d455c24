"""The report as the client reads it: what the coach kept private stays out, and it speaks to
the client ("you"), never about them.

Two coach choices decide what a client may read (`insights.models`):

- a note on a finding is the coach's own unless they shared it (`FindingDisposition.note_shared`);
- a finding the coach hid (`HiddenFinding`) is left out entirely, and the counts with it.

`for_reader` is applied wherever a client reads a diagnosis: the report (JSON, the PDF), the
diagnosis behind the API's figures, and the portal's report page. A coach or the owner gets the
diagnosis unchanged. The wording helpers (`to_client`, `fault_sentence`) turn the engine's
sentences, written for the coach, into sentences addressed to the client.
"""

from __future__ import annotations

import re
from dataclasses import replace

from accounts.models import Role, User
from coaching.diagnostics import Diagnosis
from coaching.diagnostics.engine import FindingCounts
from coaching.diagnostics.findings import Finding, Severity
from coaching.insights.models import FindingDisposition, HiddenFinding
from coaching.models import Client


def hidden_keys(*, client: Client) -> frozenset[str]:
    """The keys of the findings the coach keeps out of this client's report."""
    return frozenset(
        HiddenFinding.objects.filter(client=client).values_list("finding_key", flat=True)
    )


def shared_notes(*, client: Client) -> frozenset[tuple[str, str]]:
    """(finding key, note) of every note the coach chose to show the client. A note is shown
    only when this exact text was shared for this finding, so a private note never leaks by a
    later decision's flag."""
    rows = FindingDisposition.objects.filter(client=client, note_shared=True).exclude(note="")
    return frozenset(rows.values_list("finding_key", "note"))


def _private_note_dropped(finding: Finding, shared: frozenset[tuple[str, str]]) -> Finding:
    disposition = finding.disposition
    if disposition is None or not disposition.note:
        return finding
    if (finding.key, disposition.note) in shared:
        return finding
    return finding.with_disposition(replace(disposition, note=""))


def for_client(
    *, diagnosis: Diagnosis, hidden: frozenset[str], shared: frozenset[tuple[str, str]]
) -> Diagnosis:
    """The diagnosis without hidden findings and without private notes (pure)."""
    findings = tuple(
        _private_note_dropped(f, shared) for f in diagnosis.findings if f.key not in hidden
    )
    counting = [f for f in findings if f.counts]
    counts = FindingCounts(
        critical=sum(f.severity == Severity.CRITICAL for f in counting),
        warning=sum(f.severity == Severity.WARNING for f in counting),
        info=sum(f.severity == Severity.INFO for f in counting),
        disposed=len(findings) - len(counting),
    )
    return replace(diagnosis, findings=findings, counts=counts, coach_todos=())


def for_reader(*, actor: User, client: Client, diagnosis: Diagnosis) -> Diagnosis:
    """What `actor` may read of `client`'s diagnosis: everything for the coaching staff; for
    the client, `for_client` (two queries)."""
    if actor.role != Role.CLIENT:
        return diagnosis
    return for_client(
        diagnosis=diagnosis, hidden=hidden_keys(client=client), shared=shared_notes(client=client)
    )


# --- speaking to the client ---------------------------------------------------------------------

_VERBS = {
    "has": "have",
    "is": "are",
    "was": "were",
    "does": "do",
    "owes": "owe",
    "keeps": "keep",
    "knows": "know",
    "handles": "handle",
    "reaches": "reach",
    "needs": "need",
    "wants": "want",
    "gets": "get",
    "sends": "send",
    "asks": "ask",
    "makes": "make",
    "meets": "meet",
    "talks": "talk",
    "spends": "spend",
    "applies": "apply",
}
_POSSESSIVE = re.compile(r"\b([Tt])he client(?:'s|\u2019s)")
_SUBJECT = re.compile(r"\b([Tt])he client\b(?: (barely|not|also|still|then|first))?(?: (\w+))?")


def _capital(match: re.Match[str], word: str) -> str:
    return word.capitalize() if match.group(1) == "T" else word


def _second_person(match: re.Match[str]) -> str:
    you = _capital(match, "you")
    adverb, verb = match.group(2), match.group(3)
    words = [you]
    if adverb:
        words.append(adverb)
    if verb:
        words.append(_VERBS.get(verb, verb))
    return " ".join(words)


def to_client(text: str) -> str:
    """A sentence about "the client" turned to the client: "the client has not reached out" →
    "you have not reached out", "the client's call" → "your call"."""
    text = _POSSESSIVE.sub(lambda m: _capital(m, "your"), text)
    return _SUBJECT.sub(_second_person, text)


# A season's key and calendar ("holidays-2026 (us)"): the engine's names for a period.
_SEASON_KEY = re.compile(r"(summer|holidays)-\d{4}(?: \([a-z_-]+\))?")


def evidence_for_client(*, record: str, note: str) -> str:
    """What a piece of evidence says to the client; a season's internal name becomes words."""
    if record == "period" and (season := _SEASON_KEY.fullmatch(note.strip())):
        return "The summer slowdown" if season.group(1) == "summer" else "The year-end holidays"
    return to_client(note)


FAULT_FOR_CLIENT = {
    "client": "Something you can change",
    "employer": "On the employer's side, not yours",
}
FAULT_ELSEWHERE = "Circumstances, not your doing"


def fault_sentence(fault: str) -> str:
    """Whose move it is, said to the client."""
    return FAULT_FOR_CLIENT.get(str(fault), FAULT_ELSEWHERE)
