"""Requests per second of `GET /api/v1/clients/` (50 per page, each with its status) against a
bare Django JSON view of the same 50 clients, on the same gunicorn, in the same run.

    .venv/bin/python -m tests.bench.api_clients [--clients 200] [--rounds 5] [--seconds 5]
        [--connections 16] [--workers 4] [--threads 1]

Goal: the API at least 50 % of the bare view's rate, p99 under 100 ms at 16 connections. The
server runs gunicorn's sync workers, as infra/Dockerfile does (`--threads` above 1 switches to
gthread). The load comes from `wrk` when it is installed (`apt-get install wrk`), else from
Python threads with keep-alive `http.client` connections (which cost the server's CPU more, so
rates are lower). Afterwards both views are also timed in this process, without HTTP."""

import argparse
import gc
import http.client
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from tests.api.live import gunicorn, practice_on_localhost
from tests.bench.harness import bench_database

API = "/api/v1/clients/?page_size=50"
BARE = "/bench/bare-clients/"


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _seed(*, clients: int) -> str:
    from django.db import connection
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from coaching.insights.services import weekly_snapshots_backfill
    from coaching.services import client_create
    from integrations.keys import api_key_create
    from integrations.models import KeyScope

    practice, owner = practice_on_localhost(slug="bench")
    with schema_context(practice.schema_name):  # type: ignore[attr-defined]
        coaches = [
            User.objects.create_user(f"coach{n}@bench.example.com", None, role=Role.COACH,
                                     name=f"Coach {n}")
            for n in range(4)
        ]  # fmt: skip
        for n in range(clients):
            person = User.objects.create_user(
                f"client{n}@bench.example.com", None, role=Role.CLIENT, name=f"Client {n}"
            )
            client_create(actor=owner, user=person, coach=coaches[n % 4],  # type: ignore[arg-type]
                          search_started_on=date(2024, 1, 1), headline="Data engineer",
                          target_roles=[{"role": "Data engineer", "family": "data"}])  # fmt: skip
        # Twelve weeks of nightly statuses, so every client's status is a real stored one.
        weekly_snapshots_backfill(as_of=date(2024, 3, 31), weeks=12)
        _, secret = api_key_create(actor=owner, name="bench", scope=KeyScope.READ)  # type: ignore[arg-type]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner statistics a live database keeps
    return secret


def _wrk(url: str, *, headers: dict[str, str], seconds: int, connections: int) -> Result:
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert match, out
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Result(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=latency("50%"),
        p99_ms=latency("99%"),
        requests=requests,
        errors=int(bad.group(1)) if bad else 0,
    )


