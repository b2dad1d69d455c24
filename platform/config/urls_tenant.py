"""URLs served on each practice's host (<slug>.<base domain>)."""

from django.urls import include, path

from frontend.views import practice

urlpatterns = [
    path("", practice.home, name="practice_home"),
    path("accounts/", include("allauth.urls")),
    path("auth/handoff/", practice.login_handoff, name="login_handoff"),
    path("invitations/<str:token>/", practice.invitation, name="invitation_accept"),
    path("members/", practice.members, name="members"),
    path("api/v1/", include("api.urls")),
]
