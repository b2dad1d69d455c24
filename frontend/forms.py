from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from accounts.models import User
from coaching.choices import (
    Channel,
    ChecklistState,
    HowMet,
    ImportKind,
    ImportMode,
    IntroductionKind,
    MeetingPurpose,
    PresentationItem,
    Verdict,
)
from coaching.diagnostics.findings import DispositionState
from coaching.diagnostics.thresholds import Thresholds
from integrations.models import KeyScope
from integrations.webhooks.events import Event

# What an owner can subscribe to (a ping is sent on request, never subscribed to).
WEBHOOK_EVENTS = [(value, label) for value, label in Event.choices if value != Event.PING]


class Form(forms.Form):
    """Errors are announced with the field: `aria-describedby` points at the message."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        names = [field] if field else []
        if isinstance(error, dict):
            names = list(error)
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                widget.attrs["aria-invalid"] = "true"

    def saved_by(self, save: Callable[[], object]) -> bool:
        """Validate, then run the service call `save`; its field errors land next to the fields.
        True when it saved."""
        if not self.is_valid():
            return False
        try:
            save()
        except ValidationError as exc:
            self.apply_service_errors(exc)
            return False
        return True

    def apply_service_errors(
        self, exc: ValidationError, aliases: Mapping[str, str] | None = None
    ) -> None:
        """A service's `ValidationError({field: [...]})`, each message next to its field."""
        aliases = aliases or {}
        problems = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for field, messages in problems.items():
            name = aliases.get(field or "", field)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class SignupForm(Form):
    name = forms.CharField(label="Practice name", max_length=120)
    slug = forms.CharField(
        label="Web address",
        max_length=40,
        help_text="Your practice's own address: lowercase letters, digits and hyphens.",
    )
    owner_name = forms.CharField(label="Your name", max_length=150)
    owner_email = forms.EmailField(label="Your email")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)


class LoginPointerForm(Form):
    slug = forms.SlugField(
        label="Your practice's web address",
        max_length=40,
        help_text="The first part of the address, e.g. “northwind” for northwind.localhost.",
    )


class InvitationAcceptForm(Form):
    name = forms.CharField(label="Your name", max_length=150)
    password = forms.CharField(label="Choose a password", widget=forms.PasswordInput, strip=False)


