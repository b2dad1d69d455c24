"""An import's outcome on a page, in words (coaching.imports.wording)."""

from typing import Any

from django import template

from coaching.imports.wording import outcome_sentences, problems
from coaching.models import ImportJob

register = template.Library()


@register.simple_tag
def import_outcome(job: ImportJob) -> dict[str, Any]:
    """`sentences` saying what was imported, `problems` (rows not imported, or everything
    wrong with a refused file) and `dropped` (values left out of rows that were imported)."""
    return {
        "sentences": outcome_sentences(
            kind=job.kind, mode=job.mode, status=job.status, summary=job.summary or {}
        ),
        "problems": [str(p) for p in problems(job.errors or [])],
        "dropped": [str(p) for p in problems(job.dropped or [])],
    }
