"""Webhook deliveries cannot be turned against our own network or used to hold a worker: no
redirects, every resolved address checked and then the connection pinned to it, TLS still
verified for the endpoint's host name, time limits, and a cap on how much of an answer is read.

Every receiver here is a real server on loopback (tests/api/listeners.py); the "private targets"
count the connections they accept, so "nothing reached it" is measured, not assumed."""

import socket
import time
from pathlib import Path

import pytest

from accounts.models import User
from integrations.models import DeliveryStatus, WebhookDelivery
from integrations.webhooks import egress, services
from integrations.webhooks.addresses import refusal
from integrations.webhooks.tasks import webhook_deliver_task
from tests.api.certificates import new_authority
from tests.api.listeners import (
    dripping_headers,
    endless_body,
    free_port_on,
    listening,
    ok,
    redirect_to,
    silent_for,
)

HEADERS = {"Content-Type": "application/json"}


def _delivery(owner: User, url: str, django_capture_on_commit_callbacks) -> WebhookDelivery:  # type: ignore[no-untyped-def]
    services.endpoint_create(actor=owner, url=url, events=["import.finished"])
    with django_capture_on_commit_callbacks():
        [delivery] = services.webhook_emit(event="import.finished", payload={"import": 1})
    return delivery


def test_a_redirect_to_a_private_address_is_a_failed_delivery_and_never_followed(
    owner: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True  # the receiver itself is on loopback
    settings.CELERY_MAX_COUNTDOWN_SECONDS = 10**6  # every retry inline, the long waits too
    with (
        listening(ok) as private_target,
        listening(redirect_to(private_target.url("/admin/"))) as hook,
    ):
        delivery = _delivery(owner, hook.url(), django_capture_on_commit_callbacks)
        webhook_deliver_task.apply(args=[delivery.pk])

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, services.MAX_ATTEMPTS)
    assert delivery.response_code == 302
    assert delivery.error == (
        "The receiver answered 302, a redirect; Warmpath does not follow redirects. "
        "Set the endpoint to the final address."
    )
    assert len(hook.requests) == services.MAX_ATTEMPTS
    assert private_target.connections == 0


def test_a_redirect_to_the_metadata_service_is_not_followed() -> None:
    with listening(redirect_to("http://169.254.169.254/latest/meta-data/")) as hook:
        answer = egress.post(url=hook.url(), body=b"{}", headers=HEADERS, allow_private=True)
    assert answer.status == 302  # handed back as is; the caller records it as a failure


def test_a_host_name_that_resolves_to_a_private_address_is_refused_before_connecting(
    owner: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    with listening(ok) as private_target:
        # `localhost` is resolved by the machine's real resolver, to loopback.
        delivery = _delivery(
            owner, private_target.url(host="localhost"), django_capture_on_commit_callbacks
        )
        result = services.delivery_attempt(delivery_id=delivery.pk)

    assert private_target.connections == 0
    assert result.status == DeliveryStatus.PENDING  # retried later, like any failure
    assert result.response_code is None
    assert result.error.startswith("localhost resolves to ")
    assert "a private address (loopback); refused" in result.error


@pytest.mark.parametrize(
    "answers",
    [
        ["93.184.215.14", "10.0.0.7"],  # one public, one private: every address counts
        ["2606:4700:4700::1111", "::1"],
        ["::ffff:127.0.0.1"],  # IPv4-mapped IPv6 is judged by its IPv4 address
        ["169.254.169.254"],
        ["fd00::1"],
        ["224.0.0.251"],
    ],
)
def test_every_resolved_address_is_checked(answers: list[str]) -> None:
    asked: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers

    with pytest.raises(egress.Refused, match="a private address"):
        egress.post(
            url="https://hooks.example.test/in",
            body=b"{}",
            headers=HEADERS,
            allow_private=False,
            resolver=resolver,
        )
    assert asked == ["hooks.example.test"]


def test_ip_literals_in_the_url_are_checked_too() -> None:
    for url in ("http://127.0.0.1:9/", "http://[::1]:9/", "http://169.254.169.254/", "http://0/"):
        with pytest.raises(egress.Refused):
            egress.post(url=url, body=b"{}", headers=HEADERS, allow_private=False)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("8.8.8.8", ""),
        ("2606:4700:4700::1111", ""),
        ("::ffff:8.8.8.8", ""),  # mapped public IPv4 is public
        ("64:ff9b::808:808", ""),  # NAT64 of a public address
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "not public"),  # carrier-grade NAT
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "private"),
        ("fec0::1", "private"),  # deprecated site-local
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("::ffff:10.0.0.1", "private, as 10.0.0.1"),
        ("::ffff:169.254.169.254", "link-local, as 169.254.169.254"),
        ("64:ff9b::7f00:1", "loopback, as 127.0.0.1"),
        ("2002:7f00:1::", "loopback, as 127.0.0.1"),  # 6to4
        ("2001:db8::1", "private"),  # documentation
        ("not-an-address", "not an IP address"),
    ],
)
def test_the_address_rule(address: str, kind: str) -> None:
    assert refusal(address) == kind


