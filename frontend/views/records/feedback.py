"""Feedback about how the client comes across: the coach's own, or an introducer's."""

from django.http import HttpRequest, HttpResponse

from accounts.models import User
from coaching.models import Client, Feedback
from coaching.services import feedback_record
from coaching.workspace import contacts_of
from frontend import pages
from frontend.record_forms import FeedbackForm
from frontend.views.records.common import client_url, done, form_page, posted, zoned


@pages.client_page()
@zoned
def feedback_new(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = FeedbackForm(posted(request), contacts=contacts_of(actor=actor, client=client))
    made: list[Feedback] = []
    if form.is_bound and form.saved_by(
        lambda: made.append(feedback_record(client=client, actor=actor, **form.filled()))
    ):
        return done(request, "Feedback recorded.", client_url(client, "meetings"))
    return form_page(
        request,
        client=client,
        title="Record feedback about the client",
        intro="What the coach or an introducer said about how the client comes across.",
        form=form,
        submit="Record feedback",
        back=client_url(client, "meetings"),
    )
