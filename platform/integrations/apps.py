from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """No tables of its own (its models carry the `api` app's label); it subscribes the
    webhooks to the domain's events."""

    name = "integrations"
    label = "integrations"
    verbose_name = "Integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coaching.events import domain_event
        from integrations.webhooks.services import deliver_domain_event

        domain_event.connect(deliver_domain_event, dispatch_uid="integrations-webhooks")
