from django.conf import settings
from django.db.models import Model
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from tenants.models import Practice


class PracticeMiddleware(TenantMainMiddleware):
    """Routes `<slug>.<BASE_DOMAIN>` to that practice's schema and the bare base domain to the
    public site. Unknown hosts get the "no such practice" page (DEFAULT_NOT_FOUND_TENANT_VIEW)."""

    def get_tenant(self, domain_model: type[Model], hostname: str) -> Practice:
        if hostname == settings.BASE_DOMAIN:
            return Practice.objects.get(schema_name=get_public_schema_name())
        tenant: Practice = super().get_tenant(domain_model, hostname)
        return tenant
