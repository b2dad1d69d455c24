"""The one way a webhook delivery leaves Warmpath: an HTTP POST built so that an endpoint URL,
which a customer chooses, cannot be used to reach our own network (server-side request forgery)
or to hold a worker hostage.

- The host name is resolved once. Unless private networks are allowed, every address it
  resolves to must be public (`addresses.refusal`), and the connection goes to exactly one of
  those checked addresses. The request still names the endpoint's host (Host header, TLS SNI,
  certificate verification), so a name that answers differently a moment later (DNS rebinding)
  changes nothing: there is no second lookup to trick.
- Redirects are never followed: a 3xx is the receiver's answer and the caller treats it as a
  failure. Following one would send the signed body to wherever the receiver points, including
  a private address that was never checked.
- Connecting, every read, and the whole exchange have time limits, and at most
  `response_bytes` of the answer are read: a receiver cannot stall or flood the worker.

urllib3 does the HTTP and TLS; this module only decides where it may connect.
"""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.response import BaseHTTPResponse

from integrations.webhooks.addresses import refusal


@dataclass(frozen=True, slots=True)
class Limits:
    connect_seconds: float
    read_seconds: float  # longest wait for any one read (the status line, a piece of the body)
    total_seconds: float  # the whole exchange, from the first connection attempt
    response_bytes: int  # read at most this much of the answer's body, then hang up


LIMITS = Limits(connect_seconds=3.0, read_seconds=5.0, total_seconds=10.0, response_bytes=65536)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes  # at most `Limits.response_bytes`
    truncated: bool  # the receiver had more to say than we read
    address: str  # the address the request went to (one that was checked)


class DeliveryError(Exception):
    """The request could not be made or completed; the message is written for a person
    reading the delivery log."""


class Refused(DeliveryError):
    """Refused before any connection was attempted."""


Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to for a TCP connection, in the system's preferred order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True, slots=True)
class _Target:
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, without brackets
    port: int
    host_header: str
    path: str


