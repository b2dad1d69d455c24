# Where the client saw the job posting (the portal's application form asks for it).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0006_company_key_legal_forms"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="posting_url",
            field=models.URLField(blank=True, db_default="", default="", max_length=500),
        ),
    ]