def _python_load(url: str, *, headers: dict[str, str], seconds: int, connections: int) -> Result:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                errors[0] += 1
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    ms = sorted(s * 1000 for s in samples)
    return Result(
        rps=len(ms) / elapsed,
        p50_ms=statistics.median(ms),
        p99_ms=ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))],
        requests=len(ms),
        errors=errors[0],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=5, help="per round and target")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes (production: 4)")
    parser.add_argument(
        "--threads", type=int, default=1,
        help="threads per process; above 1 uses the gthread worker (production: sync, 1)",
    )  # fmt: skip
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    load = args.load if args.load != "auto" else ("wrk" if shutil.which("wrk") else "python")
    run = _wrk if load == "wrk" else _python_load
    worker_class = "gthread" if args.threads > 1 else "sync"  # sync: as infra/Dockerfile runs

    # This process serves the in-process comparison with the server's own settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.api_settings")
    os.environ.setdefault("WARMPATH_BENCH_DB", "warmpath_bench_api")
    os.environ.setdefault("EXTRA_ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("API_RATE_PER_USER", "100000000/minute")
    from django.conf import settings
    from django.db import connections

    with bench_database():
        print(f"Seeding {args.clients} clients…", flush=True)
        secret = _seed(clients=args.clients)
        connections.close_all()
        server = gunicorn(
            settings_module="tests.bench.api_settings",
            env={
                "WARMPATH_BENCH_DB": settings.DATABASES["default"]["NAME"],
                "API_RATE_PER_USER": "100000000/minute",
            },
            args=["--worker-class", worker_class, "--workers", str(args.workers),
                  "--threads", str(args.threads)],
            ready_path=BARE,
        )  # fmt: skip
        with server as base:
            auth = {"Authorization": f"Api-Key {secret}"}
            for path, headers in ((BARE, {}), (API, auth)):  # warm up both
                run(base + path, headers=headers, seconds=2, connections=args.connections)
            # Alternate short rounds, so a change in the machine's other load hits both alike.
            rounds: list[tuple[Result, Result]] = []
            for _ in range(args.rounds):
                bare = run(
                    base + BARE, headers={}, seconds=args.seconds, connections=args.connections
                )
                api = run(
                    base + API, headers=auth, seconds=args.seconds, connections=args.connections
                )
                rounds.append((bare, api))  # fmt: skip
        in_process = _in_process(secret=secret)
        pauses = _collector_pauses(secret=secret)

    report(rounds, header=(
        f"load: {load}, {args.connections} connections, {args.rounds} alternating rounds of "
        f"{args.seconds} s; gunicorn {worker_class} {args.workers}x{args.threads}; "
        f"{args.clients} clients, 50 per page"
    ))  # fmt: skip
    bare_ms, api_ms = in_process
    print(
        f"in-process (Django test client, best of 15 alternating batches of 40): "
        f"bare view {bare_ms:.2f} ms, API {api_ms:.2f} ms per request"
    )
    for label, (count, longest) in pauses.items():
        print(f"full collections in 1,000 API requests, {label}: {count}, longest {longest:.1f} ms")


def _in_process(*, secret: str) -> tuple[float, float]:
    """Milliseconds per request of each view without HTTP: best of alternating batches."""
    from django.test import Client

    http = Client(HTTP_HOST="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}

    def batch(path: str, headers: dict[str, str]) -> float:
        started = time.perf_counter()
        for _ in range(40):
            assert http.get(path, **headers).status_code == 200  # type: ignore[arg-type]
        return (time.perf_counter() - started) / 40 * 1000

    batch(BARE, {}), batch(API, auth)  # warm-up
    timings = [(batch(BARE, {}), batch(API, auth)) for _ in range(15)]
    return min(b for b, _ in timings), min(a for _, a in timings)


def _collector_pauses(*, secret: str, requests: int = 1000) -> dict[str, tuple[int, float]]:
    """Full garbage collections during `requests` API calls in this process, and the longest
    one, before and after `gc.freeze()` (which config/wsgi.py calls once the app is loaded)."""
    from django.test import Client

    http = Client(HTTP_HOST="127.0.0.1")
    pauses: list[float] = []
    started = [0.0]

    def watch(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses.append((time.perf_counter() - started[0]) * 1000)

    found = {}
    gc.callbacks.append(watch)
    try:
        for label in ("not frozen", "frozen"):
            if label == "frozen":
                gc.freeze()
            pauses.clear()
            for _ in range(requests):
                http.get(API, HTTP_AUTHORIZATION=f"Api-Key {secret}")
            found[label] = (len(pauses), max(pauses, default=0.0))
    finally:
        gc.callbacks.remove(watch)
        gc.unfreeze()
    return found


def report(rounds: list[tuple[Result, Result]], *, header: str) -> None:
    print(f"\n{header}")
    print(f"{'round':8}{'':24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}")
    ratios = []
    for n, (bare, api) in enumerate(rounds, 1):
        ratios.append(api.rps / bare.rps)
        for name, r, ratio in (
            ("bare Django JSON view", bare, ""),
            ("GET /api/v1/clients/", api, f"{ratios[-1]:.0%}"),
        ):
            print(
                f"{n:<8}{name:24}{r.rps:9.0f}{r.p50_ms:9.1f}{r.p99_ms:9.1f}{r.errors:8d}{ratio:>8}"
            )
    print(
        f"\nAPI / bare, median of rounds: {statistics.median(ratios):.0%} (goal >= 50 %); "
        f"API p99 median {statistics.median(a.p99_ms for _, a in rounds):.1f} ms "
        f"(goal < 100 ms); bare p99 median {statistics.median(b.p99_ms for b, _ in rounds):.1f} ms"
    )


if __name__ == "__main__":
    main()
