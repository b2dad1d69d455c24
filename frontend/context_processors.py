from django.conf import settings
from django.http import HttpRequest

from tenants.branding import logo_url


def product(request: HttpRequest) -> dict[str, object]:
    tenant = getattr(request, "tenant", None)
    is_practice = tenant is not None and getattr(tenant, "schema_name", "public") != "public"
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return {
        "practice": tenant if is_practice else None,
        # the logo's address, for the header of every page (tenants.branding); None without
        "practice_logo_url": logo_url(tenant) if is_practice else None,
        "base_domain": settings.BASE_DOMAIN,
        # The public site's address, for links from any host (practice pages, unknown hosts).
        "public_url": f"{settings.PUBLIC_SCHEME}://{settings.BASE_DOMAIN}{port}",
    }
