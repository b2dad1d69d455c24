"""Input fields shared by the serializers."""

from datetime import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from coaching.access import client_queryset_for, scoped
from coaching.validation import instant_problems


class AwareDateTimeField(serializers.DateTimeField):
    """A time with an offset (`2024-04-15T09:30:00+02:00` or `...Z`): the domain refuses to
    guess a zone, since the client's zone decides which day something happened. Its day must be
    in the range every way in accepts (`coaching.validation`)."""

    default_error_messages = {
        "naive": "The time needs a time zone (an offset such as +00:00, or Z).",
    }

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
            if parsed is not None and (problems := instant_problems(parsed)):
                raise serializers.ValidationError(problems)
        try:
            return super().to_internal_value(value)
        except OverflowError:  # not a string: let the same rule word it
            raise serializers.ValidationError(instant_problems(value)) from None


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
