from django.apps import AppConfig


class NotesConfig(AppConfig):
    """Session notes and action items (coaching/notes)."""

    name = "coaching.notes"
    label = "notes"
    verbose_name = "Session notes and action items"
    default_auto_field = "django.db.models.BigAutoField"
