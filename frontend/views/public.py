"""Pages of the public site (the bare base domain)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from accounts.handoff import handoff_token
from accounts.limits import TOO_MANY, over_limit
from accounts.verification import owner_signup_confirmation
from billing.plans import plan_terms, trial_days
from frontend.forms import LoginPointerForm, SignupForm
from tenants.provisioning import practice_create, practice_url
from tenants.selectors import practice_is_live


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/public/home.html")


def pricing(request: HttpRequest) -> HttpResponse:
    """Prices per seat and the trial's length: the numbers billing charges (`billing.plans`)."""
    context = {
        "plans": plan_terms(),
        "trial_days": trial_days(),
        "trial_seats": settings.BILLING_TRIAL_SEATS,
    }
    return render(request, "frontend/public/pricing.html", context)


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and over_limit(
        request=request, group="signup", rate=settings.SIGNUP_RATE_LIMIT
    ):
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return render(request, "frontend/public/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            created = practice_create(**form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            owner_signup_confirmation(practice=created.practice, owner=created.owner)
            slug = created.practice.slug or ""
            token = handoff_token(user=created.owner, schema_name=created.practice.schema_name)
            handoff = reverse("login_handoff", urlconf=settings.ROOT_URLCONF)
            return HttpResponseRedirect(f"{practice_url(slug=slug)}{handoff}?token={token}")
    return render(request, "frontend/public/signup.html", {"form": form})


def login_pointer(request: HttpRequest) -> HttpResponse:
    """People sign in on their practice's own address; this page sends them there."""
    form = LoginPointerForm(request.GET or None)
    if form.is_valid():
        slug = form.cleaned_data["slug"].lower()
        if practice_is_live(slug=slug):
            login = reverse("account_login", urlconf=settings.ROOT_URLCONF)
            return HttpResponseRedirect(f"{practice_url(slug=slug)}{login}")
        form.add_error("slug", f"There is no practice at {slug}.{settings.BASE_DOMAIN}.")
    return render(
        request,
        "frontend/public/login.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def no_such_practice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontend/public/no_such_practice.html",
        {"host": request.get_host()},
        status=404,
    )
