"""Server time of the coach's record pages and the applications board (issue 14), on the demo
practice (`coaching.demo.practice`), as its owner, for the client with the most applications.

    .venv/bin/python -m tests.bench.record_pages [--runs 15]

Prints, per page, the median server time over runs (after one warm-up request) and the number
of queries of one request.
"""

import argparse
import statistics
import time

from tests.bench.harness import bench_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with bench_database():
        from django.db import connection
        from django.test import Client as Http
        from django.test.utils import CaptureQueriesContext
        from django_tenants.utils import tenant_context

        from coaching.demo.practice import demo_practice_ensure
        from coaching.models import (
            Application,
            Client,
            Contact,
            FollowUp,
            Interaction,
            Introduction,
            Meeting,
        )
        from tenants.provisioning import practice_host

        people, _ = demo_practice_ensure()
        http = Http(HTTP_HOST=practice_host(slug=people.practice.slug))
        with tenant_context(people.practice):
            http.force_login(people.owner)
            client = max(Client.objects.all(), key=lambda c: c.applications.count())
            c = f"/clients/{client.pk}/"
            mine = {"client": client}
            first = {
                model.__name__: model.objects.filter(**mine).order_by("pk").first()
                for model in (Contact, Interaction, Introduction, FollowUp, Application, Meeting)
            }
            pages = {
                f"board, practice ({Application.objects.count()} applications)": "/pipeline/",
                f"board, one client ({client.applications.count()})": c + "pipeline/",
                "client: profile, status, coach": c + "edit/",
                "contact: new": c + "contacts/new/",
                "interaction: new": c + "interactions/new/",
                "introduction: new": c + "introductions/new/",
                "follow-up: new": c + "follow-ups/new/",
                "application: new": c + "applications/new/",
                "meeting: new": c + "meetings/new/",
                "feedback: new": c + "feedback/new/",
            }
            paths = {
                "Contact": ("contact: edit", "contacts/{}/edit/"),
                "Interaction": ("interaction: edit", "interactions/{}/edit/"),
                "Introduction": ("introduction: steps", "introductions/{}/"),
                "FollowUp": ("follow-up: move or done", "follow-ups/{}/"),
                "Application": ("application: edit", "applications/{}/"),
                "Meeting": ("meeting: outcome, preparation", "meetings/{}/"),
            }
            for name, record in first.items():
                if record is not None:
                    label, path = paths[name]
                    pages[label] = c + path.format(record.pk)
            print(f"demo practice: {Client.objects.count()} clients, "
                  f"{Application.objects.count()} applications")  # fmt: skip
            for label, url in pages.items():
                assert http.get(url).status_code == 200, url
                with CaptureQueriesContext(connection) as queries:
                    http.get(url)
                counted = [q for q in queries if not q["sql"].startswith("SET search_path")]
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    http.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                print(f"{label:40} median {statistics.median(times):7.1f} ms, "
                      f"{len(counted)} queries")  # fmt: skip


if __name__ == "__main__":
    main()
