"""A contact: add one, change any field (tie, willingness, key influencer, can hire), merge a
duplicate into it. Deleting a person is `frontend.views.data.contact_delete_page` (it erases)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from accounts.models import User
from coaching.models import Client, Contact
from coaching.services import contact_create, contact_update
from coaching.services.contact_merge import contact_merge
from coaching.workspace import contacts_of
from frontend import pages
from frontend.record_forms import ContactForm, ContactMergeForm
from frontend.views.records.common import client_url, done, form_page, posted, zoned


def _contact_url(client: Client, contact: Contact) -> str:
    return reverse("contact_page", args=[client.pk, contact.pk])


@pages.client_page()
@zoned
def contact_new(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = ContactForm(posted(request))
    made: list[Contact] = []
    if form.is_bound and form.saved_by(
        lambda: made.append(contact_create(client=client, actor=actor, **form.filled()))
    ):
        return done(request, f"Added {made[0].name}.", _contact_url(client, made[0]))
    return form_page(
        request,
        client=client,
        title="Add a contact",
        form=form,
        submit="Add contact",
        back=client_url(client, "contacts"),
    )


@pages.record_page(Contact, kwarg="contact_id")
@zoned
def contact_edit(
    request: HttpRequest, *, actor: User, client: Client, record: Contact
) -> HttpResponse:
    form = ContactForm(posted(request), initial=ContactForm.initial_for(record))
    if form.is_bound and form.saved_by(
        lambda: contact_update(contact=record, actor=actor, data=form.filled())
    ):
        return done(request, f"Saved {record.name}.", _contact_url(client, record))
    return form_page(
        request,
        client=client,
        title=f"Edit {record.name}",
        form=form,
        submit="Save contact",
        back=_contact_url(client, record),
    )


@pages.record_page(Contact, kwarg="contact_id")
def contact_merge_page(
    request: HttpRequest, *, actor: User, client: Client, record: Contact
) -> HttpResponse:
    """Two records of one person: everything of the duplicate moves here, then it goes."""
    others = contacts_of(actor=actor, client=client).exclude(pk=record.pk)
    form = ContactMergeForm(posted(request), contacts=others)
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        name = duplicate.name
        if form.saved_by(lambda: contact_merge(keep=record, duplicate=duplicate, actor=actor)):
            return done(
                request,
                f"Merged {name} into {record.name}: every interaction, follow-up, meeting and "
                "introduction is kept.",
                _contact_url(client, record),
            )
    return form_page(
        request,
        client=client,
        title=f"Merge a duplicate into {record.name}",
        intro=f"Everything recorded about the duplicate moves to {record.name}; what "
        f"{record.name}'s record leaves empty is filled from it; then the duplicate goes.",
        form=form,
        submit="Merge",
        back=_contact_url(client, record),
    )
