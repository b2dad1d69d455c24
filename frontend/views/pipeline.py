"""Applications as a pipeline board: by stage, for one client or across every client the viewer
coaches (the owner: the whole practice). Each card moves with a plain form ("Move to …"), so the
board works without JavaScript; `frontend/static/frontend/pipeline.js` adds dragging and moves
without a page load."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.gates import acting_user, coaching_staff_required
from accounts.models import User
from coaching.choices import ApplicationSource, ApplicationStatus
from coaching.models import Client
from coaching.workspace import BOARD_STAGES, CLOSED_STAGES, application_board
from frontend import pages

# Where an application came from, as the board says it: a job board, or the network.
SOURCE_WORDS = {
    ApplicationSource.JOB_BOARD: "Job board",
    ApplicationSource.REFERRAL: "Network: referral",
    ApplicationSource.DIRECT: "Network: direct",
    ApplicationSource.RECRUITER: "Recruiter",
}
MOVES = [(s.value, s.label) for s in (*BOARD_STAGES, *CLOSED_STAGES)]


def _render(
    request: HttpRequest, *, actor: User, client: Client | None, title: str
) -> HttpResponse:
    board = application_board(actor=actor, client=client)
    context: dict[str, Any] = {
        "nav": "pipeline" if client is None else "dashboard",
        "client": client,
        "title": title,
        "board": board,
        "moves": MOVES,
        "sources": SOURCE_WORDS,
        "stage_labels": dict(ApplicationStatus.choices),
        "here": request.get_full_path(),
    }
    return render(request, "frontend/records/pipeline.html", context)


@coaching_staff_required
def pipeline(request: HttpRequest) -> HttpResponse:
    """Every application of the clients the viewer coaches (the owner: every client)."""
    actor = acting_user(request)
    title = "The practice's applications" if actor.is_owner else "Your clients' applications"
    return _render(request, actor=actor, client=None, title=title)


@pages.client_page()
def client_pipeline(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    name = client.user.name or client.user.email
    return _render(request, actor=actor, client=client, title=f"{name}'s applications")
