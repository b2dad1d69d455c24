"""An interaction: record one, correct one. Removing one logged by mistake is on the contact's
page (`frontend.views.clients.interaction_remove_page`)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from accounts.models import User
from coaching.models import Client, Interaction
from coaching.services import interaction_record
from coaching.services.interactions import interaction_update
from coaching.workspace import contacts_of
from frontend import pages
from frontend.record_forms import InteractionForm
from frontend.views.records.common import client_url, done, form_page, posted, zone_of, zoned


def _contact_url(client: Client, interaction: Interaction) -> str:
    return reverse("contact_page", args=[client.pk, interaction.contact_id])


@pages.client_page()
@zoned
def interaction_new(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    contact = request.GET.get("contact")
    form = InteractionForm(
        posted(request),
        initial={"contact": contact, "direction": "outbound", "kind": "outreach"},
        contacts=contacts_of(actor=actor, client=client),
        zone=zone_of(client),
    )
    made: list[Interaction] = []
    if form.is_bound and form.saved_by(
        lambda: made.append(interaction_record(client=client, actor=actor, **form.filled()))
    ):
        return done(request, "Interaction recorded.", _contact_url(client, made[0]))
    return form_page(
        request,
        client=client,
        title="Record an interaction",
        form=form,
        submit="Record interaction",
        back=client_url(client, "contacts"),
    )


@pages.record_page(Interaction)
@zoned
def interaction_edit(
    request: HttpRequest, *, actor: User, client: Client, record: Interaction
) -> HttpResponse:
    fields = ("contact", "occurred_at", "kind", "channel", "direction", "replied_at", "note")
    form = InteractionForm(
        posted(request),
        initial={f: getattr(record, f) for f in fields},
        contacts=contacts_of(actor=actor, client=client),
        zone=zone_of(client),
    )
    if form.is_bound and form.saved_by(
        lambda: interaction_update(interaction=record, actor=actor, data=form.filled())
    ):
        return done(request, "Interaction saved.", _contact_url(client, record))
    return form_page(
        request,
        client=client,
        title="Correct an interaction",
        form=form,
        submit="Save interaction",
        back=_contact_url(client, record),
    )
