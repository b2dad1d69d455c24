"""A local stand-in for api.stripe.com: the real `stripe` library talks HTTP to it.

It answers the endpoints Warmpath calls with JSON shaped like Stripe's recorded responses
(API version 2026-10-28: the billing period lives on the subscription item), keeps subscriptions
in memory so a test can change what Stripe "now" says, and records every request.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

PERIOD_END = 1_780_000_000  # 2026-05-28 UTC
SOLO_PRICE = "price_solo_test"
TEAM_PRICE = "price_team_test"
UNIT_AMOUNTS = {SOLO_PRICE: 900, TEAM_PRICE: 1500}


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, str]


@dataclass
class FakeStripe:
    url: str = ""
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)
    price_amounts: dict[str, int] = field(default_factory=lambda: dict(UNIT_AMOUNTS))
    price_currency: str = "usd"

    def calls(self, method: str, path_pattern: str) -> list[Recorded]:
        return [
            r for r in self.requests if r.method == method and re.fullmatch(path_pattern, r.path)
        ]

    def put_subscription(
        self,
        *,
        sub_id: str = "sub_test_1",
        customer: str = "cus_test_1",
        status: str = "active",
        quantity: int = 3,
        price: str = TEAM_PRICE,
        practice_id: int | None = None,
        cancel_at_period_end: bool = False,
    ) -> dict[str, Any]:
        """What Stripe answers for this subscription from now on."""
        subscription = {
            "id": sub_id,
            "object": "subscription",
            "customer": customer,
            "status": status,
            "cancel_at_period_end": cancel_at_period_end,
            "created": PERIOD_END - 30 * 86400,
            "livemode": False,
            "metadata": {"practice_id": str(practice_id)} if practice_id else {},
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": f"si_{sub_id}",
                        "object": "subscription_item",
                        "quantity": quantity,
                        "current_period_start": PERIOD_END - 30 * 86400,
                        "current_period_end": PERIOD_END,
                        "price": {
                            "id": price,
                            "object": "price",
                            "currency": "usd",
                            "unit_amount": UNIT_AMOUNTS.get(price, 1000),
                            "recurring": {"interval": "month", "usage_type": "licensed"},
                        },
                    }
                ],
                "has_more": False,
                "url": f"/v1/subscription_items?subscription={sub_id}",
            },
        }
        self.subscriptions[sub_id] = subscription
        return subscription

    def answer(self, method: str, path: str, params: dict[str, str]) -> tuple[int, Any]:
        with self.lock:
            self.requests.append(Recorded(method, path, params))
            n = next(self._ids)
        if method == "POST" and path == "/v1/customers":
            return 200, {"id": f"cus_new_{n}", "object": "customer", "email": params.get("email")}
        if method == "POST" and path == "/v1/checkout/sessions":
            return 200, {
                "id": f"cs_test_{n}",
                "object": "checkout.session",
                "mode": "subscription",
                "url": f"https://checkout.stripe.com/c/pay/cs_test_{n}",
            }
        if method == "POST" and path == "/v1/billing_portal/sessions":
            return 200, {
                "id": f"bps_{n}",
                "object": "billing_portal.session",
                "customer": params.get("customer"),
                "url": f"https://billing.stripe.com/p/session/test_{n}",
            }
        if method == "GET" and (match := re.fullmatch(r"/v1/prices/([\w]+)", path)):
            amount = self.price_amounts.get(match[1])
            if amount is None:
                return 404, {"error": {"type": "invalid_request_error", "message": "No such price"}}
            return 200, {
                "id": match[1],
                "object": "price",
                "currency": self.price_currency,
                "unit_amount": amount,
                "recurring": {"interval": "month", "usage_type": "licensed"},
            }
        if match := re.fullmatch(r"/v1/subscriptions/([\w]+)", path):
            subscription = self.subscriptions.get(match[1])
            if subscription is None:
                return 404, {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "resource_missing",
                        "message": f"No such subscription: '{match[1]}'",
                    }
                }
            if method == "POST" and "items[0][quantity]" in params:
                subscription["items"]["data"][0]["quantity"] = int(params["items[0][quantity]"])
            return 200, subscription
        return 404, {"error": {"type": "invalid_request_error", "message": f"no route {path}"}}


def serve(fake: FakeStripe) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            parts = urlsplit(self.path)
            params = dict(parse_qsl(body or parts.query, keep_blank_values=True))
            status, payload = fake.answer(self.command, parts.path, params)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_test")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    return server


def sign(payload: str, *, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header, computed the way Stripe does: HMAC-SHA256 over "t.payload"."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def event(event_id: str, event_type: str, obj: dict[str, Any]) -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "type": event_type,
            "data": {"object": obj},
        }
    )
