"""One way to write a page that acts on a client or a record (issue #12): a `frontend.pages`
decorator resolves it through `coaching.access` once; no page calls the access helpers by hand,
and every owner page uses the one owner gate."""

import ast
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver

import frontend
from accounts.models import User

FRONTEND = Path(frontend.__file__).parent


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def test_no_frontend_module_calls_the_access_helpers_by_hand() -> None:
    offenders = []
    for path in FRONTEND.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "coaching.access":
                offenders.append(str(path.relative_to(FRONTEND)))
    assert offenders == []


def test_every_page_about_a_client_or_the_portal_is_scoped_by_a_pages_decorator() -> None:
    routes = dict(_routes(get_resolver("frontend.urls_tenant").url_patterns))
    acting_on = {
        route: view
        for route, view in routes.items()
        if "<int:client_id>" in route or route.startswith("my/") or route == "log/"
    }
    assert len(acting_on) > 30
    unscoped = sorted(r for r, view in acting_on.items() if not getattr(view, "scoped_by", None))
    assert unscoped == []


def test_a_page_about_someone_elses_client_is_a_404_like_a_missing_one(
    http: HttpClient, coach: User, other_coach: User, search: Any, other_search: Any
) -> None:
    http.force_login(coach)
    missing = other_search.pk + 1000
    for client_id in (other_search.pk, missing):
        for path in ("", "data/", "capture/", f"contacts/{search.contacts.count() + 1}/"):
            assert http.get(f"/clients/{client_id}/{path}").status_code == 404, path
    assert http.get(f"/clients/{search.pk}/").status_code == 200


def test_owner_pages_are_a_404_for_a_coach_and_a_client(
    http: HttpClient, coach: User, client_user: User, search: Any
) -> None:
    owner_pages = (
        "/members/", "/settings/", "/settings/api-keys/", "/settings/webhooks/",
        "/settings/data/", "/settings/billing/",
    )  # fmt: skip
    for user in (coach, client_user):
        http.force_login(user)
        for path in owner_pages:
            assert http.get(path).status_code == 404, (user.role, path)


def test_no_frontend_module_runs_a_query_of_its_own() -> None:
    """Pages read through selectors and `coaching.insights`; only a form's choice queryset
    starts from a manager."""
    found = [
        f"{path.relative_to(FRONTEND)}:{n}"
        for path in FRONTEND.rglob("*.py")
        if path.name != "forms.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if ".objects." in line
    ]
    assert found == []
