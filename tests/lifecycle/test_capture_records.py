"""What capture keeps (captured exchanges and the client's review of them, calendar events
turned into meetings, the client's private addresses, the mail received at them, the practice's
capture setting) goes into the exports, the unconfirmed part only into the client's own, and
goes when the client is deleted."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import User
from coaching.capture.addresses import inbound_address_rotate
from coaching.capture.models import (
    CapturedEvent,
    CapturedInteraction,
    CaptureSource,
    InboundAddress,
    InboundMail,
    ReviewState,
)
from coaching.capture.settings import capture_settings_set
from coaching.choices import Channel, Direction, InteractionKind
from coaching.lifecycle.deletion import client_deletion_schedule
from coaching.lifecycle.sweep import practice_sweep
from coaching.models import Client

from .test_export import _check_files, _database_rows, _made

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Captures:
    pending: CapturedInteraction
    left_out: CapturedInteraction
    confirmed: CapturedInteraction


def _captured(client: Client, n: int, state: str, **fields: object) -> CapturedInteraction:
    return CapturedInteraction.objects.create(
        client=client, source=CaptureSource.MAIL, key=f"mail:{client.pk}:{n}",
        thread_key=f"mail:<t{n}@x.test>", occurred_at=AT + timedelta(days=n),
        channel=Channel.EMAIL, direction=Direction.OUTBOUND, kind=InteractionKind.OUTREACH,
        state=state, **fields,
    )  # fmt: skip


def _capture_everything(client: Client, actor: User) -> Captures:
    address = inbound_address_rotate(client=client, actor=actor)
    InboundMail.objects.create(
        client=client, address=address, message_id=f"<m{client.pk}@mail.test>", via="smtp",
        status="done", summary={"messages_created": 1},
    )  # fmt: skip
    CapturedEvent.objects.create(client=client, key=f"uid-{client.pk}@cal.test", sequence=2)
    contact = client.contacts.first()
    return Captures(
        pending=_captured(client, 1, ReviewState.PENDING, person_name="Pat Private",
                          person_email="pat@private.test"),
        left_out=_captured(client, 2, ReviewState.EXCLUDED, person_name="Dr Dentist",
                           person_email="appointments@dentist.test"),
        confirmed=_captured(
            client, 3, ReviewState.CONFIRMED,
            **({"contact": contact} if contact else {"person_name": "Known Person"}),
        ),
    )  # fmt: skip


@pytest.fixture
def captures(world, client_user: User) -> Captures:
    return _capture_everything(world.search, client_user)


CAPTURE_FILES = ("captured", "captured_events", "inbound_addresses", "inbound_mail")


def test_the_clients_own_export_holds_everything_captured(world, client_user, captures):
    archive = _made(client_user, world.search)
    for name, model in zip(
        CAPTURE_FILES,
        (CapturedInteraction, CapturedEvent, InboundAddress, InboundMail),
        strict=True,
    ):
        _check_files(archive, name, _database_rows(model, client_id=world.search.pk))
    rows = json.loads(archive.read("captured.json"))
    assert {r["state"] for r in rows} == {"pending", "excluded", "confirmed"}
    assert "secret" not in json.loads(archive.read("inbound_addresses.json"))[0]
    assert "raw" not in json.loads(archive.read("inbound_mail.json"))[0]
    readme = archive.read("README.txt").decode()
    assert "captured.csv" in readme


def test_the_coachs_export_holds_only_what_the_client_confirmed(world, coach, captures):
    archive = _made(coach, world.search)
    rows = json.loads(archive.read("captured.json"))
    assert [r["id"] for r in rows] == [captures.confirmed.pk]
    assert json.loads(archive.read("inbound_mail.json")) == []
    text = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".json"))
    assert b"Pat Private" not in text
    assert b"dentist" not in text
    assert json.loads(archive.read("captured_events.json"))  # meetings' keys are no secret


def test_the_practice_export_holds_the_setting_and_only_confirmed_exchanges(
    world, owner, other_search, other_client_user, captures
):
    capture_settings_set(actor=owner, store_message_content=True)
    _capture_everything(other_search, other_client_user)
    archive = _made(owner)
    settings_rows = json.loads(archive.read("capture_settings.json"))
    assert [r["store_message_content"] for r in settings_rows] == [True]
    assert "singleton" not in settings_rows[0]
    rows = json.loads(archive.read("captured.json"))
    assert {r["state"] for r in rows} == {"confirmed"}
    assert {r["client_id"] for r in rows} == {world.search.pk, other_search.pk}
    assert json.loads(archive.read("inbound_mail.json")) == []


def test_deleting_the_client_erases_what_was_captured(
    world, coach, other_search, other_client_user, captures
):
    _capture_everything(other_search, other_client_user)
    request = client_deletion_schedule(client=world.search, actor=coach)

    practice_sweep(now=request.due_at + timedelta(minutes=1))

    for model in (CapturedInteraction, CapturedEvent, InboundAddress, InboundMail):
        assert not model.objects.filter(client_id=world.search.pk).exists(), model.__name__
        assert model.objects.filter(client=other_search).exists(), model.__name__