class InviteForm(Form):
    email = forms.EmailField(label="Email")
    name = forms.CharField(label="Name", max_length=150, required=False)
    role = forms.ChoiceField(label="Role", choices=[("client", "Client"), ("coach", "Coach")])
    coach: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Coach (for a client)", queryset=User.objects.none(), required=False, empty_label="Me"
    )

    def __init__(self, *args: Any, coaches: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches  # type: ignore[attr-defined]


DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# -- coach: the client's goal, thresholds and the coach's judgements -------------------------

# The thresholds a coach is most likely to tune, in the words of the failure-reason catalog.
THRESHOLD_FIELDS: dict[str, tuple[str, str]] = {
    "stalled_days": ("Stalled after (days without progress)", "Default 14."),
    "intro_warning_days": ("Introduction to act on within (days)", "Default 2."),
    "intro_critical_days": ("Introduction critical after (days)", "Default 7."),
    "thanks_days": ("Thank-you within (days)", "Default 2."),
    "influencer_days": ("Key influencer untouched for (days)", "Default 30."),
    "stalemate_days": ("Contact silent after a real exchange (days)", "Default 10."),
    "over_follow_up": ("Most follow-ups to a silent contact", "Default 2."),
    "overdue_days": ("Follow-up overdue after (days)", "Default 3."),
    "employer_silent_days": ("Employer silent for (days)", "Default 14."),
    "job_board_ratio": ("Job-board applications per conversation", "Default 3."),
}


class ThresholdsForm(Form):
    """Overrides of the diagnostics thresholds; an empty field keeps the inherited value.
    The services (`coaching.insights.services`) validate the values alone and together."""

    def __init__(
        self, *args: Any, inherited: Thresholds, with_goal: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = dict(THRESHOLD_FIELDS)
        if with_goal:
            fields = {"weekly_goal": ("Weekly outreach goal (contacts)", "Default 15."), **fields}
        for name, (label, help_text) in fields.items():
            field_class = forms.FloatField if name == "job_board_ratio" else forms.IntegerField
            self.fields[name] = field_class(
                label=label,
                required=False,
                min_value=0,
                help_text=f"{help_text} Otherwise in force: {getattr(inherited, name)}.",
            )

    def changes(self) -> dict[str, Any]:
        """Every field: a number sets the override, an empty field removes it."""
        return {name: self.cleaned_data.get(name) for name in self.fields}


class GoalForm(Form):
    weekly_outreach_goal = forms.IntegerField(
        label="Weekly outreach goal",
        min_value=1,
        max_value=200,
        help_text="Distinct contacts to reach each week (15 reaches about 3 leads).",
    )


class DispositionForm(Form):
    finding_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    state = forms.ChoiceField(choices=DispositionState.choices)
    note = forms.CharField(label="Note", required=False, max_length=2000)
    note_shared = forms.BooleanField(label="Show this note to your client", required=False)


class FindingVisibilityForm(Form):
    finding_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    hidden = forms.BooleanField(required=False)


class WithdrawDispositionForm(Form):
    finding_key = forms.CharField(widget=forms.HiddenInput, max_length=200)


class SharingForm(Form):
    shared = forms.BooleanField(label="Show the report in the client's portal", required=False)


class LeavingStoryForm(Form):
    story = forms.CharField(
        label="Reason for leaving, as the client tells it",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    verdict = forms.ChoiceField(label="Your verdict", choices=Verdict.choices)


class PresentationForm(Form):
    state = forms.ChoiceField(label="State", choices=ChecklistState.choices)
    note = forms.CharField(label="Note", required=False, max_length=1000)


def presentation_forms(
    data: Any, checks: Mapping[str, Any]
) -> list[tuple[str, str, PresentationForm]]:
    forms_ = []
    for item, label in PresentationItem.choices:
        check = checks.get(item)
        initial = {"state": check.state, "note": check.note} if check else {}
        forms_.append((item, label, PresentationForm(data, prefix=item, initial=initial)))
    return forms_


CSV_IMPORT_KINDS = [
    (ImportKind.LINKEDIN_CONNECTIONS.value, ImportKind.LINKEDIN_CONNECTIONS.label),
    (ImportKind.CONTACTS_CSV.value, ImportKind.CONTACTS_CSV.label),
    (ImportKind.INTERACTIONS_CSV.value, ImportKind.INTERACTIONS_CSV.label),
]


class ImportForm(Form):
    kind = forms.ChoiceField(label="What the file holds", choices=CSV_IMPORT_KINDS)
    file = forms.FileField(
        label="CSV file", help_text="LinkedIn's Connections.csv, or a contacts or interactions CSV."
    )
    mode = forms.ChoiceField(
        label="If some rows are wrong",
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        required=False,
        widget=forms.RadioSelect,
        help_text="Either way, every row that could not be used is listed, with why.",
    )

    def clean_mode(self) -> str:
        return self.cleaned_data.get("mode") or ImportMode.ALL_OR_NOTHING


# -- the client's own records ----------------------------------------------------------------

# What the client says happened, and how it reads back to them once logged.
LOGGED = {
    "outreach": "you reached out to {name}",
    "conversation": "you talked with {name}",
    "follow_up": "you followed up with {name}",
    "ask": "you asked {name} for an introduction or referral",
    "thank_you": "you thanked {name}",
    "outcome": "you told {name} how it went",
}
LOG_WHAT = {
    "outreach": "I reached out",
    "reply": "They replied",
    "conversation": "We talked",
    "follow_up": "I followed up",
    "ask": "I asked for an introduction or referral",
    "thank_you": "I thanked them",
    "outcome": "I told them how it went",
}
LOG_WHEN = [("today", "Today"), ("yesterday", "Yesterday"), ("day", "Another day")]


class QuickLogForm(Form):
    """Who, what happened, how, and when (today unless said otherwise). A name that matches
    several contacts, or none but some closely, is asked about (`contact`, `new_contact`)."""

    who = forms.CharField(
        label="Who",
        max_length=200,
        widget=forms.TextInput(attrs={"list": "contact-names", "autocomplete": "off"}),
        help_text="A contact's name. Someone new is added to your contacts (you are asked "
        "first if the name is close to someone you know).",
    )
    what = forms.ChoiceField(label="What happened", choices=list(LOG_WHAT.items()))
    channel = forms.ChoiceField(label="How", choices=Channel.choices)
    when = forms.ChoiceField(
        label="When",
        choices=LOG_WHEN,
        initial="today",
        required=False,
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label="Which day",
        required=False,
        widget=DATE,
        help_text="For “Another day”.",
    )
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    new_contact = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if zone:
            self.fields["on"].help_text = f"For “Another day”: a day in your time zone ({zone})."
        for name in ("who", "on"):
            self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-help"

    def add_error(self, field: str | None, error: Any) -> None:
        """The error and the help are both read out with the field."""
        super().add_error(field, error)
        for name in list(error) if isinstance(error, dict) else [field] if field else []:
            if name in ("who", "on"):
                auto_id = self[name].auto_id
                self.fields[name].widget.attrs["aria-describedby"] = (
                    f"{auto_id}-help {auto_id}-error"
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["when"] = data.get("when") or "today"
        if data["when"] == "day" and not data.get("on"):
            self.add_error("on", "Pick the day it happened.")
        return data


class ContactForm(Form):
    name = forms.CharField(label="Name", max_length=200)
    company = forms.CharField(label="Company", max_length=200, required=False)
    title = forms.CharField(label="Title", max_length=200, required=False)
    email = forms.CharField(label="Email", max_length=254, required=False)
    how_met = forms.ChoiceField(label="How you know them", choices=HowMet.choices, initial="other")
    first_met_on = forms.DateField(label="First met on", required=False, widget=DATE)
    is_key_influencer = forms.BooleanField(label="Key influencer", required=False)
    is_hiring_authority = forms.BooleanField(label="Can hire", required=False)


class IntroductionForm(Form):
    introducer = forms.CharField(
        label="Who is introducing you",
        max_length=200,
        widget=forms.TextInput(attrs={"list": "contact-names", "autocomplete": "off"}),
    )
    target = forms.CharField(
        label="Who they introduce you to",
        max_length=200,
        widget=forms.TextInput(attrs={"list": "contact-names", "autocomplete": "off"}),
    )
    stage = forms.ChoiceField(
        label="Where it stands",
        choices=[("made", "The introduction was made"), ("requested", "I asked for it")],
    )
    on = forms.DateField(label="On", widget=DATE, help_text="The day it was made or asked for.")
    kind = forms.ChoiceField(
        label="Kind", choices=IntroductionKind.choices, initial=IntroductionKind.INTRODUCTION
    )


class MeetingForm(Form):
    contact = forms.CharField(
        label="With",
        max_length=200,
        widget=forms.TextInput(attrs={"list": "contact-names", "autocomplete": "off"}),
    )
    scheduled_for = forms.DateTimeField(label="When", widget=DATETIME)
    purpose = forms.ChoiceField(label="Purpose", choices=MeetingPurpose.choices)


class PreparationForm(Form):
    company_research = forms.CharField(
        label="What you learned about the company",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    questions = forms.CharField(
        label="Questions you will ask", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    goal = forms.CharField(
        label="What you want from the meeting",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


# -- owner: API keys and webhooks (the services in `api` validate) ---------------------------


class ApiKeyForm(Form):
    name = forms.CharField(
        label="Name", max_length=200, help_text="What uses the key, e.g. “CRM sync”."
    )
    scope = forms.ChoiceField(label="Access", choices=KeyScope.choices, initial=KeyScope.READ)


class WebhookEndpointForm(Form):
    # A plain text field: the service says what a valid address is, next to this field.
    url = forms.CharField(
        label="Address (URL)",
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/warmpath-hooks"}),
    )
    description = forms.CharField(label="Description", max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label="Events to send",
        choices=[(value, f"{label} ({value})") for value, label in WEBHOOK_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
