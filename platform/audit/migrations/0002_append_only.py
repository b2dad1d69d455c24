"""The audit log is append-only in the database itself: DELETE raises, and so does any UPDATE
except erasure (a deleted person's name and address replaced by the redaction text, nothing else
changed), whatever code or SQL prompt asks. TRUNCATE stays possible for the test suite's flush;
a deleted practice's log goes with its schema."""

from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
       AND NEW.practice = OLD.practice AND NEW.via = OLD.via
       AND NEW.object_type = OLD.object_type AND NEW.object_id = OLD.object_id
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND (NEW.actor_label = OLD.actor_label OR NEW.actor_label = 'a deleted person')
       AND (NEW.object_label = OLD.object_label OR NEW.object_label = 'a deleted person')
       AND (NEW.ip IS NOT DISTINCT FROM OLD.ip OR NEW.ip IS NULL)
       AND (NEW.details = OLD.details OR NEW.details = '{}'::jsonb)
    THEN
        RETURN NEW;  -- erasure of a deleted person's details: the only change allowed
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

REMOVE = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunSQL(APPEND_ONLY, reverse_sql=REMOVE)]
