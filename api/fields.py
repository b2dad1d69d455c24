"""Input fields shared by the serializers."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Model, QuerySet
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from coaching.access import client_queryset_for, scoped
from coaching.validation import day_problems, instant_problems


class AwareDateTimeField(serializers.DateTimeField):
    """A time with an offset (`2024-04-15T09:30:00+02:00` or `...Z`) is that instant. A time
    without one (`2024-04-15T09:30:00`) is a wall-clock time in the client's zone: this field
    passes it on naive and `api.viewsets.ApiView.valid` places it in the zone of the client the
    request is about (the practice's when it is about no client). Its day must be in the range
    every way in accepts (`coaching.validation`)."""

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                if problems := day_problems(parsed.date()):
                    raise serializers.ValidationError(problems)
                return parsed
            if parsed is not None and (problems := instant_problems(parsed)):
                raise serializers.ValidationError(problems)
        try:
            return super().to_internal_value(value)
        except OverflowError:  # not a string: let the same rule word it
            raise serializers.ValidationError(instant_problems(value)) from None


NAIVE_NO_ZONE = "The time needs a time zone (an offset such as +00:00, or Z)."


def localize_naive(data: dict[str, Any], *, zone_name: str | None) -> dict[str, Any]:
    """`data` with every naive date-time placed in `zone_name` (the client's); a
    `ValidationError` naming each field when there is no zone to place it in, or when the
    instant it names is out of range."""
    naive = [k for k, v in data.items() if isinstance(v, datetime) and v.tzinfo is None]
    if not naive:
        return data
    if not zone_name:
        raise serializers.ValidationError({k: [NAIVE_NO_ZONE] for k in naive})
    zone = ZoneInfo(zone_name)
    placed = {**data, **{k: data[k].replace(tzinfo=zone) for k in naive}}
    problems = {k: found for k in naive if (found := instant_problems(placed[k]))}
    if problems:
        raise serializers.ValidationError(problems)
    return placed


@extend_schema_field(OpenApiTypes.INT)
class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of a record the caller may see; others read as "does not exist" (same message
    for missing and out of scope, as everywhere in the API)."""

    default_error_messages = {
        "does_not_exist": "No such record (id {pk_value}).",
        "incorrect_type": "Expected a record id (a whole number).",
    }

    def __init__(self, *, model: type[Model], **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data < 2**63:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)

    def get_queryset(self) -> QuerySet[Any]:
        actor: User = self.context["request"].user
        from coaching.models import Client

        if self.model is Client:
            return client_queryset_for(actor=actor)
        return scoped(self.model._default_manager.all(), actor=actor)


class MemberField(serializers.PrimaryKeyRelatedField):
    """The id of an active person in this practice."""

    default_error_messages = {
        "does_not_exist": "No active member with id {pk_value} in this practice.",
        "incorrect_type": "Expected a member id (a whole number).",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.filter(is_active=True))
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data < 2**63:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
