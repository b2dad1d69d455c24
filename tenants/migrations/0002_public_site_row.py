from django.db import migrations


def create_public_row(apps, schema_editor):
    """The public site is served as the tenant whose schema is `public`."""
    Practice = apps.get_model("tenants", "Practice")
    Practice.objects.get_or_create(schema_name="public", defaults={"name": "Warmpath"})


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]
    operations = [migrations.RunPython(create_public_row, migrations.RunPython.noop)]
