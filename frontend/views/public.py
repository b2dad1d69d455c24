"""Pages of the public site (the bare base domain)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from accounts.handoff import handoff_token
from frontend.forms import SignupForm
from tenants.provisioning import practice_create, practice_url


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/public/home.html")


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = practice_create(**form.cleaned_data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            slug = created.practice.slug or ""
            token = handoff_token(user=created.owner)
            handoff = reverse("login_handoff", urlconf=settings.ROOT_URLCONF)
            return HttpResponseRedirect(f"{practice_url(slug=slug)}{handoff}?token={token}")
    return render(request, "frontend/public/signup.html", {"form": form})


def no_such_practice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontend/public/no_such_practice.html",
        {"host": request.get_host()},
        status=404,
    )
