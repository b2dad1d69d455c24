from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The diagnostics engine's database side: settings, dispositions, weekly snapshots, reports."""

    name = "coaching.insights"
    label = "insights"
    verbose_name = "Diagnostics reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coaching.insights import backfill, stored_dates

        stored_dates.connect()  # a stored out-of-range date never fails a read
        backfill.connect()  # an import's history gets its weekly snapshots
