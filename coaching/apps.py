from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    label = "coaching"
    verbose_name = "Coaching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from billing.seats import seat_counter_register
        from coaching.selectors import billed_client_count

        # Billing prices seats; which clients take one is ours to say (billing never imports us).
        seat_counter_register(billed_client_count)
