"""URLs of the public site: the bare base domain (e.g. localhost:8000)."""

from django.contrib import admin
from django.urls import path

from frontend.views import public

urlpatterns = [
    path("", public.home, name="public_home"),
    path("signup/", public.signup, name="signup"),
    path("admin/", admin.site.urls),
]
