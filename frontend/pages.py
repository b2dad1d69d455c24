"""The one way to write a page that acts on a client or on a record of theirs.

A decorator finds the client (and the record) through `coaching.selectors`, which go through
`coaching.access` with the acting user, once, and passes them to the view as keyword arguments
next to `actor`. A missing client or record and one outside the actor's scope are the same 404;
a page outside one's role is a 404 too (`accounts.gates`, the owner and coach gates every app
uses). No view calls `coaching.access` by hand.

    @client_page()                          # /clients/<client_id>/…, coaches and the owner
    def view(request, *, actor, client): …

    @client_page(staff=False)               # anyone who may see the search (the client too)
    @record_page(Contact)                   # …/<pk>/: `record`, inside that client's search
    @portal_page                            # the signed-in client's own search
    @portal_record(Meeting)                 # a record of it: …/<pk>/
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.gates import acting_user, client_required, coaching_staff_required
from coaching.models import Client
from coaching.selectors import client_detail, client_record, own_search

View = Callable[..., HttpResponse]


def _guarded(page: View, how: str) -> View:
    """Mark the page with the decorator that scoped it (tests/frontend check every page)."""
    page.scoped_by = how  # type: ignore[attr-defined]
    return page


def _gate(staff: bool) -> Callable[[View], View]:
    return coaching_staff_required if staff else login_required


def client_page(*, staff: bool = True) -> Callable[[View], View]:
    """The URL's `client_id` as `client` (with its user, coach and checklist)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def page(request: HttpRequest, client_id: int, **kwargs: Any) -> HttpResponse:
            actor = acting_user(request)
            client = client_detail(actor=actor, client_id=client_id)
            return view(request, actor=actor, client=client, **kwargs)

        return _guarded(_gate(staff)(page), "client_page")

    return decorate


def record_page(
    model: type[Model], *, staff: bool = True, kwarg: str = "pk"
) -> Callable[[View], View]:
    """The URL's `client_id` as `client` and its `kwarg` as `record`, a `model` row of that
    client's search."""

    def decorate(view: View) -> View:
        @wraps(view)
        def page(request: HttpRequest, client_id: int, **kwargs: Any) -> HttpResponse:
            actor = acting_user(request)
            client = client_detail(actor=actor, client_id=client_id)
            record = client_record(actor=actor, client=client, model=model, pk=kwargs.pop(kwarg))
            return view(request, actor=actor, client=client, record=record, **kwargs)

        return _guarded(_gate(staff)(page), "record_page")

    return decorate


def _portal(
    request: HttpRequest, *, client: Client, call: Callable[[], HttpResponse]
) -> HttpResponse:
    """Run a portal view. An archived search is read-only for its client: the base template
    says so (`request.search_archived`), and a write the services refuse returns to Today with
    their message instead of a bare 403."""
    archived = client.archived_at is not None
    request.search_archived = archived  # type: ignore[attr-defined]
    try:
        return call()
    except PermissionDenied as exc:
        if not archived:
            raise
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("practice_home"))


def portal_page(view: View) -> View:
    """The signed-in client's own search as `client`; coaches have no portal (404)."""

    @wraps(view)
    def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actor = acting_user(request)
        client = own_search(actor=actor)
        return _portal(
            request,
            client=client,
            call=lambda: view(request, *args, actor=actor, client=client, **kwargs),
        )

    return _guarded(client_required(page), "portal_page")


def portal_record(model: type[Model], *, kwarg: str = "pk") -> Callable[[View], View]:
    """`portal_page`, and the URL's `kwarg` as `record`, a `model` row of the client's search."""

    def decorate(view: View) -> View:
        @wraps(view)
        def page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            actor = acting_user(request)
            client = own_search(actor=actor)
            record = client_record(actor=actor, client=client, model=model, pk=kwargs.pop(kwarg))
            return _portal(
                request,
                client=client,
                call=lambda: view(request, actor=actor, client=client, record=record, **kwargs),
            )

        return _guarded(client_required(page), "portal_record")

    return decorate
