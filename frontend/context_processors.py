from django.conf import settings
from django.http import HttpRequest


def product(request: HttpRequest) -> dict[str, object]:
    tenant = getattr(request, "tenant", None)
    is_practice = tenant is not None and getattr(tenant, "schema_name", "public") != "public"
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return {
        "practice": tenant if is_practice else None,
        "base_domain": settings.BASE_DOMAIN,
        # The public site's address, for links from any host (practice pages, unknown hosts).
        "public_url": f"{settings.PUBLIC_SCHEME}://{settings.BASE_DOMAIN}{port}",
    }
