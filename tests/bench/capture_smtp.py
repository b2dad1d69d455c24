"""SMTP ingest end to end: real SMTP sessions (smtplib) to the embedded aiosmtpd server, a real
Celery worker on the embedded Redis reading each message into captured exchanges.

    .venv/bin/python -m tests.bench.capture_smtp [--messages 2000] [--clients 20]
        [--senders 4] [--per-session 1] [--concurrency 2]

`--senders` SMTP clients deliver at once (each message its own session unless
`--per-session` says more), every message a BCC'd outreach with its own Message-ID. The clock
runs from the first connection until every message is read and its captured exchange written.
Prints the accept rate (SMTP 250s per second), the end-to-end rate, and checks that each
Message-ID became exactly one captured row. Goal (issue #16): ≥ 50 messages/s sustained on the
2-core machine. The load average is printed before and after (the machine may be shared).
"""

import argparse
import logging
import os
import resource
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tests.bench.harness import bench_database


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _processes() -> Iterator[tuple[Path, list[str]]]:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            yield stat.parent, stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue


def _cpu(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def group_cpu_seconds(group: int) -> float:
    """User + system CPU of every live process in process group `group` (the worker and its
    pool), from /proc."""
    return sum(_cpu(fields) for _, fields in _processes() if int(fields[2]) == group)


def backend_cpu_seconds(db_name: str) -> dict[int, float]:
    """CPU so far of each PostgreSQL backend serving `db_name` (its process title names it)."""
    found = {}
    for folder, fields in _processes():
        try:
            title = (folder / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and f" {db_name} " in title:
            found[int(folder.name)] = _cpu(fields)
    return found


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def backlog(queue: str) -> int:
    from config.celery_app import app

    with app.connection_for_write() as connection:
        return int(connection.default_channel.client.llen(queue))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--per-session", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    print(f"load average before: {load()} ({os.cpu_count()} cores)", flush=True)

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's session trace
    with bench_database():
        from django.db import connection
        from django_tenants.utils import schema_context

        from coaching.capture.models import CapturedInteraction, InboundMail
        from coaching.capture.smtp import make_controller
        from tests.capture import smtp_worker_harness as h

        db_name = str(connection.settings_dict["NAME"])
        practice, boxes = h.practice_with_clients(slug="benchsmtp", clients=args.clients)
        deliveries: list[tuple[str, str, bytes]] = []
        ids: list[str] = []
        for n in range(args.messages):
            box = boxes[n % len(boxes)]
            message_id, raw = h.bcc_message(box, n, tag="bench")
            ids.append(message_id)
            deliveries.append((box.email, box.address, raw))
        size = sum(len(raw) for _, _, raw in deliveries) / len(deliveries)
        print(f"{args.messages} messages of {size:.0f} bytes for {len(boxes)} clients")

        port = h.free_port()
        controller = make_controller(host="127.0.0.1", port=port)
        controller.start()
        folder = Path(tempfile.mkdtemp(prefix="bench-smtp-"))
        worker = h.start_worker(db_name=db_name, folder=folder, concurrency=args.concurrency)
        try:
            with h.tasks_to(worker.queue), schema_context(practice.schema_name):
                shares = [deliveries[i :: args.senders] for i in range(args.senders)]
                accepted_at: list[float] = []

                def deliver(share: list[tuple[str, str, bytes]]) -> None:
                    h.send_all(port=port, deliveries=share, per_session=args.per_session)
                    accepted_at.append(time.perf_counter())

                threads = [threading.Thread(target=deliver, args=(s,)) for s in shares]
                worker_cpu, own_cpu = group_cpu_seconds(worker.process.pid), own_cpu_seconds()
                backends = backend_cpu_seconds(db_name)
                start = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                accepted = max(accepted_at) - start
                print(
                    f"accepted: {args.messages} in {accepted:.1f} s "
                    f"= {args.messages / accepted:.0f} msg/s (load {load()})",
                    flush=True,
                )
                print(f"waiting in the broker after the last 250: {backlog(worker.queue)}")
                h.wait_for(
                    lambda: not InboundMail.objects.filter(status="queued").exists(),
                    timeout=180,
                    why="the worker to read every message",
                    every=0.05,
                )
                done = time.perf_counter() - start
                print(
                    f"end to end (accepted -> captured rows written): {args.messages} in "
                    f"{done:.1f} s = {args.messages / done:.0f} msg/s (load {load()})",
                    flush=True,
                )
                worker_cpu = group_cpu_seconds(worker.process.pid) - worker_cpu
                own_cpu = own_cpu_seconds() - own_cpu
                database_cpu = sum(
                    cpu - backends.get(pid, 0.0)
                    for pid, cpu in backend_cpu_seconds(db_name).items()
                )
                n = args.messages
                per = (worker_cpu + own_cpu + database_cpu) / n
                print(
                    f"CPU per message: worker {worker_cpu / n * 1000:.1f} ms, SMTP server and "
                    f"senders {own_cpu / n * 1000:.1f} ms, PostgreSQL {database_cpu / n * 1000:.1f}"
                    f" ms (its sessions for this run; Redis not counted): on two idle cores "
                    f"about {2 / per:.0f} msg/s"
                )
                statuses = set(InboundMail.objects.values_list("status", flat=True))
                rows = CapturedInteraction.objects.count()
                keys = CapturedInteraction.objects.values("key").distinct().count()
                mails = InboundMail.objects.values("message_id").distinct().count()
                print(
                    f"check: mail rows {mails} (statuses {sorted(statuses)}), captured rows "
                    f"{rows}, distinct keys {keys}; expected {len(set(ids))} of each"
                )
                assert statuses == {"done"}
                assert rows == keys == mails == len(set(ids))
        finally:
            worker.stop()
            controller.stop()
            connection.set_schema_to_public()
            practice.delete(force_drop=True)
        print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
