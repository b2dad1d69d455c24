"""Security pages: a member's own (two-step sign-in, where they are signed in), the owner's
members administration actions, and the practice's audit log."""

from zoneinfo import ZoneInfo

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.gates import acting_user, owner_required
from accounts.limits import over_limit
from accounts.selectors import invitation_get, member_get
from accounts.services import (
    invitation_resend,
    invitation_revoke,
    member_deactivate,
    member_reactivate,
    member_role_change,
    practice_mfa_require,
)
from accounts.sessions import member_sessions, session_end, sessions_end_all
from accounts.verification import email_confirmation_pending, email_confirmation_send
from audit.actions import AuditAction
from audit.selectors import audit_events
from coaching.services.caseload import caseload_reassign
from tenants.context import request_practice
from tenants.provisioning import practice_url

AUDIT_PAGE_SIZE = 50


def _browser(user_agent: str) -> str:
    """A name a person recognises for a browser, from its user agent."""
    for marker, name in (
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ):
        if marker in user_agent:
            return name
    return "A browser" if user_agent else "An unknown browser"


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if request.method == "POST":
        if request.POST.get("action") == "end_others":
            ended = sessions_end_all(user=user, keep=request.session.session_key)
            messages.success(request, f"Signed out of {ended} other session(s).")
        else:
            try:
                session_id = int(request.POST.get("session", ""))
            except ValueError:
                session_id = 0
            if session_end(user=user, session_id=session_id):
                messages.success(request, "That session is signed out.")
            else:
                messages.error(request, "That session had already ended.")
        return HttpResponseRedirect(reverse("account_security"))
    zone = ZoneInfo(request_practice(request).time_zone)
    sessions = [
        {
            "id": row.pk,
            "browser": _browser(row.user_agent),
            "ip": row.ip or "an unknown address",
            "since": timezone.localtime(row.signed_in_at, zone),
            "this_one": row.session_key == request.session.session_key,
        }
        for row in member_sessions(user=user)
    ]
    context = {
        "email_pending": email_confirmation_pending(user=user),
        "mfa_on": is_mfa_enabled(user),
        "mfa_required": request_practice(request).mfa_required,
        "sessions": sessions,
        "zone": zone.key,
    }
    return render(request, "frontend/account/security.html", context)


@owner_required
@require_POST
def member_action(request: HttpRequest, member_id: int) -> HttpResponse:
    """The owner's buttons on the people page: change a role, deactivate, reactivate, move
    all of a coach's clients to another coach."""
    owner = acting_user(request)
    member = member_get(member_id=member_id)
    action = request.POST.get("action", "")
    try:
        if action == "role":
            member_role_change(actor=owner, member=member, role=request.POST.get("role", ""))
            messages.success(request, f"{member} is now {member.get_role_display().lower()}.")
        elif action == "deactivate":
            member_deactivate(actor=owner, member=member)
            messages.success(
                request, f"{member} is deactivated: signed out everywhere, API keys stopped."
            )
        elif action == "reactivate":
            member_reactivate(actor=owner, member=member)
            messages.success(request, f"{member} can sign in again.")
        elif action == "reassign":
            to_coach = member_get(member_id=_number(request.POST.get("coach")))
            moved = caseload_reassign(actor=owner, from_coach=member, to_coach=to_coach)
            messages.success(
                request, f"{moved} client{pluralize(moved)} of {member} now coached by {to_coach}."
            )
        else:
            raise Http404
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(reverse("members"))


def _number(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


@owner_required
@require_POST
def invitation_action(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """The owner's buttons on a pending invitation: send it again, withdraw it."""
    owner = acting_user(request)
    invitation = invitation_get(invitation_id=invitation_id)
    action = request.POST.get("action", "")
    try:
        if action == "resend":
            invitation_resend(
                invitation=invitation,
                actor=owner,
                practice_url=practice_url(slug=request_practice(request).slug or ""),
            )
            messages.success(request, f"Invitation sent again to {invitation.email}.")
        elif action == "revoke":
            invitation_revoke(invitation=invitation, actor=owner)
            messages.success(request, f"Invitation to {invitation.email} withdrawn.")
        else:
            raise Http404
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(reverse("members") + "#pending")


@owner_required
@require_POST
def practice_mfa(request: HttpRequest) -> HttpResponse:
    owner = acting_user(request)
    required = request.POST.get("required") == "on"
    if required and not is_mfa_enabled(owner):
        messages.error(request, "Turn on two-step sign-in for yourself first.")
    else:
        practice_mfa_require(actor=owner, practice=request_practice(request), required=required)
        messages.success(
            request,
            "Everyone must now use two-step sign-in."
            if required
            else "Two-step sign-in is now each person's choice.",
        )
    return HttpResponseRedirect(reverse("members") + "#security")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    owner = acting_user(request)
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    events = audit_events(actor=owner, action=action)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    zone = ZoneInfo(request_practice(request).time_zone)
    rows = [
        {
            "at": timezone.localtime(event.at, zone),
            "who": event.actor_label,
            "what": AuditAction(event.action).label if event.action in AuditAction.values else "",
            "about": event.object_label,
            "via": {"web": "web app", "api": "API", "job": "Warmpath"}.get(event.via, event.via),
            "ip": event.ip or "",
        }
        for event in page
    ]
    context = {
        "nav": "settings",
        "rows": rows,
        "page": page,
        "zone": zone.key,
        "actions": AuditAction.choices,
        "chosen": action,
    }
    return render(request, "frontend/settings/audit.html", context)


@login_required
@require_POST
def email_confirmation_resend(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not email_confirmation_pending(user=user):
        messages.success(request, "Your email address is already confirmed.")
    elif over_limit(request=request, group="confirm-resend", key="user", rate="3/h"):
        messages.error(request, "We sent several links already; check your spam folder.")
    else:
        email_confirmation_send(
            user=user, base_url=practice_url(slug=request_practice(request).slug or "")
        )
        messages.success(request, f"We sent a new link to {user.email}.")
    return HttpResponseRedirect(reverse("account_security"))
