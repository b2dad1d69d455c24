"""Real servers on loopback that misbehave the way a hostile or broken webhook receiver would:
answer with a redirect, stream an endless body, stall, drip bytes. Each counts the TCP
connections it accepted, so a test can prove that nothing ever reached it."""

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Listener:
    host: str
    port: int
    scheme: str = "http"
    connections: int = 0  # TCP connections accepted, whether or not a request followed
    requests: list[dict[str, str]] = field(default_factory=list)  # headers of each request
    bytes_sent: int = 0  # body bytes the handler managed to write
    server_names: list[str | None] = field(default_factory=list)  # TLS SNI, if TLS
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/hooks", *, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"


Answer = Callable[[BaseHTTPRequestHandler, Listener], None]


@contextmanager
def listening(
    answer: Answer, *, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
) -> Iterator[Listener]:
    """Serve `answer` for every POST on `host:port` (0: any free port) until the block ends."""
    state = Listener(host=host, port=port, scheme="https" if tls else "http")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(dict(self.headers.items()))
            answer(self, state)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def get_request(self) -> tuple[Any, Any]:
            sock, address = super().get_request()
            state.connections += 1
            if tls is not None:
                sock = tls.wrap_socket(sock, server_side=True)
            return sock, address

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client hanging up mid-answer is what these tests provoke

    if tls is not None:
        tls.sni_callback = lambda _sock, name, _ctx: state.server_names.append(name)
    server = Server((host, port), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        server.shutdown()
        server.server_close()


def ok(handler: BaseHTTPRequestHandler, state: Listener) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "2")
    handler.end_headers()
    handler.wfile.write(b"ok")


def redirect_to(location: str) -> Answer:
    def answer(handler: BaseHTTPRequestHandler, state: Listener) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def endless_body(handler: BaseHTTPRequestHandler, state: Listener) -> None:
    """A 200 whose body says it is 1 GB and keeps coming for as long as anyone reads it."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(1 << 30))
    handler.end_headers()
    chunk = b"x" * 65536
    try:
        while not state.stop.is_set() and state.bytes_sent < 1 << 30:
            handler.wfile.write(chunk)
            state.bytes_sent += len(chunk)
    except OSError:
        pass  # the client hung up, as it should


def silent_for(seconds: float) -> Answer:
    """Reads the request, then says nothing for `seconds` before answering 200."""

    def answer(handler: BaseHTTPRequestHandler, state: Listener) -> None:
        state.stop.wait(seconds)
        ok(handler, state)

    return answer


def dripping_headers(handler: BaseHTTPRequestHandler, state: Listener) -> None:
    """Never finishes its headers: one byte every 0.2 s, each within any per-read timeout."""
    try:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        handler.wfile.flush()
        while not state.stop.is_set():
            handler.wfile.write(b"X")
            handler.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def free_port_on(*hosts: str) -> int:
    """A TCP port free on every one of `hosts` (so two listeners can share it)."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind((hosts[0], 0))
            port = int(first.getsockname()[1])
            try:
                for host in hosts[1:]:
                    with socket.socket() as other:
                        other.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no port free on all of {hosts}")
