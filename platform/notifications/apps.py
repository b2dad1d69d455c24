from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Background jobs and the emails and calendar feeds they feed."""

    name = "notifications"
    label = "notifications"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"
