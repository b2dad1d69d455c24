"""The coach's client page, from across the practice: `{% client_practice_view %}` renders the
client's cohort benchmarks and, before the next ask, the contacts other clients asked lately.
Reads go through `coaching.insights.client_practice` with the acting user; a client (portal)
never gets here, the tag renders nothing for them."""

from typing import Any

from django import template

from accounts.gates import acting_user
from coaching.insights.client_practice import client_practice_view as practice_view_for

register = template.Library()


@register.inclusion_tag("frontend/coach/_client_practice_view.html", takes_context=True)
def client_practice_view(context: Any, *, part: str = "both") -> dict[str, Any]:
    """`part`: "benchmarks", "cautions" or "both"."""
    request = context["request"]
    actor = acting_user(request)
    client = context["client"]
    if not actor.is_coaching_staff:
        return {"view": None}
    view = practice_view_for(actor=actor, client=client, as_of=context.get("as_of"))
    return {"view": view, "part": part, "client": client}


@register.filter
def benchmark_value(value: float | None, benchmark: Any) -> str:
    """A figure as people read it: a count, or a share in percent."""
    return str(benchmark.shown(value))


@register.filter
def clients_in(ids: list[int] | None, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The practice report's client rows behind a count (`ids`), in the report's order."""
    wanted = set(ids or ())
    return [row for row in rows if row["client_id"] in wanted]
