"""What every record page shares: the client's time zone, one form page, the way back."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from coaching.models import Client
from coaching.timezones import zone
from frontend.forms import Form
from frontend.record_forms import zone_help
from frontend.views import client_tabs

View = Callable[..., HttpResponse]


def zoned(view: View) -> View:
    """Run the page in the client's time zone: date-times are typed, checked and shown in it.
    Goes under a `frontend.pages` decorator (which passes `client`)."""

    @wraps(view)
    def page(request: HttpRequest, *args: Any, client: Client, **kwargs: Any) -> HttpResponse:
        with timezone.override(zone(client.time_zone)):
            return view(request, *args, client=client, **kwargs)

    return page


def posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, which is then refused), else None."""
    return request.POST if request.method == "POST" else None


def zone_of(client: Client) -> str:
    return zone_help(client)


# The client page's tab that lists each section a record page goes back to.
_TAB_OF = {
    "contacts": client_tabs.CONTACTS,
    "follow-ups": client_tabs.ACTIVITY,
    "introductions": client_tabs.INTRODUCTIONS,
    "applications": client_tabs.APPLICATIONS,
    "meetings": client_tabs.MEETINGS,
}


def client_url(client: Client, anchor: str = "") -> str:
    """The client's page, on the tab that lists `anchor`'s records."""
    tab = _TAB_OF.get(anchor, client_tabs.FINDINGS)
    url = client_tabs.client_url(client_id=client.pk, tab=tab)
    return url + (f"#{anchor}" if anchor else "")


def done(request: HttpRequest, message: str, to: str) -> HttpResponseRedirect:
    messages.success(request, message)
    return HttpResponseRedirect(to)


def form_page(
    request: HttpRequest,
    *,
    client: Client,
    title: str,
    form: Form,
    submit: str,
    back: str,
    intro: str = "",
    template: str = "frontend/records/form.html",
    **context: Any,
) -> HttpResponse:
    """One form on a page of its own; a refused POST shows it again with the data and the
    problems next to the fields (400)."""
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        template,
        {
            "nav": "dashboard",
            "client": client,
            "title": title,
            "intro": intro,
            "form": form,
            "submit": submit,
            "back": back,
            **context,
        },
        status=status,
    )
