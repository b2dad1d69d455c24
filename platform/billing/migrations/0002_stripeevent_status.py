from django.db import migrations, models


def mark_processed(apps, schema_editor):
    StripeEvent = apps.get_model("billing", "StripeEvent")
    StripeEvent.objects.filter(processed_at__isnull=False).update(status="processed")


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="stripeevent",
            name="status",
            field=models.CharField(
                choices=[("pending", "Pending"), ("processed", "Processed"), ("failed", "Failed")],
                db_index=True,
                default="pending",
                max_length=10,
            ),
        ),
        migrations.RunPython(mark_processed, migrations.RunPython.noop),
    ]
