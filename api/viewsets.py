"""The base classes every API endpoint derives from. Scope is decided HERE, once.

Each viewset declares `scope`:

- `Scope.CLIENTS`: the Client model itself, limited by `coaching.access.client_queryset_for`;
- `Scope.CLIENT_RECORDS`: rows with a `client` foreign key, limited by `coaching.access.scoped`;
- `Scope.PRACTICE_ADMIN`: practice-wide settings (members, invitations, keys, webhooks): the
  owner sees them all, anyone else gets 404, as if the endpoint were not there;
- `Scope.PUBLIC_REFERENCE`: reference data with no records in it (the failure-reason catalog);
- `UNSCOPED_ESCAPE_HATCH`: the rare exception. It needs `unscoped_reason`, and is greppable.

`get_queryset` and `get_object` are final: subclasses shape the rows (`select_related`,
`annotate`) in `shape_queryset`, or start from a prepared queryset in `unscoped_rows`, and never
filter by actor themselves. A subclass (or a base of its own) that overrides either is refused
when the class is defined, unless it declares the escape hatch. Objects outside the caller's
scope are simply not in the queryset, so they answer 404 exactly like ids that do not exist.
"""

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.parsers import BaseParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from api import idempotency
from api.errors import PracticeReadOnly
from api.fields import localize_naive
from api.parsers import JSONParser
from billing.entitlements import read_only_refusal
from billing.middleware import billing_url_for
from coaching.access import client_queryset_for, scoped
from coaching.models import Client


class Scope(StrEnum):
    CLIENTS = "clients"
    CLIENT_RECORDS = "client_records"
    PRACTICE_ADMIN = "practice_admin"
    PUBLIC_REFERENCE = "public_reference"
    UNSCOPED_ESCAPE_HATCH = "unscoped_escape_hatch"


def _refuse_if_read_only(request: Request, *, actor: User) -> None:
    """A lapsed practice is read-only (billing.entitlements): 402 in the API's error format,
    telling the owner where to pay and anyone else to ask the owner."""
    refusal = read_only_refusal(
        practice=request.tenant,  # type: ignore[attr-defined]
        is_owner=actor.is_owner,
        billing_url=billing_url_for(request._request),
    )
    if refusal is not None:
        raise PracticeReadOnly(
            refusal.message, reason=refusal.reason, billing_url=refusal.billing_url
        )


_SCOPING_HOOKS = ("get_queryset", "get_object")


def _refuse_own_scoping(cls: type) -> None:
    """`get_queryset` and `get_object` come from this module (or DRF, which reads them through
    `get_queryset`), or the class declares `Scope.UNSCOPED_ESCAPE_HATCH`."""
    for name in _SCOPING_HOOKS:
        owner = next((k for k in cls.__mro__ if name in k.__dict__), None)
        if owner is None or owner.__module__ == __name__:
            continue
        if owner.__module__.split(".", 1)[0] == "rest_framework":
            continue
        escaped = getattr(cls, "scope", None) is Scope.UNSCOPED_ESCAPE_HATCH
        if escaped and not cls.__dict__.get("abstract"):
            continue
        raise TypeError(
            f"{cls.__name__}: {owner.__name__} overrides `{name}`, but scope is decided in "
            "api.viewsets: shape rows in `shape_queryset`, start from `unscoped_rows`, or "
            "declare `scope = Scope.UNSCOPED_ESCAPE_HATCH` with an `unscoped_reason`."
        )


class ApiView(APIView):
    """Every API view: declared scope, owner gate for practice settings, read-only practices,
    idempotent POSTs; JSON read by `api.parsers.JSONParser`."""

    parser_classes: Sequence[type[BaseParser]] = (JSONParser,)
    scope: ClassVar[Scope]
    unscoped_reason: ClassVar[str] = ""
    # Writes allowed on a read-only practice (leaving stays possible: exports, deletions).
    open_when_read_only: ClassVar[bool] = False
    _idempotency_record: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _refuse_own_scoping(cls)
        if cls.__dict__.get("abstract"):
            return
        if not isinstance(getattr(cls, "scope", None), Scope):
            raise TypeError(f"{cls.__name__} must declare `scope` (api.viewsets.Scope).")
        if cls.scope is Scope.UNSCOPED_ESCAPE_HATCH and not cls.unscoped_reason:
            raise TypeError(f"{cls.__name__} uses the escape hatch without `unscoped_reason`.")

    @property
    def actor(self) -> User:
        user: User = self.request.user  # type: ignore[assignment]
        return user

    def valid(self, serializer_class: type[serializers.Serializer], **kw: Any) -> dict[str, Any]:
        """The request body parsed by `serializer_class` (types and scoped ids only), or 400."""
        serializer = serializer_class(
            data=self.request.data, context={"request": self.request, "view": self}, **kw
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if any(isinstance(v, datetime) and v.tzinfo is None for v in data.values()):
            data = localize_naive(data, zone_name=self._zone_of(data))
        return data

    def _zone_of(self, data: dict[str, Any]) -> str | None:
        """The zone a time typed without an offset is in: the client's the request is about
        (a record in the body, else the record in the URL), else the practice's."""
        for value in data.values():
            client = value if isinstance(value, Client) else getattr(value, "client", None)
            if isinstance(client, Client):
                return client.time_zone
        if "pk" in getattr(self, "kwargs", {}) and hasattr(self, "get_object"):
            record = self.get_object()
            client = record if isinstance(record, Client) else getattr(record, "client", None)
            if isinstance(client, Client):
                return client.time_zone
        return getattr(getattr(connection, "tenant", None), "time_zone", None)

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if idempotency.applies(request):
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # 401 (no or bad key) before anything else
        if self.scope is Scope.PRACTICE_ADMIN and not self.actor.is_owner:
            raise exceptions.NotFound()
        if request.method not in SAFE_METHODS and not self.open_when_read_only:
            _refuse_if_read_only(request, actor=self.actor)
        if idempotency.applies(request):
            self._idempotency_record = idempotency.begin(request)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, idempotency.Replay):
            return idempotency.replay_response(exc.record)
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._idempotency_record is not None:
            idempotency.finish(self._idempotency_record, response)
            self._idempotency_record = None
        return response


class ApiViewSet(ApiView, viewsets.GenericViewSet):
    abstract = True
    model: ClassVar[type[Model]]
    lookup_value_regex = r"[0-9]{1,18}"  # longer never exists: the catch-all answers 404
    ordering = ("-created_at",)
    ordering_fields: ClassVar[tuple[str, ...]] = ("created_at", "updated_at")

    def get_queryset(self) -> QuerySet[Any]:
        rows: QuerySet[Any] = self.unscoped_rows()
        if self.scope is Scope.CLIENTS:
            assert self.model is Client
            rows = client_queryset_for(actor=self.actor, clients=rows)
        elif self.scope is Scope.CLIENT_RECORDS:
            rows = scoped(rows, actor=self.actor)
        # else: PRACTICE_ADMIN (owner gate in `initial`), reference data, or the escape hatch
        return self.shape_queryset(rows)

    def unscoped_rows(self) -> QuerySet[Any]:
        """Every row of the model, before scoping: the manager's, or a copy of a queryset
        prepared once per process (annotations cost more to build than to run). Never
        filtered by actor here."""
        return self.model._default_manager.all()

    def shape_queryset(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Loading only (select_related, prefetch_related, defer); never scope here."""
        return rows

    def respond(self, instance: Model, *, status: int = 200) -> Response:
        """The resource as the read serializer shows it, reloaded through the scoped queryset
        so the response costs the same queries as a GET."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status)


class ReadViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    abstract = True
