"""The coach's pages across clients: the dashboard and the practice report (both read
`coaching.insights`)."""

import json
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import ParamSpec
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.gates import acting_user, coaching_staff_required
from coaching.insights.dashboard import SORTS, STATUSES, Filters, dashboard
from coaching.insights.reports import practice_report
from coaching.timezones import local_date
from coaching.validation import day_param

P = ParamSpec("P")


def as_of_param(request: HttpRequest) -> date | None:
    """`?as_of=YYYY-MM-DD` shows a coach's pages as they stood on a past day. A value that is
    not a day in the plausible range (`coaching.validation`) is refused: `BadRequest`, shown as
    a 400 page by `refuses_bad_as_of`."""
    raw = request.GET.get("as_of", "")
    if not raw.strip():
        return None
    try:
        day = day_param(raw, name="as_of")
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    today = practice_today(request)
    if day > today:
        raise BadRequest(
            f"{day:%B} {day.day}, {day.year} has not happened yet: the as-of day can be today "
            f"({today:%B} {today.day}) or any earlier day."
        )
    return None if day == today else day


def practice_today(request: HttpRequest) -> date:
    """Today in the practice's time zone: the latest day a coach's pages can be shown as of."""
    zone = getattr(getattr(request, "tenant", None), "time_zone", "") or "UTC"
    return local_date(at=timezone.now(), tz=zone)


def refuses_bad_as_of(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """A page reading `as_of` answers 400 with the reason when it is not a usable day."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except BadRequest as exc:
            request = next(a for a in args if isinstance(a, HttpRequest))
            context = {"problem": str(exc), "back": request.path, "nav": "dashboard"}
            return render(request, "frontend/coach/as_of_problem.html", context, status=400)

    return wrapped


@coaching_staff_required
@refuses_bad_as_of
def coach_dashboard(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    filters = Filters.from_query(request.GET)
    as_of = as_of_param(request)
    board = dashboard(actor=actor, filters=filters, as_of=as_of)
    keep = [
        ("q", filters.q),
        ("status", filters.status),
        ("coach", str(filters.coach or "")),
        ("sort", filters.sort if filters.sort != "attention" else ""),
        ("archived", "1" if filters.archived else ""),
    ]
    context = {
        "nav": "dashboard",
        "board": board,
        "filters": filters,
        "sorts": SORTS,
        "statuses": STATUSES,
        "charts_json": json.dumps(board.charts),
        "as_of": as_of,
        "today": practice_today(request),
        "as_of_keep": keep,
        "as_of_today_query": urlencode([(k, v) for k, v in keep if v]),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "frontend/coach/dashboard_table.html", context)
    return render(request, "frontend/coach/dashboard.html", context)


@coaching_staff_required
@refuses_bad_as_of
def report(request: HttpRequest) -> HttpResponse:
    """The practice report: the same one the API serves (`insights.reports.practice_report`)."""
    data = practice_report(actor=acting_user(request), as_of=as_of_param(request))
    return render(request, "frontend/coach/practice_report.html", {"nav": "report", "report": data})
