"""Finding people: a client's contacts, searched and paged, with "who do I know at X?"; and, for
the owner, "which of our clients knows someone at X?" across the practice (coaching.search)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.gates import acting_user, owner_required
from accounts.models import User
from coaching.models import Client
from coaching.search import contacts_page, tie_of, who_do_i_know_at, who_in_practice_knows
from frontend import pages

MAX_QUERY = 200  # longer than any name or company a person types


def _text(request: HttpRequest, name: str) -> str:
    return request.GET.get(name, "").strip()[:MAX_QUERY]


@pages.client_page()
def client_contacts(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Every contact of the client, 50 a page, searchable; "who do I know at X?" for them."""
    query = _text(request, "q")
    company = _text(request, "company")
    page = contacts_page(actor=actor, client=client, query=query, page=request.GET.get("page"))
    rows = [{"contact": contact, "tie": tie_of(contact)} for contact in page]
    context = {
        "nav": "dashboard",
        "client": client,
        "query": query,
        "company": company,
        "page": page,
        "rows": rows,
        "acquaintances": (
            who_do_i_know_at(actor=actor, client=client, company=company) if company else None
        ),
    }
    return render(request, "frontend/people/client_contacts.html", context)


@owner_required
def who_knows(request: HttpRequest) -> HttpResponse:
    """The owner's "who in our practice knows someone at X?": clients ranked by their best
    contact there (the same company first, then willing, then the closest tie)."""
    company = _text(request, "company")
    rows = who_in_practice_knows(actor=acting_user(request), company=company) if company else None
    return render(
        request,
        "frontend/people/who_knows.html",
        {"nav": "who_knows", "company": company, "rows": rows},
    )
