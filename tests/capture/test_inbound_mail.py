"""Forward or BCC to log: real SMTP sessions (smtplib) to the real aiosmtpd server, and the
provider endpoint, on two committed practices of their own (the server's threads use their own
database connections, so the rows must be committed; the practices are dropped afterwards)."""

from __future__ import annotations

import os
import smtplib
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test import override_settings
from django_tenants.utils import schema_context

from accounts.models import Role, User
from api.capture import signature
from coaching.capture.addresses import address_text, inbound_address_rotate
from coaching.capture.mail import mail_process
from coaching.capture.models import CapturedInteraction, InboundMail, InboundMailStatus
from coaching.capture.smtp import make_controller
from coaching.choices import Direction, InteractionKind
from coaching.models import Client, Meeting
from coaching.services import client_create, contact_create
from tenants.models import Practice
from tenants.provisioning import practice_create, spare_create
from tests.conftest import PASSWORD

NOW = datetime(2024, 4, 15, 12, 0, tzinfo=UTC)
SECRET = "provider-shared-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Side:
    practice: Practice
    client: Client
    other_client: Client
    address: str
    other_address: str
    email: str


@dataclass
class World:
    a: Side
    b: Side
    port: int


def _side(letter: str, tag: str) -> Side:
    spare_create()
    practice = practice_create(
        name=f"Mail {letter}",
        slug=f"ml{letter}{tag}",
        owner_name="Owner",
        owner_email=f"owner@ml{letter}.example.com",
        password=PASSWORD,
    ).practice
    with schema_context(practice.schema_name):
        coach = User.objects.create_user(
            f"coach@ml{letter}.test", PASSWORD, name="Cora", role=Role.COACH
        )
        users = [
            User.objects.create_user(
                f"client{n}@ml{letter}.test", PASSWORD, name=f"Cleo {n}", role=Role.CLIENT
            )
            for n in (1, 2)
        ]
        clients = [
            client_create(
                actor=coach, user=u, coach=coach, search_started_on=date(2024, 1, 1),
                time_zone="Europe/Berlin",
            )
            for u in users
        ]  # fmt: skip
        contact_create(
            client=clients[0], actor=coach, name="Ann Archer", email="ann@acme.test", now=NOW
        )
        addresses = [
            address_text(
                inbound_address_rotate(client=c, actor=u), slug=practice.slug or "",
                schema_name=practice.schema_name,
            )
            for c, u in zip(clients, users, strict=True)
        ]  # fmt: skip
    return Side(practice, clients[0], clients[1], addresses[0], addresses[1], users[0].email)


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[World]:
    made: list[Practice] = []
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        controller = None
        try:
            a = _side("a", str(os.getpid()))
            made.append(a.practice)
            b = _side("b", str(os.getpid()))
            made.append(b.practice)
            port = _free_port()
            controller = make_controller(host="127.0.0.1", port=port)
            controller.start()
            yield World(a, b, port)
        finally:
            if controller is not None:
                controller.stop()
            connection.set_schema_to_public()
            for practice in made:
                practice.delete(force_drop=True)


@pytest.fixture
def committed(django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield
        connection.set_schema_to_public()


def send(world: World, recipient: str, message: EmailMessage | bytes, sender: str = "") -> None:
    with smtplib.SMTP("127.0.0.1", world.port, timeout=30) as smtp:
        raw = message if isinstance(message, bytes) else message.as_bytes()
        smtp.sendmail(sender or "someone@example.test", [recipient], raw)


def process_all(side: Side) -> list[InboundMail]:
    with schema_context(side.practice.schema_name):
        done = []
        for pk in InboundMail.objects.filter(status="queued").values_list("pk", flat=True):
            done.append(mail_process(mail_id=pk, now=NOW))
        return done


def mail(
    *, sender: str, to: str, subject: str, body: str, cc: str = "", **headers: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2024, 4, 2, 7, 0, tzinfo=UTC))
    message["Message-ID"] = headers.pop("message_id", make_msgid(domain="mail.example.test"))
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def captured(side: Side, **filters: object) -> list[CapturedInteraction]:
    with schema_context(side.practice.schema_name):
        return list(
            CapturedInteraction.objects.filter(client=side.client, **filters)
            .select_related("contact")
            .order_by("occurred_at", "pk")
        )


def test_bcc_then_a_reply_all_marks_the_message_answered(world: World, committed: None) -> None:
    a = world.a
    sent = mail(sender=f"Cleo <{a.email}>", to="Ann Archer <ann@acme.test>",
                subject="Data team?", body="Hi Ann")  # fmt: skip
    send(world, a.address, sent, sender=a.email)
    reply = mail(
        sender="Ann Archer <ann@acme.test>", to=a.email, cc=a.address, subject="Re: Data team?",
        body="Happy to talk", In_Reply_To=sent["Message-ID"], References=sent["Message-ID"],
    )  # fmt: skip
    del reply["Date"]
    reply["Date"] = format_datetime(datetime(2024, 4, 3, 7, 0, tzinfo=UTC))
    send(world, a.address, reply)
    results = process_all(a)
    assert [m.status for m in results] == [InboundMailStatus.DONE] * 2
    rows = captured(a, thread_key=f"mail:{sent['Message-ID']}")
    assert [(r.direction, r.kind, r.contact.name if r.contact else None) for r in rows] == [
        (Direction.OUTBOUND, InteractionKind.OUTREACH, "Ann Archer"),
        (Direction.INBOUND, InteractionKind.CONVERSATION, "Ann Archer"),
    ]
    assert rows[1].answers_id == rows[0].pk
    with schema_context(a.practice.schema_name):
        assert all(m.raw == b"" for m in InboundMail.objects.all())  # nothing of the mail kept


