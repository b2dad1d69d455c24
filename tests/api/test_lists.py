"""Lists: cursor pagination, ordering, incremental sync with `updated_since`, and a constant
number of queries whatever the page size."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, User
from accounts.services import invitation_create
from coaching import services
from coaching.models import Client, Contact
from coaching.services.imports import import_start
from integrations.models import ApiKey, WebhookDelivery
from integrations.webhooks.services import endpoint_create

N = 6
# Per request: the page, and nothing else. The process remembers the host's practice, the
# connection keeps its search_path (tenants/db_backend) and the key is remembered after the
# warm-up (api.remembered_keys); anything per row would break the equality below.
MAX_QUERIES = 1


@pytest.fixture
def populated(
    owner: User, coach: User, search: Client, make_contact, django_capture_on_commit_callbacks
):
    """N of every kind of record in Cleo's search (and N more clients, members, keys...)."""
    at = datetime(
        2024, 4, 1, 9, 0, tzinfo=search.search_started_on and timezone.get_current_timezone()
    )
    for i in range(N):
        user = User.objects.create_user(f"c{i}@alpha.example.com", None, role=Role.CLIENT)
        services.client_create(
            actor=owner, user=user, coach=coach, search_started_on=date(2024, 1, 1)
        )
        a, b = make_contact(search), make_contact(search)
        services.interaction_record(
            client=search,
            actor=coach,
            contact=a,
            occurred_at=at,
            channel="email",
            direction="outbound",
            kind="outreach",
        )
        intro = services.introduction_create(
            client=search, actor=coach, introducer=a, target=b, made_at=at
        )
        services.follow_up_schedule(client=search, actor=coach, contact=a, due_on=date(2024, 4, 5))
        services.application_create(
            client=search, actor=coach, company=f"Co {i}", role="Eng", source="referral"
        )
        services.meeting_schedule(
            client=search,
            actor=coach,
            contact=b,
            introduction=intro,
            scheduled_for=at + timedelta(days=1),
            purpose="networking",
        )
        services.feedback_record(
            client=search,
            actor=coach,
            source="coach",
            about="other",
            note="n",
            received_on=date(2024, 4, 1),
        )
        with django_capture_on_commit_callbacks():
            import_start(client=search, actor=coach, kind="contacts_csv", payload=b"name\nA\n")
        invitation_create(
            invited_by=owner,
            email=f"i{i}@x.test",
            role="coach",
            practice_url="http://alpha.localhost",
        )
        ApiKey.objects.create_key(name=f"k{i}", acts_as=owner)
        endpoint = endpoint_create(
            actor=owner, url=f"https://h{i}.example.com/", events=["import.finished"]
        )
        WebhookDelivery.objects.create(endpoint=endpoint, event="import.finished", body="{}")
    return search  # fmt: skip


LISTS = [
    "clients",
    "contacts",
    "interactions",
    "introductions",
    "follow-ups",
    "applications",
    "meetings",
    "feedback",
    "imports",
    "members",
    "invitations",
    "api-keys",
    "webhooks",
    "webhook-deliveries",
]


@pytest.mark.parametrize("resource", LISTS)
def test_list_queries_do_not_grow_with_page_size(
    resource: str, owner_api: APIClient, populated, django_assert_max_num_queries
) -> None:
    owner_api.get(f"/api/v1/{resource}/")  # warm-up: reads the key, records its last use
    counts = []
    for size in (2, 5):
        with (
            django_assert_max_num_queries(MAX_QUERIES),
            CaptureQueriesContext(connection) as queries,
        ):
            response = owner_api.get(f"/api/v1/{resource}/?page_size={size}")
        assert response.status_code == 200, response.json()
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{resource}: {counts}"


def test_cursor_pages_walk_every_record_once(coach_api: APIClient, populated) -> None:
    seen: list[int] = []
    url: str | None = "/api/v1/contacts/?page_size=5&ordering=name"
    pages = 0
    while url:
        body = coach_api.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3  # 12 contacts in pages of 5
    assert len(seen) == len(set(seen)) == Contact.objects.filter(client=populated).count()
    names = [Contact.objects.get(pk=pk).name for pk in seen]
    assert names == sorted(names)


def test_page_size_is_capped_and_bad_cursors_are_400(coach_api: APIClient, populated) -> None:
    assert len(coach_api.get("/api/v1/contacts/?page_size=1000").json()["results"]) == 2 * N
    response = coach_api.get("/api/v1/contacts/?cursor=bogus")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "cursor": ["This cursor is not valid; use the `next` link of a page."]
    }


def test_updated_since_sync_round_trip(coach_api: APIClient, search, make_contact) -> None:
    """A sync client keeps the newest `updated_at` it saw and asks for changes since then."""
    first = [make_contact(search) for _ in range(3)]
    page = coach_api.get("/api/v1/contacts/?ordering=updated_at&page_size=2").json()
    synced = {c["id"]: c for c in page["results"]}
    while page["next"]:
        page = coach_api.get(page["next"]).json()
        synced |= {c["id"]: c for c in page["results"]}
    assert set(synced) == {c.pk for c in first}
    mark = max(c["updated_at"] for c in synced.values())

    changed = first[0]
    coach_api.patch(f"/api/v1/contacts/{changed.pk}/", {"title": "CTO"})
    added = make_contact(search)
    delta = coach_api.get(
        "/api/v1/contacts/", {"updated_since": mark, "ordering": "updated_at"}
    ).json()["results"]

    ids = [c["id"] for c in delta]
    assert changed.pk in ids
    assert added.pk in ids
    assert set(ids) <= {changed.pk, added.pk, *[c.pk for c in first]}  # inclusive bound
    assert {c["id"]: c["title"] for c in delta}[changed.pk] == "CTO"


def test_ordering_can_be_chosen_and_unknown_fields_are_ignored(
    coach_api: APIClient, search, make_contact
) -> None:
    make_contact(search, name="Zed")
    make_contact(search, name="Amy")
    by_name = coach_api.get("/api/v1/contacts/?ordering=name").json()["results"]
    reverse = coach_api.get("/api/v1/contacts/?ordering=-name").json()["results"]

    assert [c["name"] for c in by_name] == ["Amy", "Zed"]
    assert [c["name"] for c in reverse] == ["Zed", "Amy"]


def test_a_list_shows_each_client_exactly_as_its_own_page_does(
    coach_api: APIClient, coach: User, search: Client
) -> None:
    """The list formats plain rows itself (api.serializers.RowSerializer); every value must read
    the same as the detail, which goes through DRF's own fields."""
    from coaching.insights.services import client_thresholds_update, weekly_snapshots_store

    services.client_update(
        client=search,
        actor=coach,
        data={"target_roles": [{"role": "Data engineer", "family": "data"}]},
    )
    client_thresholds_update(actor=coach, client_id=search.pk, changes={"weekly_goal": 9})
    services.client_set_status(
        client=search, actor=coach, status="landed", landed_on=date(2024, 5, 2)
    )
    weekly_snapshots_store(as_of=date(2024, 4, 15))
    (listed,) = coach_api.get("/api/v1/clients/").json()["results"]
    detail = coach_api.get(f"/api/v1/clients/{search.pk}/").json()
    detail.pop("presentation")
    assert listed == detail
    assert listed["landed_on"] == "2024-05-02"
    assert listed["updated_at"].endswith("Z")  # UTC, as DRF writes it
    assert "." in listed["updated_at"]  # with the microseconds
