from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.models import User
        from api.models import ApiKey
        from api.remembered_keys import forget_changed_key, forget_keys_of_changed_member

        for signal in (post_save, post_delete):
            signal.connect(forget_changed_key, sender=ApiKey, dispatch_uid=f"api-key-{signal}")
            signal.connect(
                forget_keys_of_changed_member, sender=User, dispatch_uid=f"api-key-member-{signal}"
            )