def test_the_connection_goes_to_the_address_that_was_resolved_once() -> None:
    """DNS rebinding: the name answers an allowed address first and another one after. There is
    no second lookup, so the second answer never matters."""
    port = free_port_on("127.0.0.1", "127.0.0.2")
    answers = [["127.0.0.1"], ["127.0.0.2"]]
    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers[min(len(asked), len(answers)) - 1]

    with (
        listening(ok, host="127.0.0.1", port=port) as checked,
        listening(ok, host="127.0.0.2", port=port) as rebound,
    ):
        answer = egress.post(
            url=f"http://hooks.example.test:{port}/in?x=1",
            body=b"{}",
            headers=HEADERS,
            allow_private=True,
            resolver=rebinding,
        )

    assert asked == ["hooks.example.test"]
    assert (answer.status, answer.address) == (200, "127.0.0.1")
    assert rebound.connections == 0
    [request] = checked.requests
    assert request["Host"] == f"hooks.example.test:{port}"  # the name, not the address


def test_tls_names_and_verifies_the_endpoint_host_while_connecting_to_the_pinned_address(
    tmp_path: Path,
) -> None:
    authority = new_authority()
    pinned = lambda host, port: ["127.0.0.1"]  # noqa: E731
    with listening(ok, tls=authority.server_context("hooks.example.test", tmp_path)) as hook:
        answer = egress.post(
            url=f"https://hooks.example.test:{hook.port}/in",
            body=b"{}",
            headers=HEADERS,
            allow_private=True,
            resolver=pinned,
            ssl_context=authority.trust(),
        )
        assert answer.status == 200
        assert hook.server_names == ["hooks.example.test"]  # SNI carries the host name
        assert hook.requests[0]["Host"] == f"hooks.example.test:{hook.port}"

    with (
        listening(ok, tls=authority.server_context("other.example.test", tmp_path)) as impostor,
        pytest.raises(egress.DeliveryError, match=r"certificate is not valid for hooks\.example"),
    ):
        egress.post(
            url=f"https://hooks.example.test:{impostor.port}/in",
            body=b"{}",
            headers=HEADERS,
            allow_private=True,
            resolver=pinned,
            ssl_context=authority.trust(),
        )
    assert impostor.requests == []

    with (
        listening(ok, tls=authority.server_context("hooks.example.test", tmp_path)) as unknown,
        pytest.raises(egress.DeliveryError, match="certificate is not valid"),
    ):
        egress.post(  # the system's trusted authorities have never heard of ours
            url=f"https://hooks.example.test:{unknown.port}/in",
            body=b"{}",
            headers=HEADERS,
            allow_private=True,
            resolver=pinned,
        )
    assert unknown.requests == []