GMAIL = """Worth a look

---------- Forwarded message ---------
From: Bob Baker <bob@globex.test>
Date: Tue, 2 Apr 2024 at 09:00
Subject: Platform team
To: Cleo <{me}>

Would you like to meet the platform team?
"""
OUTLOOK = """FYI

________________________________
From: Dana Diaz <dana@initech.test>
Sent: Tuesday, April 2, 2024 9:00 AM
To: Cleo <{me}>
Subject: RE: Coffee

Thursday works.
"""
APPLE = """Begin forwarded message:

From: Eve Evans <eve@hooli.test>
Subject: Introduction
Date: 2 April 2024 at 09:00:00 CEST
To: Cleo <{me}>

Meet Frank.
"""


@pytest.mark.parametrize(
    ("body", "who", "name"),
    [
        (GMAIL, "bob@globex.test", "Bob Baker"),
        (OUTLOOK, "dana@initech.test", "Dana Diaz"),
        (APPLE, "eve@hooli.test", "Eve Evans"),
    ],
)
def test_forwards_in_each_mail_programs_style(
    world: World, committed: None, body, who, name
) -> None:
    a = world.a
    forward = mail(sender=f"Cleo <{a.email}>", to=a.address, subject="Fwd: something",
                   body=body.format(me=a.email))  # fmt: skip
    send(world, a.address, forward, sender=a.email)
    process_all(a)
    rows = captured(a, person_email=who)
    assert len(rows) == 1
    row = rows[0]
    assert (row.direction, row.person_name, row.contact) == (Direction.INBOUND, name, None)
    assert row.occurred_at.date() == date(2024, 4, 2)
    assert row.content == ""  # the practice does not keep message text


def test_a_message_forwarded_as_an_attachment_keeps_its_direction(
    world: World, committed: None
) -> None:
    a = world.a
    original = mail(sender=f"Cleo <{a.email}>", to="Gus Green <gus@umbrella.test>",
                    subject="Following up", body="Any news?")  # fmt: skip
    outer = mail(sender=f"Cleo <{a.email}>", to=a.address, subject="Fwd: Following up", body="")
    outer.add_attachment(original)
    send(world, a.address, outer, sender=a.email)
    process_all(a)
    rows = captured(a, person_email="gus@umbrella.test")
    assert [(r.direction, r.kind) for r in rows] == [(Direction.OUTBOUND, InteractionKind.OUTREACH)]


def test_a_forwarded_invite_becomes_a_meeting(world: World, committed: None) -> None:
    a = world.a
    invite = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\nUID:mail-invite-1@example.test\r\nDTSTAMP:20240401T000000Z\r\n"
        "DTSTART:20240420T080000Z\r\nDURATION:PT30M\r\nSUMMARY:Informational chat\r\n"
        "ORGANIZER;CN=Ann Archer:mailto:ann@acme.test\r\n"
        f"ATTENDEE;CN=Cleo:mailto:{a.email}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    message = mail(sender=f"Cleo <{a.email}>", to=a.address, subject="Fwd: Invitation", body="")
    message.add_attachment(invite, subtype="calendar", filename="invite.ics")
    send(world, a.address, message, sender=a.email)
    process_all(a)
    with schema_context(a.practice.schema_name):
        meeting = Meeting.objects.get(client=a.client)
        assert meeting.contact.email == "ann@acme.test"
        assert meeting.scheduled_for == datetime(2024, 4, 20, 8, 0, tzinfo=UTC)


def test_a_replayed_message_id_is_a_no_op(world: World, committed: None) -> None:
    a = world.a
    message = mail(sender=f"Cleo <{a.email}>", to="hal@x.test", subject="Once", body="x")
    send(world, a.address, message, sender=a.email)
    send(world, a.address, message, sender=a.email)
    with schema_context(a.practice.schema_name):
        assert InboundMail.objects.filter(message_id=message["Message-ID"]).count() == 1
    process_all(a)
    process_all(a)
    assert len(captured(a, person_email="hal@x.test")) == 1


def test_malformed_mime_is_accepted_and_never_crashes_the_worker(
    world: World, committed: None
) -> None:
    a = world.a
    broken = (
        b"From: =?utf-8?q?broken\r\nTo: " + a.address.encode() + b"\r\nMessage-ID: <broken-1@x>\r\n"
        b'Content-Type: multipart/mixed; boundary="nope\r\nDate: not a date\r\n\r\n'
        b"--nope\r\n\xff\xfe garbage \x00\r\n--nope"
    )
    send(world, a.address, broken, sender=a.email)
    results = process_all(a)
    assert results
    assert all(r.status in (InboundMailStatus.DONE, InboundMailStatus.FAILED) for r in results)


