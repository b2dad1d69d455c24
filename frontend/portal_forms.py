"""The client's own record forms in the portal: follow-ups, applications, editing a contact.

Each field says what it wants; days are days in the client's zone (named in the help text).
The services validate again (`coaching.services`), and their messages land next to the fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from coaching.choices import ApplicationSource, ApplicationStatus, Channel, HowMet
from coaching.models import Contact
from frontend.forms import DATE, Form

# What a client may set an application to (the coach's fit rating is not theirs).
STAGES = ApplicationStatus.choices


def contact_label(contact: Contact) -> str:
    """A contact as a person tells two namesakes apart: "Sam Lee · Acme"."""
    return f"{contact.name} · {contact.company}" if contact.company else contact.name


def _day_help(zone: str, what: str) -> str:
    return f"{what} A day in your time zone ({zone})." if zone else what


class FollowUpForm(Form):
    """Schedule a follow-up with one of the client's contacts."""

    contact = forms.TypedChoiceField(label="With whom", coerce=int, choices=())
    due_on = forms.DateField(label="On which day", widget=DATE)
    channel = forms.ChoiceField(label="How", choices=Channel.choices, initial=Channel.EMAIL)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        help_text="What you mean to say or ask, so you remember.",
    )

    def __init__(self, *args: Any, contacts: Iterable[Contact], zone: str = "", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["contact"].choices = [("", "Choose a contact")] + [  # type: ignore[attr-defined]
            (c.pk, contact_label(c)) for c in contacts
        ]
        self.fields["due_on"].help_text = _day_help(zone, "The day you mean to get in touch.")


class FollowUpMoveForm(Form):
    due_on = forms.DateField(label="New day", widget=DATE)


class ApplicationForm(Form):
    """Record a job applied to (or about to be)."""

    company = forms.CharField(label="Company", max_length=200)
    role = forms.CharField(label="Role", max_length=200, help_text="The job title on the posting.")
    source = forms.ChoiceField(
        label="How you found it", choices=ApplicationSource.choices, initial="job_board"
    )
    posting_seen_on = forms.DateField(label="Posting seen on", required=False, widget=DATE)
    posting_url = forms.CharField(
        label="Link to the posting",
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text="Optional, e.g. https://example.com/jobs/123.",
    )
    status = forms.ChoiceField(label="Stage", choices=STAGES, initial=ApplicationStatus.APPLIED)

    def __init__(self, *args: Any, zone: str = "", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["posting_seen_on"].help_text = _day_help(
            zone, "Optional: when you first saw it."
        )


class ApplicationStageForm(Form):
    status = forms.ChoiceField(label="Stage", choices=STAGES)


class ContactEditForm(Form):
    """A contact's own details; the history with them stays as it is."""

    name = forms.CharField(label="Name", max_length=200)
    company = forms.CharField(label="Company", max_length=200, required=False)
    title = forms.CharField(label="Title", max_length=200, required=False)
    email = forms.CharField(
        label="Email",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    linkedin_url = forms.CharField(label="LinkedIn profile", max_length=300, required=False)
    how_met = forms.ChoiceField(label="How you know them", choices=HowMet.choices)
    is_key_influencer = forms.BooleanField(label="Key influencer", required=False)
    is_hiring_authority = forms.BooleanField(label="Can hire", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def of(cls, contact: Contact, data: Any = None) -> ContactEditForm:
        return cls(data, initial={name: getattr(contact, name) for name in cls.base_fields})
