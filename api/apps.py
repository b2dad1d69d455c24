from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.models import User
        from api.remembered_keys import (
            forget_changed_key,
            forget_key_before_change,
            forget_keys_of_changed_member,
            forget_member_keys_before_change,
        )
        from integrations.models import ApiKey

        # Before a change: the tombstone must be written, or the change refused (Redis down).
        for signal in (pre_save, pre_delete):
            signal.connect(
                forget_key_before_change, sender=ApiKey, dispatch_uid=f"api-key-{signal}"
            )
            signal.connect(
                forget_member_keys_before_change,
                sender=User,
                dispatch_uid=f"api-key-member-{signal}",
            )
        for signal in (post_save, post_delete):
            signal.connect(forget_changed_key, sender=ApiKey, dispatch_uid=f"api-key-{signal}")
            signal.connect(
                forget_keys_of_changed_member, sender=User, dispatch_uid=f"api-key-member-{signal}"
            )
