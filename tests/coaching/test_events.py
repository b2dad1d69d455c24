"""The domain announces introductions made and imports finished to subscribed integrations."""

import json
from collections.abc import Callable
from datetime import timedelta

from accounts.models import User
from coaching.models import Client, Contact
from coaching.services import introduction_create, introduction_record_made
from coaching.services.imports import import_run, import_start
from integrations.models import WebhookDelivery, WebhookEndpoint
from tests.coaching.conftest import NOW


def _subscribe(*events: str) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url="https://crm.example.com/hooks", events=list(events), secret="s" * 32
    )


def _payloads(event: str) -> list[dict[str, object]]:
    return [json.loads(d.body)["data"] for d in WebhookDelivery.objects.filter(event=event)]


def test_an_introduction_made_is_announced_once_with_both_people(
    search: Client, coach: User, make_contact: Callable[..., Contact]
) -> None:
    _subscribe("introduction.made")
    friend, target = (
        make_contact(search, name="Fran Friend"),
        make_contact(search, name="Tom Target"),
    )

    asked = introduction_create(
        client=search,
        actor=coach,
        introducer=friend,
        target=target,
        requested_at=NOW - timedelta(days=3),
        now=NOW,
    )
    assert _payloads("introduction.made") == []  # only asked for: nobody expects a call yet
    introduction_record_made(introduction=asked, at=NOW - timedelta(days=1), actor=coach, now=NOW)

    (payload,) = _payloads("introduction.made")
    assert payload["introduction"] == asked.pk
    assert payload["introducer"] == {"id": friend.pk, "name": "Fran Friend"}
    assert payload["target"] == {"id": target.pk, "name": "Tom Target"}


def test_an_endpoint_that_did_not_subscribe_hears_nothing(
    search: Client, coach: User, make_contact: Callable[..., Contact]
) -> None:
    _subscribe("import.finished")

    introduction_create(
        client=search,
        actor=coach,
        introducer=make_contact(search),
        target=make_contact(search),
        made_at=NOW - timedelta(days=1),
        now=NOW,
    )

    assert not WebhookDelivery.objects.exists()


def test_a_finished_import_is_announced_with_its_outcome(search: Client, coach: User) -> None:
    _subscribe("import.finished")
    good = import_start(
        client=search,
        actor=coach,
        kind="contacts_csv",
        payload=b"name,email\nAda Lovelace,ada@example.com\n",
        filename="contacts.csv",
    )
    bad = import_start(
        client=search,
        actor=coach,
        kind="contacts_csv",
        payload=b"foo,bar\n1,2\n",
        filename="wrong.csv",
    )

    import_run(job_id=good.pk)
    import_run(job_id=bad.pk)

    by_import = {p["import"]: p for p in _payloads("import.finished")}
    assert by_import[good.pk]["status"] == "succeeded"
    assert by_import[bad.pk]["status"] == "failed"
    assert by_import[bad.pk]["error_count"] == 1
