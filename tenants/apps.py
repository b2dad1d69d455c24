from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Practices"

    def ready(self) -> None:
        from tenants.db_backend import recorder
        from tenants.host_lookup import forget_hosts

        # `migrate` asks whether django_migrations exists with to_regclass(), not a catalog scan.
        recorder.install()
        from tenants.models import Domain, Practice

        for model in (Practice, Domain):
            post_save.connect(forget_hosts, sender=model, dispatch_uid=f"forget-hosts-save-{model}")
            post_delete.connect(
                forget_hosts, sender=model, dispatch_uid=f"forget-hosts-delete-{model}"
            )
