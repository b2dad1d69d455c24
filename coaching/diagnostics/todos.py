"""The coach's to-dos: gaps in the coach's own inputs, never the client's fault.

The checklist items nobody has reviewed, a reason for leaving nobody has judged, target roles
nobody has recorded: the engine cannot tell whether the client's presentation or story holds
up, so it asks the coach to look rather than blaming the client. A to-do is listed apart from
the findings and never counted as one; an item the coach reviewed and found wanting is a finding
(`presentation_issues`, `leaving_story_unconvincing`), as the catalog says.
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.choices import ChecklistState, PresentationItem, Verdict
from coaching.diagnostics.context import Context


@dataclass(frozen=True, slots=True)
class CoachTodo:
    kind: str
    """``review_presentation``, ``judge_leaving_story`` or ``record_target_roles``."""
    subject: str
    """What it is about (``presentation:linkedin``, ``client``): stable across days."""
    title: str
    """The to-do in the coach's words: "Review Dana's LinkedIn profile"."""
    why: str
    """Which part of the diagnosis waits on it."""


def _possessive(name: str) -> str:
    name = name.strip()
    if not name:
        return "the client's"
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def coach_todos(*, ctx: Context) -> tuple[CoachTodo, ...]:
    """What the coach still has to fill in for this client (landed clients: nothing)."""
    whose = _possessive(ctx.client.name)
    todos = []
    states = {entry.item: entry.state for entry in ctx.client.presentation}
    for item in PresentationItem:
        if states.get(item, ChecklistState.UNREVIEWED) != ChecklistState.UNREVIEWED:
            continue
        label = str(item.label)
        todos.append(
            CoachTodo(
                kind="review_presentation",
                subject=f"presentation:{item.value}",
                title=f"Review {whose} {label[:1].lower() + label[1:]}"
                if item != PresentationItem.LINKEDIN
                else f"Review {whose} {label}",
                why=(
                    "Contacts look before they vouch: mark it OK, needing work, or not "
                    "applicable. Until then the presentation check cannot say anything."
                ),
            )
        )
    if ctx.client.leaving_story_verdict == Verdict.MISSING:
        todos.append(
            CoachTodo(
                kind="judge_leaving_story",
                subject="client",
                title=f"Go over {whose} reason for leaving and record your verdict",
                why=(
                    "Contacts ask why the client left; until you rate the story, Warmpath "
                    "cannot tell whether it holds up."
                ),
            )
        )
    if not any(family.strip() for family in ctx.client.target_role_families):
        todos.append(
            CoachTodo(
                kind="record_target_roles",
                subject="client",
                title=f"Record {whose} target roles",
                why="Without them, scattered targeting can only be judged from applications.",
            )
        )
    return tuple(todos)
