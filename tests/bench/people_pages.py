"""Server time of the pages issue 14 added, on the demo practice (`coaching.demo.practice`):
a client's contacts (page 1, a search, "who do I know at"), the owner's practice-wide "who do we
know at", a client's notes, the members page and the practice profile.

    .venv/bin/python -m tests.bench.people_pages [--runs 15]

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
        from coaching.models import Client, Contact
        from tenants.provisioning import practice_host

        people, _ = demo_practice_ensure()
        http = Http(HTTP_HOST=practice_host(slug=people.practice.slug))
        with tenant_context(people.practice):
            http.force_login(people.owner)
            client = max(Client.objects.all(), key=lambda c: c.contacts.count())
            contacts = Contact.objects.filter(client=client).count()
            company = Contact.objects.exclude(company="").values_list("company", flat=True)[0]
            pages = {
                f"client contacts, page 1 of {contacts}": f"/clients/{client.pk}/contacts/",
                "client contacts, search": f"/clients/{client.pk}/contacts/?q=a",
                "client contacts, who do I know at": (
                    f"/clients/{client.pk}/contacts/?company={company}"
                ),
                "who do we know at (practice)": f"/people/who-knows/?company={company}",
                "session notes": f"/clients/{client.pk}/notes/",
                "members": "/members/",
                "practice profile": "/settings/profile/",
            }
            print(f"demo practice: {Client.objects.count()} clients, "
                  f"{Contact.objects.count()} contacts; company asked: {company!r}")  # fmt: skip
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
