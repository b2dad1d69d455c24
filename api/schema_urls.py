"""The URLs the OpenAPI schema describes: /api/v1/ as mounted on a practice's host."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("api.urls"))]