def test_a_huge_answer_is_read_only_up_to_the_cap(
    owner: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    with listening(endless_body) as hook:
        started = time.monotonic()
        answer = egress.post(url=hook.url(), body=b"{}", headers=HEADERS, allow_private=True)
        took = time.monotonic() - started
        delivery = _delivery(owner, hook.url(), django_capture_on_commit_callbacks)
        result = services.delivery_attempt(delivery_id=delivery.pk)

    assert (answer.status, len(answer.body), answer.truncated) == (200, 65536, True)
    assert took < 5
    # The receiver offered 1 GB; what it got out before we hung up is what fits in buffers.
    assert hook.bytes_sent < 64 * 1024 * 1024
    assert (result.status, result.response_code) == (DeliveryStatus.SUCCEEDED, 200)


def test_a_receiver_that_does_not_answer_times_out(
    owner: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    quick = egress.Limits(connect_seconds=1, read_seconds=0.5, total_seconds=5, response_bytes=1024)
    with listening(silent_for(30)) as hook:
        started = time.monotonic()
        with pytest.raises(egress.DeliveryError) as failed:
            egress.post(
                url=hook.url(), body=b"{}", headers=HEADERS, allow_private=True, limits=quick
            )
        took = time.monotonic() - started

        # The same through a delivery, with the real limits.
        delivery = _delivery(owner, hook.url(), django_capture_on_commit_callbacks)
        started = time.monotonic()
        result = services.delivery_attempt(delivery_id=delivery.pk)
        delivery_took = time.monotonic() - started

    assert str(failed.value) == "Could not deliver: the receiver did not answer within 0.5 s."
    assert took < 3
    assert result.error == (
        f"Could not deliver: the receiver did not answer within {egress.LIMITS.read_seconds:g} s."
    )
    assert result.status == DeliveryStatus.PENDING
    assert result.response_code is None
    assert delivery_took < egress.LIMITS.read_seconds + 3


def test_a_receiver_that_drips_its_answer_is_cut_off_by_the_overall_limit() -> None:
    """Each byte arrives well within the per-read timeout; only the overall limit stops it."""
    limits = egress.Limits(
        connect_seconds=1, read_seconds=1, total_seconds=1.5, response_bytes=1024
    )
    with listening(dripping_headers) as hook:
        started = time.monotonic()
        with pytest.raises(egress.DeliveryError, match=r"took longer than 1\.5 s in all"):
            egress.post(
                url=hook.url(), body=b"{}", headers=HEADERS, allow_private=True, limits=limits
            )
        took = time.monotonic() - started
    assert 1.4 < took < 4


def test_a_connection_that_is_not_accepted_times_out_on_connect() -> None:
    """A listening socket whose backlog is full never completes the handshake."""
    limits = egress.Limits(
        connect_seconds=0.5, read_seconds=1, total_seconds=5, response_bytes=1024
    )
    with socket.socket() as full:
        full.bind(("127.0.0.1", 0))
        full.listen(0)
        port = full.getsockname()[1]
        fillers = []
        try:
            for _ in range(8):  # fill the backlog (Linux allows backlog + 1)
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
                fillers.append(filler)
            time.sleep(0.1)
            started = time.monotonic()
            with pytest.raises(egress.DeliveryError, match="could not connect") as failed:
                egress.post(
                    url=f"http://127.0.0.1:{port}/",
                    body=b"{}",
                    headers=HEADERS,
                    allow_private=True,
                    limits=limits,
                )
            took = time.monotonic() - started
        finally:
            for filler in fillers:
                filler.close()
    assert "timed out" in str(failed.value)
    assert took < 3


def test_unsupported_addresses_are_refused() -> None:
    for url, reason in (
        ("ftp://example.com/", "Only http:// and https://"),
        ("http:///nohost", "no host name"),
        ("http://example.com:99999/", "not a valid URL"),
    ):
        with pytest.raises(egress.Refused, match=reason):
            egress.post(url=url, body=b"{}", headers=HEADERS, allow_private=False)
