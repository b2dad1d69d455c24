"""pg_trgm in the public schema, where every practice's schema finds it on its search path.

Contact search, "who do I know at …" and the quick log's "did you mean" rank names and companies
by trigram similarity. An extension lives in one schema per database; created here, in a shared
app's migration, it is installed once, in `public`, before any practice's schema is migrated.
pg_trgm is a trusted extension, so the database's owner may create it without superuser rights.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0003_practice_mfa_required"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