def _target(url: str) -> _Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(f"The endpoint address is not a valid URL ({exc}).") from None
    if parts.scheme not in ("http", "https"):
        raise Refused("Only http:// and https:// endpoints are delivered to.")
    host = parts.hostname or ""
    if not host:
        raise Refused("The endpoint address has no host name.")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise Refused(f"{parts.hostname} is not a valid host name.") from None
    default_port = 443 if parts.scheme == "https" else 80
    shown_host = f"[{host}]" if ":" in host else host
    port = port or default_port
    return _Target(
        scheme=parts.scheme,
        host=host,
        port=port,
        host_header=shown_host if port == default_port else f"{shown_host}:{port}",
        path=(parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
    )


def _checked_addresses(target: _Target, *, allow_private: bool, resolver: Resolver) -> list[str]:
    try:
        addresses = resolver(target.host, target.port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise DeliveryError(f"Could not resolve {target.host}.")
    if allow_private:
        return addresses
    for address in addresses:
        kind = refusal(address)
        if kind:
            what = "is" if address == target.host else f"resolves to {address},"
            raise Refused(
                f"{target.host} {what} a private address ({kind}); refused: "
                "Warmpath delivers webhooks only to public addresses."
            )
    return addresses


class _Watchdog:
    """Cuts the connection when the whole exchange has taken too long. Per-read timeouts alone
    would let a receiver that sends one byte every few seconds keep a worker forever."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.fired = threading.Event()
        self._connection: HTTPConnection | None = None
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, connection: HTTPConnection) -> None:
        self._connection = connection

    def _cut(self) -> None:
        self.fired.set()
        sock = self._connection.sock if self._connection is not None else None
        if isinstance(sock, socket.socket):
            # The plain socket's shutdown, beneath any TLS layer: it wakes a blocked read.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _connection(
    target: _Target, address: str, *, limits: Limits, ssl_context: ssl.SSLContext | None
) -> HTTPConnection:
    """A connection to `address` that speaks to it as `target.host`: TLS sends the host name
    (SNI) and the certificate must be valid for it."""
    if target.scheme == "https":
        return HTTPSConnection(
            address,
            target.port,
            timeout=limits.connect_seconds,
            server_hostname=target.host,
            ssl_context=ssl_context,
            cert_reqs=ssl.CERT_REQUIRED,
        )
    return HTTPConnection(address, target.port, timeout=limits.connect_seconds)


def _connect(
    target: _Target,
    addresses: list[str],
    *,
    limits: Limits,
    watchdog: _Watchdog,
    ssl_context: ssl.SSLContext | None,
) -> tuple[HTTPConnection, str]:
    """Connect to the first checked address that accepts, in the resolver's order."""
    failures: list[str] = []
    for address in addresses:
        if time.monotonic() >= watchdog.deadline:
            break
        connection = _connection(target, address, limits=limits, ssl_context=ssl_context)
        watchdog.watch(connection)
        try:
            connection.connect()
        except ssl.SSLCertVerificationError as exc:
            connection.close()
            raise DeliveryError(
                f"Could not deliver: the TLS certificate is not valid for {target.host} "
                f"({exc.verify_message or exc.reason})."
            ) from None
        except (OSError, Urllib3Error) as exc:
            connection.close()
            failures.append(f"{address}: {_short(exc)}")
            continue
        return connection, address
    raise DeliveryError(
        f"Could not deliver: could not connect to {target.host} ({'; '.join(failures)})."[:500]
    )


def _short(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, Urllib3Error) and cause is not None:
        exc = cause
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return str(exc) or type(exc).__name__


def _read_capped(response: BaseHTTPResponse, *, cap: int) -> tuple[bytes, bool]:
    """At most `cap` bytes of the body, and whether there was more. The status line has already
    decided the outcome, so a body that breaks off or runs out of time just ends here."""
    body = b""
    try:
        while len(body) < cap:
            piece = response.read(min(16384, cap - len(body)), decode_content=False)
            if not piece:
                return body, False
            body += piece
        return body, bool(response.read(1, decode_content=False))
    except (OSError, http.client.HTTPException, Urllib3Error):
        return body, True


def post(
    *,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    allow_private: bool,
    limits: Limits = LIMITS,
    resolver: Resolver = resolve,
    ssl_context: ssl.SSLContext | None = None,
) -> Answer:
    """POST `body` to `url` once, without following redirects. Raises `Refused` when the
    address may not be used and `DeliveryError` when the exchange fails or takes too long.
    `resolver` and `ssl_context` (trusted certificates) are for tests; production passes
    neither."""
    target = _target(url)
    addresses = _checked_addresses(target, allow_private=allow_private, resolver=resolver)
    with _Watchdog(limits.total_seconds) as watchdog:
        connection, address = _connect(
            target, addresses, limits=limits, watchdog=watchdog, ssl_context=ssl_context
        )
        try:
            connection.timeout = limits.read_seconds  # from here on, each read's limit
            connection.request(
                "POST",
                target.path,
                body=body,
                headers={**headers, "Host": target.host_header},
                preload_content=False,
                decode_content=False,
            )
            response = connection.getresponse()
            if watchdog.fired.is_set():
                # Cut off mid-headers, http.client may still make a response of the fragment.
                raise TimeoutError("the exchange ran out of time")
        except (OSError, http.client.HTTPException, Urllib3Error) as exc:
            connection.close()
            raise _failure(exc, limits=limits, watchdog=watchdog) from None
        try:
            data, truncated = _read_capped(response, cap=limits.response_bytes)
        finally:
            connection.close()
    return Answer(response.status, data, truncated, address)


def _failure(exc: BaseException, *, limits: Limits, watchdog: _Watchdog) -> DeliveryError:
    if watchdog.fired.is_set():
        return DeliveryError(
            f"Could not deliver: the receiver took longer than {limits.total_seconds:g} s in "
            "all; Warmpath stopped waiting."
        )
    if isinstance(_cause(exc), TimeoutError | socket.timeout):
        return DeliveryError(
            f"Could not deliver: the receiver did not answer within {limits.read_seconds:g} s."
        )
    return DeliveryError(f"Could not deliver: {_short(exc)}"[:500])


def _cause(exc: BaseException) -> BaseException:
    if isinstance(exc, Urllib3Error):
        return exc.__cause__ or exc.__context__ or exc
    return exc