def test_a_25_mb_message_is_refused_by_size(world: World, committed: None) -> None:
    a = world.a
    big = mail(sender=a.email, to="x@y.test", subject="big", body="x" * (25 * 1024 * 1024))
    with smtplib.SMTP("127.0.0.1", world.port, timeout=60) as smtp:
        smtp.ehlo()
        assert int(smtp.esmtp_features["size"]) < 25 * 1024 * 1024
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            smtp.sendmail(a.email, [a.address], big.as_bytes())
    assert refused.value.smtp_code == 552


def test_unknown_revoked_forged_and_foreign_addresses_get_the_same_refusal(
    world: World, committed: None
) -> None:
    a, b = world.a, world.b
    with schema_context(a.practice.schema_name):
        user = a.other_client.user
        old = a.other_address
        new = address_text(
            inbound_address_rotate(client=a.other_client, actor=user),
            slug=a.practice.slug or "", schema_name=a.practice.schema_name,
        )  # fmt: skip
    local, domain = a.address.split("@")
    b_token_on_a = b.address.split("@")[0] + "@" + domain  # practice B's token, A's domain
    forged = local[:-3] + "abc@" + domain
    nobody = "log+" + "x" * 28 + "@" + domain
    replies = []
    for recipient in (old, b_token_on_a, forged, nobody, "someone@" + domain):
        with smtplib.SMTP("127.0.0.1", world.port, timeout=30) as smtp:
            smtp.ehlo()
            smtp.mail(a.email)
            replies.append(smtp.rcpt(recipient))
    assert replies == [(550, b"5.1.1 No such recipient here")] * 5, (old, new)
    with smtplib.SMTP("127.0.0.1", world.port, timeout=30) as smtp:
        smtp.ehlo()
        smtp.mail(a.email)
        assert smtp.rcpt(new)[0] == 250
    a.other_address = new


def test_an_address_writes_only_into_its_own_client_and_practice(
    world: World, committed: None
) -> None:
    a, b = world.a, world.b
    message = mail(sender=f"Cleo <{b.email}>", to="ivy@x.test", subject="Only B", body="x")
    send(world, b.address, message, sender=b.email)
    process_all(b)
    with schema_context(b.practice.schema_name):
        rows = CapturedInteraction.objects.filter(person_email="ivy@x.test")
        assert [r.client_id for r in rows] == [b.client.pk]
    with schema_context(a.practice.schema_name):
        assert not CapturedInteraction.objects.filter(person_email="ivy@x.test").exists()
        assert not InboundMail.objects.filter(message_id=message["Message-ID"]).exists()


@override_settings(INBOUND_MAIL_WEBHOOK_SECRET=SECRET)
def test_the_provider_endpoint_verifies_the_signature(world: World, committed: None) -> None:
    a = world.a
    http = HttpClient(HTTP_HOST="localhost")
    message = mail(sender=f"Cleo <{a.email}>", to="jay@x.test", subject="Via HTTPS", body="x")
    body = message.as_bytes()

    def post(recipient: str, raw: bytes, sig: str) -> int:
        return http.post(
            "/inbound/mail/", data=raw, content_type="message/rfc822",
            HTTP_X_WARMPATH_RECIPIENT=recipient, HTTP_X_WARMPATH_SIGNATURE=sig,
        ).status_code  # fmt: skip

    good = signature(secret=SECRET, recipient=a.address, body=body)
    assert post(a.address, body, "sha256=" + "0" * 64) == 403
    assert post(a.address, body, "") == 403
    assert post(a.address, body + b"x", good) == 403  # the body is signed
    assert post(world.b.address, body, good) == 403  # so is the recipient
    unknown = "log+" + "y" * 28 + "@" + a.address.split("@")[1]
    assert post(unknown, body, signature(secret=SECRET, recipient=unknown, body=body)) == 404
    assert post(a.address, body, good) == 202
    assert post(a.address, body, good) == 202  # a redelivery
    with schema_context(a.practice.schema_name):
        assert (
            InboundMail.objects.filter(message_id=message["Message-ID"], via="https").count() == 1
        )
    process_all(a)
    assert len(captured(a, person_email="jay@x.test")) == 1


@override_settings(INBOUND_MAIL_WEBHOOK_SECRET="")
def test_the_provider_endpoint_refuses_everything_without_a_secret(
    world: World, committed: None
) -> None:
    http = HttpClient(HTTP_HOST="localhost")
    sig = signature(secret="", recipient=world.a.address, body=b"x")
    response = http.post(
        "/inbound/mail/",
        data=b"x",
        content_type="message/rfc822",
        HTTP_X_WARMPATH_RECIPIENT=world.a.address,
        HTTP_X_WARMPATH_SIGNATURE=sig,
    )
    assert response.status_code == 403
