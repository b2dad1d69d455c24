"""Ten thousand practices (#19): migrations, routing, signup and backups at N practices, on a
PostgreSQL of the benchmark's own (tests/bench/scale_pg.py; never the shared embedded one).

    .venv/bin/python -m tests.bench.scale [--sizes 100,500,1000] [--root /tmp/bench-pg]
        [--refill-at 1000] [--compare-at 1000] [--keep]

Practices are not migrated one by one: one schema (`bench_tpl`) is migrated, dumped with
pg_dump, and restored N times under new names by two psql streams; their practice and domain
rows are bulk-inserted. The template stops one migration short (tests/bench/scale_app: its
0002 adds a nullable column), so every practice has "one new migration" to apply. For each size,
growing the same database:

- P7b `migrate_practices` applying that one migration to every practice (wall time, the
  server's CPU, the peak and early/late RSS of the command's processes);
- P7a `migrate_practices` with nothing to apply (wall time, server CPU); with --compare-at,
  django-tenants' `migrate_schemas --executor=multiprocessing` too (the recorder fix applies);
- P2 a page on practice #1, #N and an unknown host (in-process, median of interleaved rounds;
  tenant-lookup queries per request once warm);
- P1 signup claiming a spare with N practices present (20 claims), and refilling 100 spares
  (--refill-at);
- backups: pg_dump of the whole database under the default max_locks_per_transaction (then
  raised if it fails), one practice's dump and its restore into a scratch database, and
  pg_basebackup (physical) at the largest size.

Results go to <root>/results.json; a linear fit over the sizes is printed for 10,000.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tests.bench.scale_pg import BenchServer

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "bench_tpl"
NEW_MIGRATION = ("scale_app", "0002_benchnote_note")
PRACTICE_PAGE = "/accounts/login/"


def say(line: str) -> None:
    print(line, flush=True)


def schema_for(i: int) -> str:
    return f"p_bench_{i:05d}"


# --- Django, on the benchmark's server ---------------------------------------------------------


def django_env(server: BenchServer) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": server.url,
        "DJANGO_SETTINGS_MODULE": "tests.bench.scale_settings",
        "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
        "TENANT_MULTIPROCESSING_MAX_PROCESSES": os.environ.get(
            "TENANT_MULTIPROCESSING_MAX_PROCESSES", "2"
        ),
    }


def setup_django(server: BenchServer) -> None:
    os.environ.update(django_env(server))
    for path in (str(ROOT), str(ROOT / "platform")):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
    from django.db import connection

    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict


def manage(server: BenchServer, *args: str) -> tuple[float, float, str, dict[str, float]]:
    """Run manage.py in a child process: (wall seconds, server CPU seconds, output, memory)."""
    import psutil

    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=django_env(server),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    samples: list[tuple[float, list[int]]] = []

    def sample() -> None:
        try:
            parent = psutil.Process(process.pid)
            while process.poll() is None:
                try:
                    tree = [parent, *parent.children(recursive=True)]
                    samples.append(
                        (time.perf_counter() - started, [p.memory_info().rss for p in tree])
                    )
                except psutil.Error:
                    pass
                time.sleep(0.25)
        except psutil.Error:
            return

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    watcher.join()
    cpu = server.cpu_seconds() - cpu_before
    if process.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{output[-3000:]}")
    memory: dict[str, float] = {}
    if samples:
        mb = 1024 * 1024
        memory["peak_total_mb"] = max(sum(s[1]) for s in samples) / mb
        memory["peak_process_mb"] = max(max(s[1]) for s in samples) / mb
        span = samples[-1][0] or 1
        early = [max(s[1]) for s in samples if 0.1 * span <= s[0] <= 0.3 * span]
        late = [max(s[1]) for s in samples if s[0] >= 0.8 * span]
        if early and late:
            memory["process_mb_at_10_30pct"] = max(early) / mb
            memory["process_mb_at_80_100pct"] = max(late) / mb
    return wall, cpu, output, memory


# --- building N practices fast -----------------------------------------------------------------


def ensure_template(server: BenchServer) -> str:
    """Migrate the public schema and one template schema (one migration short); its dump."""
    from django.core.management import call_command
    from django.db import connection

    from tenants.migrating import migrate_schema

    dump = server.root / "template.sql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.tenants_practice') IS NOT NULL")
        migrated = cursor.fetchone()[0]
    if not migrated:
        say("migrating the public schema…")
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [TEMPLATE])
        exists = cursor.fetchone()
    if not exists:
        say("migrating the template schema…")
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{TEMPLATE}"')
        migrate_schema(TEMPLATE)
        put_behind([TEMPLATE])
        dump.unlink(missing_ok=True)
    if not dump.exists():
        subprocess.run(
            [server.tool("pg_dump"), *server.conn_args(), "--schema", TEMPLATE, "--no-owner",
             "--no-privileges", "-f", str(dump)],
            check=True,
        )  # fmt: skip
    return dump.read_text()


def put_behind(schemas: list[str]) -> None:
    """Undo NEW_MIGRATION in `schemas` (drop its column, forget its record)."""
    from django.db import connection

    app, name = NEW_MIGRATION
    for start in range(0, len(schemas), 50):
        sql = "".join(
            f'ALTER TABLE "{s}".scale_app_benchnote DROP COLUMN IF EXISTS note; '
            f"DELETE FROM \"{s}\".django_migrations WHERE app = '{app}' AND name = '{name}'; "
            for s in schemas[start : start + 50]
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)


def existing_bench_practices() -> int:
    from tenants.models import Practice

    return Practice.objects.filter(schema_name__startswith="p_bench_").count()


def grow(server: BenchServer, template_sql: str, target: int) -> float:
    """Restore the template as practices #have+1..#target; seconds taken."""
    from django.db import connection

    from tenants.models import Domain, Practice

    have = existing_bench_practices()
    if have >= target:
        return 0.0
    started = time.perf_counter()
    numbers = list(range(have + 1, target + 1))
    streams = [numbers[0::2], numbers[1::2]]
    processes = []
    for part in streams:
        if not part:
            continue
        process = subprocess.Popen(
            [server.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", *server.conn_args()],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        processes.append((process, part))

    def feed(process: subprocess.Popen[str], part: list[int]) -> None:
        assert process.stdin is not None
        for i in part:
            process.stdin.write(template_sql.replace(TEMPLATE, schema_for(i)))
        process.stdin.close()

    feeders = [threading.Thread(target=feed, args=pair) for pair in processes]
    for thread in feeders:
        thread.start()
    for thread in feeders:
        thread.join()
    for process, _ in processes:
        if process.wait():
            raise SystemExit("restoring the template failed")
    rows = Practice.objects.bulk_create(
        [
            Practice(
                schema_name=schema_for(i),
                name=f"Bench {i}",
                slug=f"bench-{i}",
                owner_email=f"owner@bench-{i}.example.com",
                time_zone="UTC",
            )
            for i in numbers
        ]
    )
    Domain.objects.bulk_create(
        [
            Domain(domain=f"bench-{i}.localhost", tenant=row, is_primary=True)
            for i, row in zip(numbers, rows, strict=True)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tenants_practice; ANALYZE tenants_domain")
    return time.perf_counter() - started


def catalog_size() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE relkind IN ('r', 'p')) FROM pg_class"
        )
        relations, tables = cursor.fetchone()
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    return {"relations": relations, "tables": tables, "database_mb": size // (1024 * 1024)}


# --- P2: routing -------------------------------------------------------------------------------


def routing(n: int, *, rounds: int = 200) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tenants.host_lookup import forget_hosts

    hosts = {"first": "bench-1.localhost", "last": f"bench-{n}.localhost",
             "unknown": "nobody-here.localhost"}  # fmt: skip
    clients = {key: Client(HTTP_HOST=host) for key, host in hosts.items()}
    statuses = {key: client.get(PRACTICE_PAGE).status_code for key, client in clients.items()}
    cold: dict[str, float] = {}
    for key, client in clients.items():
        forget_hosts()
        started = time.perf_counter()
        client.get(PRACTICE_PAGE)
        cold[key] = (time.perf_counter() - started) * 1000
    for client in clients.values():
        for _ in range(20):
            client.get(PRACTICE_PAGE)
    times: dict[str, list[float]] = {key: [] for key in hosts}
    for _ in range(rounds):
        for key, client in clients.items():
            started = time.perf_counter()
            client.get(PRACTICE_PAGE)
            times[key].append((time.perf_counter() - started) * 1000)
    queries: dict[str, dict[str, int]] = {}
    for key, client in clients.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(PRACTICE_PAGE)
        sqls = [q["sql"] for q in captured.captured_queries]
        queries[key] = {
            "queries": sum(not s.startswith("SET ") for s in sqls),
            "tenant_lookups": sum(("tenants_domain" in s or "tenants_practice" in s) for s in sqls),
        }
    median = {key: statistics.median(values) for key, values in times.items()}
    return {
        "status": statuses,
        "median_ms": median,
        "p95_ms": {k: sorted(v)[int(0.95 * (len(v) - 1))] for k, v in times.items()},
        "cold_first_request_ms": cold,
        "last_over_first": median["last"] / median["first"],
        "per_request": queries,
    }


# --- P1: signup and refills --------------------------------------------------------------------


def signup(n: int, *, claims: int = 20) -> dict[str, Any]:
    from accounts.models import Role, User
    from tenants.provisioning import practice_claim_spare, spares_replenish

    started = time.perf_counter()
    made = spares_replenish(target=claims)
    spare_seconds = (time.perf_counter() - started) / max(made, 1)
    template = User(email="x@example.com", name="Bench Owner", role=Role.OWNER)
    template.set_password("bench-password-123")
    samples = []
    for i in range(claims):
        owner = User(email=f"owner{i}@signup.example.com", name="Bench", role=Role.OWNER)
        owner.password = template.password
        begin = time.perf_counter()
        claimed = practice_claim_spare(
            name=f"Signup {n}-{i}", slug=f"signup-{n}-{i}", owner=owner, time_zone="UTC"
        )
        samples.append((time.perf_counter() - begin) * 1000)
        assert claimed is not None
    return {
        "claim_median_ms": statistics.median(samples),
        "claim_p95_ms": sorted(samples)[int(0.95 * (len(samples) - 1))],
        "seconds_per_spare": spare_seconds,
        "spares_made": made,
    }


def refill(count: int) -> dict[str, Any]:
    from tenants.provisioning import spares_replenish

    started = time.perf_counter()
    made = spares_replenish(target=count)
    seconds = time.perf_counter() - started
    return {"spares": made, "seconds": seconds, "seconds_per_spare": seconds / max(made, 1)}


# --- backups -----------------------------------------------------------------------------------


def backups(server: BenchServer, n: int, *, physical: bool) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()
    out = server.root / "dumps"
    out.mkdir(exist_ok=True)
    result: dict[str, Any] = {}

    def dump_all(label: str) -> None:
        target = out / "all.dump"
        started = time.perf_counter()
        run = subprocess.run(
            [server.tool("pg_dump"), *server.conn_args(), "-Fc", "--no-owner", "-f", str(target)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        entry: dict[str, Any] = {"seconds": seconds, "ok": run.returncode == 0}
        if run.returncode == 0:
            entry["mb"] = target.stat().st_size / (1024 * 1024)
        else:
            entry["error"] = run.stderr.strip().splitlines()[-3:]
        result[label] = entry
        target.unlink(missing_ok=True)

    locks = server.settings.get("max_locks_per_transaction", 64)
    dump_all(f"pg_dump_whole_locks_{locks}")
    if not result[f"pg_dump_whole_locks_{locks}"]["ok"]:
        # Every table of every schema is locked (ACCESS SHARE) for the dump's transaction; the
        # lock table holds max_locks_per_transaction x (max_connections + prepared) entries.
        tables = catalog_tables(server)
        needed = 1 << (max(64, tables // 100 + 64) - 1).bit_length()
        server.restart(max_locks_per_transaction=needed)
        dump_all(f"pg_dump_whole_locks_{needed}")
    one = out / "one.dump"
    started = time.perf_counter()
    subprocess.run(
        [server.tool("pg_dump"), *server.conn_args(), "-Fc", "--no-owner",
         "--schema", schema_for(1), "-f", str(one)],
        check=True,
    )  # fmt: skip
    result["pg_dump_one_practice_seconds"] = time.perf_counter() - started
    server.drop_database("scratch_restore")
    server.create_database("scratch_restore")
    started = time.perf_counter()
    subprocess.run(
        [server.tool("pg_restore"), *server.conn_args("scratch_restore"), "--no-owner", str(one)],
        check=True,
    )  # fmt: skip
    result["pg_restore_one_practice_seconds"] = time.perf_counter() - started
    server.drop_database("scratch_restore")
    one.unlink()
    if physical:
        target = out / "base"
        subprocess.run(["rm", "-rf", str(target)], check=True)
        started = time.perf_counter()
        subprocess.run(
            [server.tool("pg_basebackup"), "-h", str(server.root), "-p", str(server.port),
             "-U", "postgres", "-D", str(target), "-Ft", "-X", "fetch"],
            check=True,
        )  # fmt: skip
        result["pg_basebackup_seconds"] = time.perf_counter() - started
        result["pg_basebackup_mb"] = sum(f.stat().st_size for f in target.iterdir()) / 1048576
        subprocess.run(["rm", "-rf", str(target)], check=True)
    return result


def catalog_tables(server: BenchServer) -> int:
    text = server.psql(server.database, "SELECT count(*) FROM pg_class WHERE relkind IN ('r','p')",
                       capture=True)  # fmt: skip
    return int(text.strip())


# --- the run -----------------------------------------------------------------------------------


def measure(server: BenchServer, template_sql: str, n: int, args: argparse.Namespace) -> dict:
    from tenants.migrating import tenant_schemas

    result: dict[str, Any] = {"n": n}
    result["build_seconds"] = grow(server, template_sql, n)
    put_behind(tenant_schemas())
    result["catalog"] = catalog_size()
    say(f"[{n}] built in {result['build_seconds']:.0f} s; catalog {result['catalog']}")

    wall, cpu, output, memory = manage(server, "migrate_practices", "--noinput")
    result["p7b_one_migration"] = {"seconds": wall, "postgres_cpu_seconds": cpu, **memory,
                                   "summary": output.strip().splitlines()[-1]}  # fmt: skip
    say(f"[{n}] P7b one new migration: {result['p7b_one_migration']}")

    wall, cpu, output, _ = manage(server, "migrate_practices", "--noinput")
    result["p7a_noop"] = {"seconds": wall, "postgres_cpu_seconds": cpu,
                          "summary": output.strip().splitlines()[0]}  # fmt: skip
    say(f"[{n}] P7a nothing to apply: {result['p7a_noop']}")
    if n in args.compare_at:
        wall, cpu, _, _ = manage(
            server, "migrate_schemas", "--tenant", "--executor=multiprocessing", "--noinput",
            "-v", "0",
        )  # fmt: skip
        result["p7a_migrate_schemas_multiprocessing"] = {"seconds": wall,
                                                         "postgres_cpu_seconds": cpu}  # fmt: skip
        say(f"[{n}] P7a migrate_schemas (multiprocessing): {wall:.1f} s, PG CPU {cpu:.1f} s")

    result["p2_routing"] = routing(n)
    say(f"[{n}] P2 routing: {result['p2_routing']}")
    result["p1_signup"] = signup(n)
    say(f"[{n}] P1 signup: {result['p1_signup']}")
    result["backup"] = backups(server, n, physical=n == max(args.sizes))
    say(f"[{n}] backups: {result['backup']}")
    if n in args.refill_at:
        result["p1_refill_100"] = refill(100)
        say(f"[{n}] refill 100 spares: {result['p1_refill_100']}")
    return result


def extrapolate(results: list[dict[str, Any]], target: int = 10_000) -> dict[str, float]:
    """Least-squares line through (n, value) for each figure, evaluated at `target`."""
    figures = {
        "p7b_seconds": lambda r: r["p7b_one_migration"]["seconds"],
        "p7a_seconds": lambda r: r["p7a_noop"]["seconds"],
        "p7a_postgres_cpu_seconds": lambda r: r["p7a_noop"]["postgres_cpu_seconds"],
        "p2_last_median_ms": lambda r: r["p2_routing"]["median_ms"]["last"],
        "p1_claim_median_ms": lambda r: r["p1_signup"]["claim_median_ms"],
        "p1_seconds_per_spare": lambda r: r["p1_signup"]["seconds_per_spare"],
        "pg_dump_one_practice_seconds": lambda r: r["backup"]["pg_dump_one_practice_seconds"],
    }
    out = {}
    xs = [r["n"] for r in results]
    if len(xs) < 2:
        return out
    for name, get in figures.items():
        ys = [get(r) for r in results]
        mx, my = statistics.mean(xs), statistics.mean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
            (x - mx) ** 2 for x in xs
        )
        out[name] = my + slope * (target - mx)
        out[f"{name}_slope_per_1000"] = slope * 1000
    return out


# --- re-runs on the database an earlier run left (--only) --------------------------------------


def claims_timed(claims: int = 20) -> dict[str, Any]:
    """Signup claims with every statement timed: which part of a claim costs what."""
    from django.db import connection

    from accounts.models import Role, User
    from tenants.provisioning import practice_claim_spare, spares_replenish

    spares_replenish(target=claims)
    template = User(email="x@example.com", name="Bench Owner", role=Role.OWNER)
    template.set_password("bench-password-123")
    per: dict[str, float] = {}

    def timing(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split()[:3])[:60]
            per[key] = per.get(key, 0.0) + (time.perf_counter() - started) * 1000 / claims

    samples = []
    tag = int(time.time()) % 100_000
    for i in range(claims):
        owner = User(email=f"owner{i}@timed.example.com", name="Bench", role=Role.OWNER)
        owner.password = template.password
        started = time.perf_counter()
        with connection.execute_wrapper(timing):
            practice_claim_spare(
                name=f"Timed {i}", slug=f"timed-{tag}-{i}", owner=owner, time_zone="UTC"
            )
        samples.append((time.perf_counter() - started) * 1000)
    top = dict(sorted(per.items(), key=lambda kv: -kv[1])[:10])
    return {"claim_median_ms": statistics.median(samples), "ms_per_claim_by_statement": top}


def refill_more(count: int = 100) -> dict[str, Any]:
    """Make `count` more spares than there are (the first one migrated, the rest replayed)."""
    from tenants.models import Practice
    from tenants.provisioning import spares_replenish

    have = Practice.objects.spares().count()
    started = time.perf_counter()
    made = spares_replenish(target=have + count)
    return {"practices": Practice.objects.count(), "spares": made,
            "seconds": time.perf_counter() - started}  # fmt: skip


def dump_memory(server: BenchServer) -> dict[str, Any]:
    """A whole pg_dump's time and the pg_dump process's own peak memory."""
    import resource

    from django.db import connections

    connections.close_all()
    server.restart(max_locks_per_transaction=1024)
    target = server.root / "all.dump"
    started = time.perf_counter()
    subprocess.run(
        [server.tool("pg_dump"), *server.conn_args(), "-Fc", "--no-owner", "-f", str(target)],
        check=True,
    )
    result = {
        "seconds": time.perf_counter() - started,
        "pg_dump_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "mb": target.stat().st_size / (1024 * 1024),
    }
    target.unlink()
    server.restart()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,500,1000")
    parser.add_argument("--root", default="/tmp/bench-pg")
    parser.add_argument("--refill-at", default="")
    parser.add_argument("--compare-at", default="")
    parser.add_argument("--keep", action="store_true", help="leave the server running")
    parser.add_argument(
        "--only",
        default="",
        help="on the database an earlier run left, only: claims,refill,dump-memory",
    )
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.refill_at = {int(s) for s in args.refill_at.split(",") if s}
    args.compare_at = {int(s) for s in args.compare_at.split(",") if s}

    server = BenchServer(Path(args.root))
    server.init()
    server.stop()  # a server left by an earlier --keep run restarts with the default settings
    server.start()
    server.create_database()
    setup_django(server)
    from embedded import redis as embedded_redis

    results: list[dict[str, Any]] = []
    try:
        embedded_redis.acquire()
        if args.only:
            for name in args.only.split(","):
                measure_one = {
                    "claims": claims_timed,
                    "refill": refill_more,
                    "dump-memory": lambda: dump_memory(server),
                }[name]
                say(f"{name}: {measure_one()}")
            return
        template_sql = ensure_template(server)
        for n in args.sizes:
            results.append(measure(server, template_sql, n, args))
            if server.settings.get("max_locks_per_transaction"):
                server.restart()  # the next size starts again from the defaults
        fit = extrapolate(results)
        say(f"linear fit at 10,000 practices: {json.dumps(fit, indent=1)}")
        (server.root / "results.json").write_text(
            json.dumps({"results": results, "fit_10000": fit}, indent=1, default=str)
        )
        say(f"results: {server.root / 'results.json'}")
    finally:
        embedded_redis.release()
        if not args.keep:
            from django.db import connections

            connections.close_all()
            server.stop()


if __name__ == "__main__":
    main()
