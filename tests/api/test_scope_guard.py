"""The API's base viewset keeps scope to itself (issue #12): a subclass that overrides
`get_queryset` or `get_object` is refused when it is defined, unless it takes the greppable
escape hatch with a reason."""

from typing import Any

import pytest
from django.db.models import QuerySet

from api.viewsets import ApiView, ReadViewSet, Scope
from coaching.models import Contact


def test_overriding_get_queryset_or_get_object_is_refused() -> None:
    with pytest.raises(TypeError, match="overrides `get_queryset`"):

        class Leaky(ReadViewSet):
            scope = Scope.CLIENT_RECORDS
            model = Contact

            def get_queryset(self) -> QuerySet[Any]:
                return Contact.objects.all()

    with pytest.raises(TypeError, match="overrides `get_object`"):

        class Direct(ReadViewSet):
            scope = Scope.CLIENT_RECORDS
            model = Contact

            def get_object(self) -> Any:
                return Contact.objects.get(pk=self.kwargs["pk"])


def test_an_override_in_a_base_of_ones_own_is_refused_too() -> None:
    with pytest.raises(TypeError, match="Base overrides `get_queryset`"):

        class Base(ReadViewSet):
            abstract = True

            def get_queryset(self) -> QuerySet[Any]:
                return Contact.objects.all()


def test_a_plain_view_may_not_grow_a_queryset_of_its_own() -> None:
    with pytest.raises(TypeError, match="overrides `get_queryset`"):

        class Report(ApiView):
            scope = Scope.CLIENTS

            def get_queryset(self) -> QuerySet[Any]:
                return Contact.objects.all()


def test_the_escape_hatch_with_a_reason_is_allowed() -> None:
    class Everything(ReadViewSet):
        scope = Scope.UNSCOPED_ESCAPE_HATCH
        unscoped_reason = "a test of the escape hatch"
        model = Contact

        def get_queryset(self) -> QuerySet[Any]:
            return Contact.objects.all()

    assert Everything.scope is Scope.UNSCOPED_ESCAPE_HATCH


def test_shaping_rows_is_the_way() -> None:
    class Shaped(ReadViewSet):
        scope = Scope.CLIENT_RECORDS
        model = Contact

        def shape_queryset(self, rows: QuerySet[Any]) -> QuerySet[Any]:
            return rows.select_related("client")

    assert "get_queryset" not in Shaped.__dict__
