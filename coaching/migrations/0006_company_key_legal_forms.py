"""Company keys that ignore punctuation and legal forms ("Acme, Inc." = "ACME" = "acme corp"),
recomputed for every contact and application, and a trigram index for "who do I know at X?".

The keys are recomputed with `coaching.normalize.company_key`, the function the services use, in
batches; running it again changes nothing. Code from before this release still reads and writes
the column: its keys are only less forgiving, and the next edit of the row recomputes them.
"""

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from coaching.normalize import company_key

BATCH = 1000


def _recompute(apps: Any, schema_editor: Any) -> None:
    for name in ("Contact", "Application"):
        model = apps.get_model("coaching", name)
        changed = []
        for row in model.objects.only("pk", "company", "company_key").iterator(chunk_size=BATCH):
            key = company_key(row.company)
            if key != row.company_key:
                row.company_key = key
                changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, ["company_key"])
                changed = []
        if changed:
            model.objects.bulk_update(changed, ["company_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0005_presentation_not_applicable"),
    ]

    operations = [
        migrations.RunPython(_recompute, reverse_code=migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="contact",
            index=GinIndex(
                fields=["company_key"], opclasses=["gin_trgm_ops"], name="contact_company_trgm"
            ),
        ),
    ]
