"""Platform staff's list of practices (public-schema admin). Practices are created by signup and
never deleted from here: deleting a row would drop its schema with every client's records."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tenants.models import Domain, Practice


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ("domain", "is_primary")
    readonly_fields = ("domain", "is_primary")
    can_delete = False


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "owner_email", "created_at", "plan", "billing_status")
    list_select_related = ("billing",)
    search_fields = ("name", "slug", "owner_email")
    readonly_fields = ("schema_name", "slug", "is_spare", "created_at")
    fields = ("name", "owner_email", "time_zone", *readonly_fields)
    inlines = (DomainInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Practice]:
        return super().get_queryset(request).filter(pk__in=Practice.objects.live())

    @admin.display(description="plan")
    def plan(self, practice: Practice) -> str:
        account = getattr(practice, "billing", None)
        return account.get_plan_display() if account and account.plan else "—"

    @admin.display(description="billing status")
    def billing_status(self, practice: Practice) -> str:
        account = getattr(practice, "billing", None)
        if account is None:
            return "trial (not started)"
        return account.get_subscription_status_display() or "trial"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
