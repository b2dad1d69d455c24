"""The report's sentences said to the client (`coaching.insights.client_report`)."""

from django import template

from coaching.diagnostics.findings import Evidence
from coaching.insights.client_report import evidence_for_client, fault_sentence, to_client

register = template.Library()


@register.filter(name="to_client")
def to_client_filter(text: str) -> str:
    """ "the client has not reached out" → "you have not reached out"."""
    return to_client(str(text))


@register.filter
def fault_for_client(fault: str) -> str:
    """Whose move it is: "Something you can change"."""
    return fault_sentence(str(fault))


@register.filter
def evidence_words(evidence: Evidence) -> str:
    """A piece of evidence said to the client, without the engine's names for things."""
    return evidence_for_client(record=evidence.record, note=evidence.note)
