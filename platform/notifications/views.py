"""Pages: a person's email choices and calendar address (signed in), the unsubscribe page (no
login: the signed link is the credential), and the calendar feed itself (the secret address is
the credential). Thin adapters over `notifications.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from notifications import services
from notifications.emails import site_url
from notifications.ics import calendar_for
from notifications.kinds import topics_for
from notifications.tokens import unsubscribe_read


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("notifications:calendar", args=[token]))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    new_feed_url = ""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "save":
            services.preferences_update(
                user=user,
                choices={
                    info.topic.value: info.topic.value in request.POST.getlist("topics")
                    for info in topics_for(user.role)
                },
            )
            messages.success(request, "Your email choices are saved.")
            return redirect("notifications:preferences")
        if action == "feed_create":
            new_feed_url = _feed_url(request, services.calendar_feed_create(user=user))
        elif action == "feed_revoke":
            services.calendar_feed_revoke(user=user)
            messages.success(request, "Your calendar address no longer works.")
            return redirect("notifications:preferences")
    chosen = services.preferences_for(user=user)
    return render(
        request,
        "notifications/pages/preferences.html",
        {
            "topics": [(info, chosen[info.topic.value]) for info in topics_for(user.role)],
            "has_feed": user.calendar_feeds.filter(revoked_at__isnull=True).exists(),
            "new_feed_url": new_feed_url,
            "webcal_url": new_feed_url.replace("https://", "webcal://").replace(
                "http://", "webcal://"
            ),
        },
    )


@csrf_exempt  # the signed token is the credential; mail apps POST here for one-click unsubscribe
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link will switch off and asks to confirm (link scanners in mail
    systems follow GET links, so GET changes nothing); POST switches it off."""
    wanted = unsubscribe_read(token)
    user = User.objects.filter(pk=wanted.user_id, is_active=True).first() if wanted else None
    if wanted is None or user is None:
        return render(request, "notifications/pages/unsubscribe_invalid.html", status=404)
    what = services.topic_label(wanted.topic)
    done = False
    if request.method == "POST":
        services.unsubscribe(user=user, topic=wanted.topic)
        done = True
    return render(
        request,
        "notifications/pages/unsubscribe.html",
        {
            "what": what,
            "email": user.email,
            "done": done,
            "preferences_url": site_url() + reverse("notifications:preferences"),
        },
    )


@require_GET
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    feed = services.calendar_feed_resolve(token=token)
    if feed is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        calendar_for(user=feed.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="warmpath.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
