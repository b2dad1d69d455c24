"""Pages on a practice's own host that every member needs: home, invitation, login hand-off."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from accounts.gates import acting_user, owner_required
from accounts.handoff import handoff_consume
from accounts.invitations import InvitationLinkError
from accounts.limits import TOO_MANY, over_limit
from accounts.models import Role
from accounts.selectors import coaches_active, invitations_pending, members_list
from accounts.services import invitation_create, invitation_for_token
from accounts.verification import email_confirmation_pending
from coaching.onboarding import member_join
from coaching.selectors import caseloads
from frontend.forms import InvitationAcceptForm, InviteForm
from frontend.views import dashboard, portal
from tenants.context import request_practice
from tenants.provisioning import practice_url

BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The coach's dashboard, or the client's "today" view: one address for everyone."""
    if acting_user(request).is_coaching_staff:
        return dashboard.coach_dashboard(request)
    return portal.today(request)


def login_handoff(request: HttpRequest) -> HttpResponse:
    user = handoff_consume(token=request.GET.get("token", ""))
    if user is None:
        return render(
            request,
            "frontend/practice/link_problem.html",
            {"problem": "This sign-in link has expired or was already used. Log in below."},
            status=400,
        )
    login(request, user, backend=BACKEND)
    return HttpResponseRedirect("/")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST" and over_limit(
        request=request, group="invitation", rate=settings.INVITATION_RATE_LIMIT
    ):
        return render(
            request,
            "frontend/practice/link_problem.html",
            {"problem": TOO_MANY},
            status=429,
        )
    try:
        pending = invitation_for_token(token=token)
    except InvitationLinkError as exc:
        return render(
            request, "frontend/practice/link_problem.html", {"problem": str(exc)}, status=400
        )
    form = InvitationAcceptForm(request.POST or None, initial={"name": pending.name})
    if request.method == "POST" and form.is_valid():
        try:
            user = member_join(
                token=token, time_zone=request_practice(request).time_zone, **form.cleaned_data
            )
        except InvitationLinkError as exc:
            return render(
                request, "frontend/practice/link_problem.html", {"problem": str(exc)}, status=400
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            login(request, user, backend=BACKEND)
            return HttpResponseRedirect("/")
    return render(
        request, "frontend/practice/invitation.html", {"form": form, "invitation": pending}
    )


@owner_required
def members(request: HttpRequest) -> HttpResponse:
    """The owner's list of people in the practice, with pending invitations and an invite form."""
    owner = acting_user(request)
    coaches = coaches_active()
    form = InviteForm(request.POST or None, coaches=coaches)
    if request.method == "POST" and form.is_valid():
        practice = request_practice(request)
        try:
            invitation_create(
                invited_by=owner,
                practice_url=practice_url(slug=practice.slug or ""),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return HttpResponseRedirect(request.path)
    context = {
        "form": form,
        "people": members_list(),
        "roles": Role.choices,
        "pending": invitations_pending(),
        "caseloads": caseloads(),
        "coaches": coaches,
        "mfa_required": request_practice(request).mfa_required,
        "email_pending": email_confirmation_pending(user=owner),
    }
    return render(request, "frontend/practice/members.html", {"nav": "settings", **context})
