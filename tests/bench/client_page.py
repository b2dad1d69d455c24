"""Server time of the coach's client page on the demo practice's data (coaching/demo: a dozen
searches, each a story), one address per tab.

    .venv/bin/python -m tests.bench.client_page [--renders 25]

For every tab (`?tab=`) it reports the median and p95 of `--renders` requests through Django's
test client (the summaries cache warm, as a coach clicking through a client sees it) and the
queries one request runs, for the demo client with the most records. Run against a checkout from
before the tabs, the same addresses render the old one-page client page (it ignored `tab`), so the
script measures before and after alike.
"""

import argparse

from tests.bench.harness import bench_database, summary, timed

TABS = ("findings", "activity", "contacts", "introductions", "applications", "meetings", "settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=25)
    args = parser.parse_args()

    with bench_database():
        from django.db import connection
        from django.db.models import Count
        from django.test import Client as HttpClient
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone
        from django_tenants.utils import schema_context

        from accounts.models import Role, User
        from coaching.demo.seed import seed_demo
        from coaching.models import Client
        from tenants.provisioning import practice_create, practice_host, spares_replenish

        spares_replenish(target=1)
        practice = practice_create(
            name="Bench Coaching",
            slug="bench",
            owner_name="Bench Owner",
            owner_email="owner@bench.example.com",
            password="bench-pass-123",
        ).practice
        with schema_context(practice.schema_name):
            owner = User.objects.get(role=Role.OWNER)
            seed_demo(as_of=timezone.localdate(), coach=owner)
            client = (
                Client.objects.annotate(n=Count("interactions"))
                .order_by("-n", "pk")
                .select_related("user")
                .first()
            )
            assert client is not None
            records = client.n
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        http = HttpClient(HTTP_HOST=practice_host(slug="bench"))
        with schema_context(practice.schema_name):
            http.force_login(owner)
        print(f"demo practice: {client.user.name}, {records} interactions (the busiest search)")

        for tab in TABS:
            url = f"/clients/{client.pk}/?tab={tab}"

            def render(url: str = url) -> None:
                response = http.get(url)
                assert response.status_code == 200, (url, response.status_code)

            render()
            render()
            samples = [timed(render) for _ in range(args.renders)]
            with CaptureQueriesContext(connection) as captured:
                render()
            queries = sum(not q["sql"].startswith("SET ") for q in captured.captured_queries)
            print(f"{tab:<14} {summary(samples)}, {queries} queries")


if __name__ == "__main__":
    main()
