from django.conf import settings
from django.http import HttpRequest


def product(request: HttpRequest) -> dict[str, object]:
    tenant = getattr(request, "tenant", None)
    is_practice = tenant is not None and getattr(tenant, "schema_name", "public") != "public"
    return {"practice": tenant if is_practice else None, "base_domain": settings.BASE_DOMAIN}
