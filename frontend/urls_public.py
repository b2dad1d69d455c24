"""The public site's pages (included from config.urls_public)."""

from django.urls import path

from frontend.views import public

urlpatterns = [
    path("", public.home, name="public_home"),
    path("pricing/", public.pricing, name="pricing"),
    path("signup/", public.signup, name="signup"),
    path("login/", public.login_pointer, name="login_pointer"),
]
