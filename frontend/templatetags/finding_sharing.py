"""What the coach has chosen to show the client of each finding (the coach's finding cards).

`{% finding_sharing client fv.finding as sharing %}` gives `sharing.hidden` (the coach keeps this
finding out of the client's report) and `sharing.note_shared` (the note shown with its decision
is in the client's report). Read once per request and client (`insights.client_report`).
"""

from dataclasses import dataclass
from typing import Any

from django import template

from coaching.diagnostics.findings import Finding
from coaching.insights.client_report import hidden_keys, shared_notes
from coaching.models import Client

register = template.Library()


@dataclass(frozen=True, slots=True)
class Sharing:
    hidden: bool
    note_shared: bool


def _choices(
    context: template.Context, client: Client
) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    request = context.get("request")
    cache: dict[int, Any] = getattr(request, "_finding_sharing", None) or {}
    if client.pk not in cache:
        cache[client.pk] = (hidden_keys(client=client), shared_notes(client=client))
        if request is not None:
            request._finding_sharing = cache
    return cache[client.pk]


@register.simple_tag(takes_context=True)
def finding_sharing(context: template.Context, client: Client, finding: Finding) -> Sharing:
    hidden, shared = _choices(context, client)
    note = finding.disposition.note if finding.disposition else ""
    return Sharing(hidden=finding.key in hidden, note_shared=(finding.key, note) in shared)
