from django.db.models import Model
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.host_lookup import practice_for_host
from tenants.models import Practice


class PracticeMiddleware(TenantMainMiddleware):
    """Routes `<slug>.<BASE_DOMAIN>` to that practice's schema and the bare base domain to the
    public site. Unknown hosts get the "no such practice" page (DEFAULT_NOT_FOUND_TENANT_VIEW)."""

    def get_tenant(self, domain_model: type[Model], hostname: str) -> Practice:
        return practice_for_host(hostname=hostname)
