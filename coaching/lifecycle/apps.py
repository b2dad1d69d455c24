from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    """A practice's data over its life: exports, deletions (with grace), retention, tombstones."""

    name = "coaching.lifecycle"
    label = "lifecycle"
    verbose_name = "Data lifecycle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coaching.lifecycle import tombstones

        tombstones.connect()  # every deleted record a client can sync reaches the deletions feed
