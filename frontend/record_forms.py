"""The coach's forms for every record of a search. They only parse what a person typed; the
services (`coaching.services`) decide what is valid, and their errors land next to the fields.

Date-times are typed in the client's time zone: the views validate and render these forms inside
`timezone.override(<client's zone>)`, and every date-time field says which zone it is in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from accounts.models import User
from coaching.choices import (
    AbandonReason,
    ApplicationSource,
    ApplicationStatus,
    Channel,
    ClientStatus,
    Direction,
    FeedbackAbout,
    FeedbackSource,
    FitRating,
    HowMet,
    InteractionKind,
    IntroductionKind,
    MeetingPurpose,
    MeetingStatus,
    Willingness,
)
from coaching.models import Application, Client, Contact, Introduction
from frontend.forms import DATE, DATETIME, Form

TIME_ZONES = sorted(available_timezones())


def zone_help(client: Client) -> str:
    """What a date-time field says about the zone it is typed in."""
    who = client.user.name or "the client"
    return f"In {who}'s time zone ({client.time_zone})."


def contact_label(contact: Contact) -> str:
    """A contact in a list to choose from: two people of one name are told apart."""
    return " · ".join(filter(None, [contact.name, contact.company or contact.email]))


class RecordForm(Form):
    """Help text and errors both reach screen readers: `aria-describedby` names the help and,
    once there is one, the error. Date-time fields say the client's zone (`zone=`)."""

    def __init__(self, *args: Any, zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if zone and isinstance(field, forms.DateTimeField):
                field.help_text = " ".join(filter(None, [str(field.help_text), zone]))
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-help"

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in list(error) if isinstance(error, dict) else [field] if field else []:
            if name in self.fields and self.fields[name].help_text:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = (
                    f"{self[name].auto_id}-help {self[name].auto_id}-error"
                )

    def saved(self, save: Callable[[], object], aliases: Mapping[str, str] | None = None) -> bool:
        """`saved_by`, with a service's field names mapped to this form's (`aliases`)."""
        if not self.is_valid():
            return False
        try:
            save()
        except ValidationError as exc:
            self.apply_service_errors(exc, aliases)
            return False
        return True

    def filled(self) -> dict[str, Any]:
        """The cleaned values, as keyword arguments for a service."""
        return dict(self.cleaned_data)


def _contacts(label: str, *, required: bool = True) -> forms.ModelChoiceField[Contact]:
    return forms.ModelChoiceField(
        label=label,
        queryset=None,
        required=required,
        empty_label="Choose a contact" if required else "Nobody",
    )


def _text(label: str, *, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _when(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, widget=DATETIME, help_text=help_text)


def _day(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


class ChoicesFrom(RecordForm):
    """A form whose people, applications and introductions to choose from come from the caller
    (the selectors of `coaching.workspace`), by the field's name."""

    PICKS = {
        "contact": "contacts",
        "introducer": "contacts",
        "target": "contacts",
        "duplicate": "contacts",
        "application": "applications",
        "introduction": "introductions",
    }

    def __init__(
        self,
        *args: Any,
        contacts: QuerySet[Contact] | None = None,
        applications: QuerySet[Application] | None = None,
        introductions: QuerySet[Introduction] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        given = {"contacts": contacts, "applications": applications, "introductions": introductions}
        for name, field in self.fields.items():
            if name in self.PICKS and isinstance(field, forms.ModelChoiceField):
                field.queryset = given[self.PICKS[name]]
                if self.PICKS[name] == "contacts":
                    field.label_from_instance = contact_label  # type: ignore[method-assign, assignment]


# -- clients --------------------------------------------------------------------------------


class ClientProfileForm(RecordForm):
    headline = forms.CharField(label="Headline", max_length=200, required=False)
    target_roles = _text(
        "Target roles",
        rows=3,
        help_text="One a line; a role family in brackets, e.g. “Data engineer (data)”.",
    )
    search_started_on = _day("Search started on", required=True)
    weekly_outreach_goal = forms.IntegerField(
        label="Weekly outreach goal", min_value=1, max_value=500
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[(z, z) for z in TIME_ZONES],
        help_text="Dates and times of this search are typed and shown in it.",
    )

    def clean_target_roles(self) -> list[dict[str, str]]:
        roles = []
        for line in str(self.cleaned_data.get("target_roles") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            role, _, family = line.partition("(")
            roles.append({"role": role.strip(), "family": family.rstrip(")").strip()})
        return roles

    @staticmethod
    def initial_for(client: Client) -> dict[str, Any]:
        lines = [
            f"{t.get('role', '')} ({t['family']})" if t.get("family") else str(t.get("role", ""))
            for t in client.target_roles
        ]
        return {
            "headline": client.headline,
            "target_roles": "\n".join(lines),
            "search_started_on": client.search_started_on,
            "weekly_outreach_goal": client.weekly_outreach_goal,
            "time_zone": client.time_zone,
        }


class ClientStatusForm(RecordForm):
    status = forms.ChoiceField(label="Status", choices=ClientStatus.choices)
    landed_on = _day("Landed on", help_text="Only for a landed client: the day of the yes.")
    offer: forms.ModelChoiceField[Application] = forms.ModelChoiceField(
        label="The offer accepted",
        queryset=None,
        required=False,
        empty_label="Not one of the recorded applications",
        help_text="Landing with a recorded offer marks that application accepted.",
    )

    def __init__(self, *args: Any, offers: QuerySet[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]


class ReassignForm(RecordForm):
    coach: forms.ModelChoiceField[User] = forms.ModelChoiceField(label="Coach", queryset=None)

    def __init__(self, *args: Any, coaches: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches  # type: ignore[attr-defined]


# -- contacts -------------------------------------------------------------------------------


class ContactForm(RecordForm):
    name = forms.CharField(label="Name", max_length=200)
    company = forms.CharField(label="Company", max_length=200, required=False)
    title = forms.CharField(label="Title", max_length=200, required=False)
    email = forms.CharField(label="Email", max_length=254, required=False)
    linkedin_url = forms.CharField(label="LinkedIn profile address", max_length=300, required=False)
    how_met = forms.ChoiceField(
        label="How they know each other",
        choices=HowMet.choices,
        initial=HowMet.OTHER,
        help_text="The strength of the tie: a colleague or a friend is warmer than a "
        "LinkedIn-only connection.",
    )
    first_met_on = _day("First met on")
    willingness = forms.ChoiceField(
        label="Willing to help", choices=Willingness.choices, initial=Willingness.UNKNOWN
    )
    is_key_influencer = forms.BooleanField(label="Key influencer", required=False)
    is_hiring_authority = forms.BooleanField(label="Can hire", required=False)
    tags = forms.CharField(
        label="Tags", required=False, help_text="Separated by commas, e.g. “alumni, fintech”."
    )
    notes = _text("Notes")

    def clean_tags(self) -> list[str]:
        raw = str(self.cleaned_data.get("tags") or "")
        return [t.strip() for t in raw.split(",") if t.strip()]

    @staticmethod
    def initial_for(contact: Contact) -> dict[str, Any]:
        fields = {f: getattr(contact, f) for f in ContactForm.base_fields}
        return {**fields, "tags": ", ".join(contact.tags)}


class ContactMergeForm(ChoicesFrom):
    duplicate = _contacts("The duplicate to merge into this contact")


# -- interactions ---------------------------------------------------------------------------


class InteractionForm(ChoicesFrom):
    contact = _contacts("With")
    occurred_at = _when("When")
    kind = forms.ChoiceField(label="What", choices=InteractionKind.choices)
    channel = forms.ChoiceField(label="How", choices=Channel.choices)
    direction = forms.ChoiceField(label="Who wrote or called", choices=Direction.choices)
    replied_at = _when(
        "Replied at", required=False, help_text="Only for a message the client sent."
    )
    note = _text("Note")


# -- introductions --------------------------------------------------------------------------


class IntroductionForm(ChoicesFrom):
    introducer = _contacts("Introducer")
    target = _contacts("Introduced to")
    kind = forms.ChoiceField(
        label="Kind", choices=IntroductionKind.choices, initial=IntroductionKind.INTRODUCTION
    )
    requested_at = _when("Requested at", required=False)
    made_at = _when(
        "Made at", required=False, help_text="From then on the target expects the client's call."
    )
    application: forms.ModelChoiceField[Application] = forms.ModelChoiceField(
        label="For the application",
        queryset=None,
        required=False,
        empty_label="None",
    )
    note = _text("Note")


# The dated steps of an introduction: (step, label of its field, the service's keyword name).
INTRODUCTION_STEPS = {
    "made": "The introduction was made",
    "contacted": "The client contacted the target",
    "thanked": "The client thanked the introducer",
    "outcome_reported": "The client told the introducer how it went",
    "reached_hiring_authority": "The path reached someone who can hire",
}
MESSAGE_STEPS = frozenset({"contacted", "thanked", "outcome_reported"})


class IntroductionStepForm(RecordForm):
    at = _when("When")
    channel = forms.ChoiceField(label="How", choices=Channel.choices, initial=Channel.EMAIL)
    note = _text("Note", rows=2)

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=step, **kwargs)
        self.step = step
        self.label = INTRODUCTION_STEPS[step]
        if step not in MESSAGE_STEPS:
            del self.fields["channel"]
            del self.fields["note"]


class IntroductionEndForm(RecordForm):
    outcome = forms.ChoiceField(
        label="How it ended",
        choices=[("closed", "It ran its course"), ("abandoned", "It was dropped")],
    )
    at = _when("When")
    reason = forms.ChoiceField(
        label="Why it was dropped",
        choices=[("", "—"), *AbandonReason.choices],
        required=False,
        help_text="Only for a dropped introduction.",
    )
    note = _text("Note", rows=2)


# -- follow-ups -----------------------------------------------------------------------------


class FollowUpForm(ChoicesFrom):
    contact = _contacts("With")
    due_on = _day("Due on", required=True, help_text="A day in the client's time zone.")
    channel = forms.ChoiceField(label="How", choices=Channel.choices, initial=Channel.EMAIL)
    note = _text("Note", rows=2)


class FollowUpRescheduleForm(RecordForm):
    due_on = _day("Due on", required=True, help_text="A day in the client's time zone.")
    note = _text("Note", rows=2)


class FollowUpDoneForm(RecordForm):
    at = _when("Done at", help_text="Also recorded as the follow-up message itself.")
    note = _text("What was said", rows=2)


# -- applications ---------------------------------------------------------------------------


class ApplicationForm(RecordForm):
    company = forms.CharField(label="Company", max_length=200)
    role = forms.CharField(label="Role", max_length=200)
    role_family = forms.CharField(
        label="Role family",
        max_length=100,
        required=False,
        help_text="As in the target roles, e.g. “data”; an application outside them is "
        "poor-fit targeting.",
    )
    source = forms.ChoiceField(
        label="Source",
        choices=ApplicationSource.choices,
        help_text="A job board, or the network: a referral, a direct approach, a recruiter.",
    )
    fit_rating = forms.ChoiceField(
        label="Fit", choices=FitRating.choices, initial=FitRating.UNRATED
    )
    status = forms.ChoiceField(
        label="Stage",
        choices=ApplicationStatus.choices,
        initial=ApplicationStatus.APPLIED,
        help_text="An accepted offer marks the client landed.",
    )
    posting_seen_on = _day("Posting seen on")
    posting_url = forms.CharField(label="Posting address", max_length=500, required=False)
    first_outreach_on = _day("First outreach to the company on")
    applied_on = _day("Applied on")
    last_employer_contact_on = _day("Last heard from the employer on")
    last_client_action_on = _day("Last action by the client on")
    note = _text("Note", rows=2)

    LATER = ("last_employer_contact_on", "last_client_action_on")

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:  # what happens after applying is recorded as it happens
            for name in self.LATER:
                del self.fields[name]

    @staticmethod
    def initial_for(application: Application) -> dict[str, Any]:
        return {f: getattr(application, f) for f in ApplicationForm.base_fields}


class ApplicationMoveForm(RecordForm):
    status = forms.ChoiceField(label="Stage", choices=ApplicationStatus.choices)


# -- meetings -------------------------------------------------------------------------------


class MeetingForm(ChoicesFrom):
    contact = _contacts("With")
    scheduled_for = _when("When")
    purpose = forms.ChoiceField(label="Purpose", choices=MeetingPurpose.choices)
    introduction: forms.ModelChoiceField[Introduction] = forms.ModelChoiceField(
        label="Came from the introduction",
        queryset=None,
        required=False,
        empty_label="None",
    )
    application: forms.ModelChoiceField[Application] = forms.ModelChoiceField(
        label="For the application",
        queryset=None,
        required=False,
        empty_label="None",
    )
    note = _text("Note", rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["introduction"].label_from_instance = (  # type: ignore[attr-defined]
            lambda i: f"{i.introducer.name} → {i.target.name}"
        )


class MeetingOutcomeForm(RecordForm):
    status = forms.ChoiceField(
        label="What happened",
        choices=[
            (MeetingStatus.HELD.value, "It took place"),
            (MeetingStatus.NO_SHOW.value, "The client did not show"),
            (MeetingStatus.CANCELLED.value, "It was cancelled"),
        ],
    )
    at = _when("Cancelled at", required=False, help_text="Only for a cancelled meeting.")


class MeetingPreparationForm(RecordForm):
    company_research = _text("What the client learned about the company", rows=2)
    questions = _text("Questions to ask", rows=2)
    goal = _text("What the client wants from the meeting", rows=2)


# -- feedback -------------------------------------------------------------------------------


class FeedbackForm(ChoicesFrom):
    source = forms.ChoiceField(label="From", choices=FeedbackSource.choices)
    contact = _contacts("Introducer", required=False)
    about = forms.ChoiceField(label="About", choices=FeedbackAbout.choices)
    received_on = _day("Received on", required=True)
    note = _text("Note", rows=2)
