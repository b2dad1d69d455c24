"""Query filters (django-filter). Every list takes `updated_since` for incremental sync: ask for
`?updated_since=<the newest updated_at you hold>&ordering=updated_at` and walk the pages; the
bound is inclusive, so dedupe by id (docs/api.md)."""

from datetime import UTC, datetime
from typing import Any

import django_filters as filters
from django import forms
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    Channel,
    ClientStatus,
    Direction,
    FeedbackAbout,
    FeedbackSource,
    FitRating,
    HowMet,
    ImportKind,
    ImportStatus,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
    Willingness,
)
from coaching.diagnostics.status import SearchStatus
from coaching.insights.search_status import client_ids_with_search_status
from coaching.models import (
    Application,
    Client,
    Contact,
    Feedback,
    FollowUp,
    ImportJob,
    Interaction,
    Introduction,
    Meeting,
)
from coaching.search import SIMILARITY, company_similar
from integrations.models import DeliveryStatus, WebhookDelivery

MAX_ID = 2**63 - 1


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the view's filters: building the
    filter form costs most of a millisecond on every plain list request."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not set(request.query_params) & set(
            filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class IdFilter(filters.NumberFilter):
    """A record id: a whole number that fits the database's id column."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    """ISO 8601, normalized to UTC: PostgreSQL refuses offsets beyond ±15:59, Python does not."""

    def to_python(self, value: Any) -> datetime | None:
        try:
            parsed = super().to_python(value)
            return parsed.astimezone(UTC) if parsed is not None else None
        except OverflowError as exc:
            raise forms.ValidationError("This time is out of range.", code="invalid") from exc


class TimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class SyncFilterSet(filters.FilterSet):
    updated_since = TimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Only records changed at or after this time (ISO 8601, inclusive).",
    )


class ClientRecordFilterSet(SyncFilterSet):
    client = IdFilter(field_name="client_id", label="Only this client's records.")


class ClientFilter(SyncFilterSet):
    status = filters.ChoiceFilter(
        choices=ClientStatus.choices,
        label="The client's record status, set by the coach (active, paused, landed).",
    )
    search_status = filters.ChoiceFilter(
        choices=SearchStatus.choices,
        method="filter_search_status",
        label="What the diagnostics say about the search (stalled, slowing, active, landed), "
        "as the dashboard shows it.",
    )
    coach = IdFilter(field_name="coach_id", label="Only clients of this coach.")
    archived = filters.BooleanFilter(
        field_name="archived_at",
        lookup_expr="isnull",
        exclude=True,
        label="true: only archived searches; false: only the others (the list has both "
        "unless asked).",
    )

    class Meta:
        model = Client
        fields = ["status", "search_status", "coach", "archived", "updated_since"]

    def filter_search_status(self, queryset: Any, name: str, value: str) -> Any:
        actor = self.request.user
        return queryset.filter(pk__in=client_ids_with_search_status(actor=actor, status=value))


class ContactFilter(ClientRecordFilterSet):
    company = filters.CharFilter(
        method="filter_company",
        label="Contacts at this company or one whose name is close to it: case, punctuation "
        "and legal forms do not count (`Acme, Inc.` finds `ACME` and `acme corp`). Most similar "
        "first unless `ordering` says otherwise; `ordering=-similarity` is allowed with it.",
    )
    name = filters.CharFilter(field_name="name", lookup_expr="icontains")
    email = filters.CharFilter(field_name="email", lookup_expr="iexact")
    is_hiring_authority = filters.BooleanFilter()
    is_key_influencer = filters.BooleanFilter()
    how_met = filters.ChoiceFilter(choices=HowMet.choices)
    willingness = filters.ChoiceFilter(choices=Willingness.choices)

    class Meta:
        model = Contact
        fields = ["client", "company", "name", "email", "updated_since"]

    def filter_company(self, queryset: Any, name: str, value: str) -> Any:
        return company_similar(queryset, company=value)


class SimilarityOrdering(OrderingFilter):
    """DRF's ordering, plus `similarity` when a similarity filter (`company`) annotated it, and
    then most similar first by default (the newest first among equals)."""

    def get_valid_fields(self, queryset: Any, view: Any, context: Any = None) -> Any:
        fields = super().get_valid_fields(queryset, view, context or {})
        if SIMILARITY in queryset.query.annotations:
            fields = [*fields, (SIMILARITY, SIMILARITY)]
        return fields

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        if SIMILARITY in queryset.query.annotations and not request.query_params.get(
            self.ordering_param
        ):
            return (f"-{SIMILARITY}", "-created_at")
        return super().get_ordering(request, queryset, view)


class InteractionFilter(ClientRecordFilterSet):
    contact = IdFilter(field_name="contact_id")
    kind = filters.ChoiceFilter(choices=InteractionKind.choices)
    channel = filters.ChoiceFilter(choices=Channel.choices)
    direction = filters.ChoiceFilter(choices=Direction.choices)
    occurred_after = TimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = TimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = Interaction
        fields = ["client", "contact", "kind", "updated_since"]


class IntroductionFilter(ClientRecordFilterSet):
    status = filters.ChoiceFilter(choices=IntroductionStatus.choices)
    kind = filters.ChoiceFilter(choices=IntroductionKind.choices)
    introducer = IdFilter(field_name="introducer_id")
    target = IdFilter(field_name="target_id")

    class Meta:
        model = Introduction
        fields = ["client", "status", "updated_since"]


class FollowUpFilter(ClientRecordFilterSet):
    contact = IdFilter(field_name="contact_id")
    done = filters.BooleanFilter(
        field_name="done_at", lookup_expr="isnull", exclude=True, label="Done (true) or open."
    )
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = filters.DateFilter(field_name="due_on", lookup_expr="gte")

    class Meta:
        model = FollowUp
        fields = ["client", "contact", "updated_since"]


class ApplicationFilter(ClientRecordFilterSet):
    status = filters.ChoiceFilter(choices=ApplicationStatus.choices)
    source = filters.ChoiceFilter(choices=ApplicationSource.choices)
    fit_rating = filters.ChoiceFilter(choices=FitRating.choices)
    company = filters.CharFilter(field_name="company", lookup_expr="iexact")

    class Meta:
        model = Application
        fields = ["client", "status", "updated_since"]


class MeetingFilter(ClientRecordFilterSet):
    contact = IdFilter(field_name="contact_id")
    status = filters.ChoiceFilter(choices=MeetingStatus.choices)
    purpose = filters.ChoiceFilter(choices=MeetingPurpose.choices)
    scheduled_after = TimeFilter(field_name="scheduled_for", lookup_expr="gte")
    scheduled_before = TimeFilter(field_name="scheduled_for", lookup_expr="lt")

    class Meta:
        model = Meeting
        fields = ["client", "contact", "status", "updated_since"]


class FeedbackFilter(ClientRecordFilterSet):
    source = filters.ChoiceFilter(choices=FeedbackSource.choices)
    about = filters.ChoiceFilter(choices=FeedbackAbout.choices)

    class Meta:
        model = Feedback
        fields = ["client", "updated_since"]


class ImportFilter(ClientRecordFilterSet):
    status = filters.ChoiceFilter(choices=ImportStatus.choices)
    kind = filters.ChoiceFilter(choices=ImportKind.choices)

    class Meta:
        model = ImportJob
        fields = ["client", "status", "updated_since"]


class DeliveryFilter(SyncFilterSet):
    endpoint = IdFilter(field_name="endpoint_id")
    status = filters.ChoiceFilter(choices=DeliveryStatus.choices)
    event = filters.CharFilter()

    class Meta:
        model = WebhookDelivery
        fields = ["endpoint", "status", "event", "updated_since"]
