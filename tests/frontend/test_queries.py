"""The dashboard runs a fixed number of queries whatever the number of clients."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from coaching.models import Client, Contact
from coaching.services import client_create, introduction_create
from tenants.host_lookup import forget_hosts

# Warm: session, user, the clients with their data versions (the process remembers the host's
# practice). Cold adds the host lookup and, for clients whose summary is not cached, one query per
# kind of record. django-tenants' `SET search_path` not counted.
WARM_LIMIT = 3
COLD_LIMIT = WARM_LIMIT + 1 + 8


def _clients(
    coach: User, n: int, make_contact: Callable[..., Contact], reach: Callable[..., None]
) -> None:
    start = Client.objects.count()
    for i in range(start, start + n):
        user = User.objects.create_user(
            f"c{i}@alpha.example.com", "x", name=f"C {i}", role=Role.CLIENT
        )
        client = client_create(
            actor=coach,
            user=user,
            coach=coach,
            search_started_on=timezone.localdate() - timedelta(days=90),
        )
        a, b = make_contact(client, f"A{i}"), make_contact(client, f"B{i}")
        for days in (1, 8, 20):
            reach(client, a, days)
        introduction_create(
            client=client,
            actor=coach,
            introducer=a,
            target=b,
            made_at=timezone.now() - timedelta(days=4),
        )


def _queries(http: HttpClient) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get("/").status_code == 200
    return sum(not q["sql"].startswith("SET search_path") for q in captured.captured_queries)


@pytest.mark.parametrize("sizes", [(2, 8)])
def test_dashboard_query_count_does_not_grow_with_clients(
    as_user: Callable[[User], HttpClient],
    coach: User,
    make_contact: Callable[..., Contact],
    reach: Callable[..., None],
    sizes: tuple[int, int],
) -> None:
    http = as_user(coach)
    counts = {}
    for n in sizes:
        _clients(coach, n - Client.objects.count(), make_contact, reach)
        cache.clear()
        forget_hosts()
        cold = _queries(http)
        warm = _queries(http)
        counts[n] = (cold, warm)
        assert cold <= COLD_LIMIT, counts
        assert warm <= WARM_LIMIT, counts
    assert counts[sizes[0]] == counts[sizes[1]], counts


def test_a_change_to_one_client_recomputes_only_that_client(
    as_user: Callable[[User], HttpClient],
    coach: User,
    make_contact: Callable[..., Contact],
    reach: Callable[..., None],
) -> None:
    http = as_user(coach)
    _clients(coach, 3, make_contact, reach)
    page = http.get("/").content.decode()
    assert page.count('data-label="Intros waiting on client" class="num"><strong>1</strong>') == 3
    client = Client.objects.order_by("pk").first()
    assert client is not None
    intro = client.introductions.get()
    from coaching.services import introduction_record_contact

    introduction_record_contact(introduction=intro, at=timezone.now(), actor=coach)
    page = http.get("/").content.decode()
    assert page.count('data-label="Intros waiting on client" class="num"><strong>1</strong>') == 2
