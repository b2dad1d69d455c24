from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The diagnostics engine's database side: settings, dispositions, weekly snapshots, reports."""

    name = "coaching.insights"
    label = "insights"
    verbose_name = "Diagnostics reports"
    default_auto_field = "django.db.models.BigAutoField"
