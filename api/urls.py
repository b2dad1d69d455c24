"""/api/v1/ on each practice's host."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import captured, diagnostics, docs_pages, lifecycle, practice, views
from api.errors import not_found_view
from api.webhooks import views as webhook_views

router = SimpleRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("introductions", views.IntroductionViewSet, basename="introduction")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("feedback", views.FeedbackViewSet, basename="feedback")
router.register("imports", views.ImportViewSet, basename="import")
router.register("captured", captured.CapturedViewSet, basename="captured")
router.register("members", practice.MemberViewSet, basename="member")
router.register("invitations", practice.InvitationViewSet, basename="invitation")
router.register("api-keys", practice.ApiKeyViewSet, basename="api-key")
router.register("audit-events", practice.AuditEventViewSet, basename="audit-event")
router.register("webhooks", webhook_views.WebhookEndpointViewSet, basename="webhook")
router.register(
    "webhook-deliveries", webhook_views.WebhookDeliveryViewSet, basename="webhook-delivery"
)
router.register("exports", lifecycle.ExportViewSet, basename="export")
router.register("deletion-requests", lifecycle.DeletionRequestViewSet, basename="deletion-request")
router.register("deletions", lifecycle.DeletionFeedViewSet, basename="deletion")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(urlconf="api.schema_urls"), name="schema"),
    path("docs/", docs_pages.swagger, name="docs"),
    path("redoc/", docs_pages.redoc, name="redoc"),
    path("diagnostics/catalog/", diagnostics.CatalogView.as_view(), name="diagnostics-catalog"),
    path(
        "diagnostics/thresholds/defaults/",
        diagnostics.DefaultThresholdsView.as_view(),
        name="diagnostics-threshold-defaults",
    ),
    path(
        "diagnostics/practice-report/",
        diagnostics.PracticeReportView.as_view(),
        name="diagnostics-practice-report",
    ),
    path(
        "diagnostics/thresholds/",
        diagnostics.PracticeThresholdsView.as_view(),
        name="diagnostics-thresholds",
    ),
    path("retention/", lifecycle.RetentionView.as_view(), name="retention"),
    path("", include(router.urls)),
    re_path(r"^[\s\S]*$", not_found_view),  # any path, even one with a newline in it
]
