from django.apps import AppConfig


class CaptureConfig(AppConfig):
    """Capture: LinkedIn archives, inbound mail, calendar invites (coaching/capture)."""

    name = "coaching.capture"
    label = "capture"
    verbose_name = "Capture"
    default_auto_field = "django.db.models.BigAutoField"
