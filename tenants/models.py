"""A practice (one coach or coaching firm) is a tenant with its own PostgreSQL schema.

Spare practices are pre-migrated, unnamed schemas that signup claims in a few milliseconds
(tenants/provisioning.py). They are ordinary tenant rows so `migrate_schemas` keeps them current;
they have no domain, so no request can ever reach one.
"""

from typing import ClassVar

from django.db import models
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_public_schema_name


class PracticeQuerySet(models.QuerySet["Practice"]):
    def live(self) -> "PracticeQuerySet":
        """Practices people use: not spares, not the public site's own row."""
        return self.filter(is_spare=False).exclude(schema_name=get_public_schema_name())

    def spares(self) -> "PracticeQuerySet":
        return self.filter(is_spare=True)


class Practice(TenantMixin):
    name = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=40, unique=True, null=True, blank=True)
    is_spare = models.BooleanField(default=False, db_index=True)
    owner_email = models.EmailField(blank=True)
    time_zone = models.CharField(max_length=64, default="America/New_York")
    mfa_required = models.BooleanField(
        default=False, help_text="Everyone must use two-step sign-in (set by the owner)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the logo last changed (None: no logo); its bytes are in `PracticeLogo`. Pages build
    # the logo's address from this (tenants.branding) without reading the image.
    logo_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Schemas are created by tenants/provisioning.py, never implicitly on save().
    auto_create_schema = False
    auto_drop_schema = True

    objects: ClassVar[PracticeQuerySet] = PracticeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name or self.schema_name


class Domain(DomainMixin):
    pass


class PracticeLogo(models.Model):
    """The practice's logo, as uploaded and checked (tenants.branding): shown in the header of
    its pages, its emails and its PDF reports."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="logo_file")
    image = models.BinaryField()
    content_type = models.CharField(max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Logo of {self.practice}"
