from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("scale_app", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="benchnote",
            name="note",
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
    ]
