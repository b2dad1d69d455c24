"""Pages on a practice's own host that every member needs: home, invitation, login hand-off."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from accounts.handoff import handoff_user
from accounts.invitations import InvitationLinkError
from accounts.services import invitation_accept, invitation_for_token
from frontend.forms import InvitationAcceptForm

BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/practice/home.html")


def login_handoff(request: HttpRequest) -> HttpResponse:
    user = handoff_user(token=request.GET.get("token", ""))
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
    try:
        pending = invitation_for_token(token=token)
    except InvitationLinkError as exc:
        return render(
            request, "frontend/practice/link_problem.html", {"problem": str(exc)}, status=400
        )
    form = InvitationAcceptForm(request.POST or None, initial={"name": pending.name})
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, **form.cleaned_data)
        except InvitationLinkError as exc:
            return render(
                request, "frontend/practice/link_problem.html", {"problem": str(exc)}, status=400
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            login(request, user, backend=BACKEND)
            return HttpResponseRedirect("/")
    return render(
        request, "frontend/practice/invitation.html", {"form": form, "invitation": pending}
    )
