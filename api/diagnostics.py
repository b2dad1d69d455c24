"""Diagnostics over the API: the failure-reason catalog and default thresholds (reference data,
the same for every practice; codes are a public contract)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ApiView, Scope
from coaching.diagnostics.catalog import CATALOG
from coaching.diagnostics.findings import Category, Fault, Severity
from coaching.diagnostics.thresholds import Thresholds


class SourceSerializer(serializers.Serializer):
    article_id = serializers.CharField()
    title = serializers.CharField()


class CatalogEntrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable failure code (a public contract).")
    title = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    fault = serializers.ChoiceField(
        choices=Fault.choices, help_text="Whose move it is: client, context or employer."
    )
    severity = serializers.ChoiceField(
        choices=Severity.choices, help_text="The default severity; a finding may raise it."
    )
    subject = serializers.CharField(help_text="What one finding is about: client or a record.")
    explanation = serializers.CharField()
    advice = serializers.CharField()
    sources = SourceSerializer(many=True)


def _catalog() -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "title": entry.title,
            "category": entry.category.value,
            "fault": entry.fault.value,
            "severity": entry.severity.value,
            "subject": entry.subject,
            "explanation": entry.explanation,
            "advice": entry.advice,
            "sources": [{"article_id": s.article_id, "title": s.title} for s in entry.sources],
        }
        for code, entry in CATALOG.items()
    ]


@extend_schema(tags=["diagnostics"])
class CatalogView(ApiView):
    scope = Scope.PUBLIC_REFERENCE

    @extend_schema(
        responses=CatalogEntrySerializer(many=True),
        description="Every failure reason the diagnostics can raise, with its code.",
    )
    def get(self, request: Request) -> Response:
        return Response(_catalog())


@extend_schema(tags=["diagnostics"])
class DefaultThresholdsView(ApiView):
    scope = Scope.PUBLIC_REFERENCE

    @extend_schema(
        responses={
            200: {
                "type": "object",
                "additionalProperties": {"oneOf": [{"type": "number"}, {"type": "string"}]},
            }
        },
        description="The catalog's default thresholds, by name. A practice and each client "
        "can override them.",
    )
    def get(self, request: Request) -> Response:
        return Response(Thresholds().values())
