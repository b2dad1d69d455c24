"""What an export contains: one file per record type, each column in a fixed order and described
in plain words (the README in the zip is written from this).

A client's export holds that client's search; the practice's export holds every search plus the
practice's own records (members, invitations, settings, the audit log, API keys, webhooks).
Columns are the database columns in the order listed here, minus the few listed in
`NOT_EXPORTED` (secrets and raw uploads), plus the client's name and email where they help a
reader. tests/lifecycle/test_export.py fails when a model gains a column this file does not
describe, so the README can never fall behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection, models
from django.db.models import F, QuerySet

from accounts.models import Invitation, User
from audit.models import AuditEvent
from coaching.capture.models import (
    CapturedEvent,
    CapturedInteraction,
    CaptureSettings,
    InboundAddress,
    InboundMail,
    ReviewState,
)
from coaching.insights.models import (
    FindingDisposition,
    HiddenFinding,
    PracticeDiagnosticsSettings,
    WeeklySnapshot,
)
from coaching.lifecycle.models import DeletionRequest, RetentionPolicy
from coaching.models import (
    ActivityEvent,
    Application,
    Client,
    Contact,
    Feedback,
    FollowUp,
    ImportJob,
    Interaction,
    Introduction,
    Meeting,
    PresentationCheck,
)
from coaching.notes.models import ActionItem, SessionNote
from integrations.models import ApiKey, WebhookEndpoint
from tenants.models import Practice

# Columns left out on purpose, and why (the README says so too).
NOT_EXPORTED: dict[type[models.Model], dict[str, str]] = {
    User: {
        "password": "Passwords are stored only as one-way hashes, useless outside Warmpath.",
        "is_superuser": "Warmpath's own administration flag; never set for a practice's members.",
        "is_staff": "Warmpath's own administration flag; never set for a practice's members.",
    },
    ImportJob: {"payload": "The uploaded file itself: you have it, and it is not kept for long."},
    ApiKey: {"hashed_key": "Keys are stored only as one-way hashes, useless outside Warmpath."},
    WebhookEndpoint: {"secret": "The signing secret: a credential, shown once when made."},
    Practice: {
        "schema_name": "Where Warmpath keeps the practice's data internally.",
        "is_spare": "An internal flag for practices not yet signed up; always false here.",
    },
    PracticeDiagnosticsSettings: {"singleton": "Internal: there is one row per practice."},
    RetentionPolicy: {"singleton": "Internal: there is one row per practice."},
    CaptureSettings: {"singleton": "Internal: there is one row per practice."},
    InboundAddress: {"secret": "The address's secret part: a credential, like a password."},
    InboundMail: {"raw": "The message itself: kept only until it is read, then emptied."},
}

COMMON = {
    "id": "The record's number in Warmpath; the same number the API uses.",
    "created_at": "When the record was created in Warmpath.",
    "updated_at": "When the record last changed in Warmpath.",
    "client_id": "The client whose search this belongs to (the id in clients.csv).",
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    description: str
    field: models.Field[Any, Any] | None  # None for a column that is not a field of the model


@dataclass(frozen=True, slots=True)
class RecordType:
    name: str  # the file name, without .json/.csv
    description: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    per_client: bool  # the rows belong to one client's search
    rows: Callable[[int | None], QuerySet[Any]]  # the rows (of one client, or all) as dicts


def _columns(
    model: type[models.Model], described: dict[str, str], extras: dict[str, str] | None = None
) -> tuple[Column, ...]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    names = list(described)
    missing = set(fields) - set(names) - set(NOT_EXPORTED.get(model, {}))
    if missing:
        raise LookupError(f"{model.__name__} columns without a description: {sorted(missing)}")
    columns = [
        Column(name, described[name] or COMMON[name], fields.get(name))
        for name in names
        if name in fields
    ]
    return (*columns, *(Column(n, d, None) for n, d in (extras or {}).items()))


def _values(
    model: type[models.Model],
    columns: tuple[Column, ...],
    *,
    client_field: str | None,
    annotations: dict[str, Any] | None = None,
) -> Callable[[int | None], QuerySet[Any]]:
    def rows(client_id: int | None) -> QuerySet[Any]:
        queryset = model._default_manager.all()
        if client_id is not None and client_field is not None:
            queryset = queryset.filter(**{client_field: client_id})
        if annotations:
            queryset = queryset.annotate(**annotations)
        return queryset.order_by("pk").values(*(c.name for c in columns))

    return rows


def _search_record(
    name: str,
    description: str,
    model: type[models.Model],
    described: dict[str, str],
    *,
    client_field: str = "client_id",
    extras: dict[str, tuple[str, Any]] | None = None,
) -> RecordType:
    extra_descriptions = {k: d for k, (d, _) in (extras or {}).items()}
    columns = _columns(model, described, extra_descriptions)
    annotations = {k: expr for k, (_, expr) in (extras or {}).items()}
    return RecordType(
        name=name,
        description=description,
        model=model,
        columns=columns,
        per_client=True,
        rows=_values(model, columns, client_field=client_field, annotations=annotations),
    )


def _practice_record(
    name: str, description: str, model: type[models.Model], described: dict[str, str]
) -> RecordType:
    columns = _columns(model, described)
    return RecordType(
        name=name,
        description=description,
        model=model,
        columns=columns,
        per_client=False,
        rows=_values(model, columns, client_field=None),
    )


def _this_practice(columns: tuple[Column, ...]) -> Callable[[int | None], QuerySet[Any]]:
    def rows(_client_id: int | None) -> QuerySet[Any]:
        schema = str(getattr(connection, "schema_name", ""))
        return (
            Practice.objects.filter(schema_name=schema)
            .order_by("pk")
            .values(*(c.name for c in columns))
        )

    return rows


CLIENTS = _search_record(
    "clients",
    "The client's search (one row per client): who they are, who coaches them, and the "
    "coach's settings and judgements for the search.",
    Client,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "user_id": "The client's account (the id in members.csv of a practice export).",
        "coach_id": "The coach's account (the id in members.csv of a practice export).",
        "headline": "The client's one-line professional headline.",
        "target_roles": "The roles the client is aiming for, each with its role family "
        '(JSON list, e.g. [{"role": "Data engineer", "family": "data"}]).',
        "search_started_on": "The day the job search started.",
        "status": "Where the search stands.",
        "landed_on": "The day the client landed a job (empty unless landed).",
        "weekly_outreach_goal": "How many different people the client aims to reach each week.",
        "time_zone": "The client's time zone: it decides which day something happened.",
        "leaving_story": "The client's story of why they left (or are leaving) their last job.",
        "leaving_story_verdict": "The coach's verdict on that story.",
        "report_shared_with_client": "Whether the client sees their diagnostic report.",
        "threshold_overrides": "The coach's changes to the diagnostic thresholds for this "
        "client only (JSON; see docs/diagnostics.md).",
        "archived_at": "When the coach archived the search (empty unless archived).",
    },
    client_field="pk",
    extras={
        "name": ("The client's name.", F("user__name")),
        "email": ("The client's email address (how they sign in).", F("user__email")),
    },
)

PRESENTATION = _search_record(
    "presentation_checks",
    "The coach's presentation checklist: one row per item reviewed (resume, LinkedIn, other "
    "public profiles).",
    PresentationCheck,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "item": "What was reviewed.",
        "state": "The coach's verdict on it.",
        "note": "The coach's note.",
        "reviewed_at": "When the coach last reviewed it.",
    },
)

CONTACTS = _search_record(
    "contacts",
    "The people in the client's network.",
    Contact,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "name": "The contact's name.",
        "company": "Where they work.",
        "company_key": "The company name as Warmpath compares it (lower case, single spaces).",
        "title": "Their job title.",
        "email": "Their email address (stored in lower case).",
        "linkedin_url": "Their LinkedIn profile address.",
        "is_hiring_authority": "Whether they can hire for the roles the client wants.",
        "is_key_influencer": "Whether they carry weight with those who hire.",
        "how_met": "How the client knows them.",
        "first_met_on": "The day the client first met them.",
        "willingness": "Whether they are willing to help.",
        "tags": "The client's labels for them (JSON list of text).",
        "notes": "Notes about them.",
    },
)

APPLICATIONS = _search_record(
    "applications",
    "Opportunities: posted jobs the client applied to, and roles an introduction aims at.",
    Application,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "company": "The employer's name.",
        "company_key": "The employer's name as Warmpath compares it (lower case, single spaces).",
        "role": "The job title of the role.",
        "role_family": "The family of roles it belongs to (e.g. data), matched against the "
        "client's targets.",
        "source": "How the opportunity came about.",
        "posting_seen_on": "The day the posting appeared.",
        "posting_url": "The address of the job posting.",
        "first_outreach_on": "The day of the client's first outreach to the company.",
        "fit_rating": "The coach's rating of how well the role fits the client.",
        "status": "Where the application stands.",
        "applied_on": "The day the client applied.",
        "last_employer_contact_on": "The day the employer was last in touch.",
        "last_client_action_on": "The day the client last did something about it.",
        "note": "A note about it.",
    },
)

INTERACTIONS = _search_record(
    "interactions",
    "Every message, call or meeting between the client and a contact.",
    Interaction,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "contact_id": "The contact it was with (the id in contacts.csv).",
        "occurred_at": "When it happened.",
        "channel": "How (email, phone, LinkedIn, ...).",
        "direction": "Who reached out: the client (outbound) or the contact (inbound).",
        "kind": "What it was.",
        "replied_at": "When the contact answered this outbound message (empty if not yet).",
        "note": "A note about it.",
    },
)

INTRODUCTIONS = _search_record(
    "introductions",
    "Introductions and referrals: one contact (the introducer) connecting the client to "
    "another (the target), with every step dated.",
    Introduction,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "kind": "An introduction or a referral.",
        "introducer_id": "The contact who made the introduction (the id in contacts.csv).",
        "target_id": "The contact the client was introduced to (the id in contacts.csv).",
        "application_id": "The opportunity it aims at, if any (the id in applications.csv).",
        "requested_at": "When the client asked for it.",
        "made_at": "When the introducer made it; from then on the target expects contact.",
        "first_contact_at": "When the client first contacted the target.",
        "thanked_at": "When the client thanked the introducer.",
        "outcome_reported_at": "When the client told the introducer how it went.",
        "reached_hiring_authority_at": "When it led to someone who can hire.",
        "status": "Open, closed or abandoned.",
        "ended_at": "When it was closed or abandoned.",
        "abandon_reason": "Why it was abandoned (empty unless abandoned).",
        "note": "A note about it.",
    },
)

MEETINGS = _search_record(
    "meetings",
    "Meetings with contacts: scheduled, held or cancelled, with the client's preparation.",
    Meeting,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "contact_id": "Who the meeting is with (the id in contacts.csv).",
        "introduction_id": "The introduction it came from, if any (the id in introductions.csv).",
        "application_id": "The opportunity it is about, if any (the id in applications.csv).",
        "scheduled_for": "When it is (or was) held.",
        "purpose": "What it is for.",
        "status": "Scheduled, held, cancelled or missed.",
        "prepared_at": "When the client recorded their preparation.",
        "prep_company_research": "What the client learned about the company beforehand.",
        "prep_questions": "The questions the client prepared.",
        "prep_goal": "What the client wanted from the meeting.",
        "cancelled_at": "When it was cancelled.",
        "thanked_at": "When the client thanked the contact afterwards.",
        "note": "A note about it.",
    },
)

FOLLOW_UPS = _search_record(
    "follow_ups",
    "Follow-ups the client scheduled with contacts.",
    FollowUp,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "contact_id": "Who to follow up with (the id in contacts.csv).",
        "due_on": "The day it is due, in the client's time zone.",
        "channel": "How to follow up.",
        "done_at": "When it was done (empty while open).",
        "interaction_id": "The message that completed it (the id in interactions.csv).",
        "note": "A note about it.",
    },
)

FEEDBACK = _search_record(
    "feedback",
    "What the coach or an introducer said about how the client comes across.",
    Feedback,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "source": "Who gave it.",
        "contact_id": "The introducer who gave it, if one did (the id in contacts.csv).",
        "about": "What it is about.",
        "note": "What was said.",
        "received_on": "The day it was given.",
        "recorded_by_id": "The member who recorded it (the id in members.csv of a practice "
        "export).",
    },
)

TIMELINE = _search_record(
    "timeline",
    "The search's timeline: one row per change, with who made it and what changed.",
    ActivityEvent,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "actor_id": "The member who made the change (empty for an import or Warmpath itself).",
        "verb": "What happened, e.g. interaction.recorded.",
        "subject_type": "The kind of record it happened to (contact, interaction, ...).",
        "subject_id": "That record's id (in the file of that kind).",
        "at": "When it happened.",
        "changes": "The values recorded or changed (JSON; a change is [before, after]).",
    },
)

IMPORTS = _search_record(
    "imports",
    "CSV imports into the search (the files themselves are not included).",
    ImportJob,
    {
        "id": "",
        "created_at": "",
        "updated_at": "",
        "client_id": "",
        "kind": "What the file held.",
        "mode": "All or nothing, or the good rows with the rest listed.",
        "status": "How the import ended (or where it is).",
        "filename": "The name of the uploaded file.",
        "encoding": "The text encoding the file was read with.",
        "total_rows": "Rows in the file.",
        "processed_rows": "Rows checked so far.",
        "errors": "The problems found, by line (JSON list).",
        "dropped": "Values left out of rows imported without them, by line (JSON list).",
        "summary": "What was imported (JSON: counts of records created, merged, ...).",
        "created_by_id": "The member who uploaded it.",
        "attempts": "How many times the import was started.",
        "started_at": "When the import started.",
        "finished_at": "When it finished.",
    },
)

FINDING_DECISIONS = _search_record(
    "finding_decisions",
    "The coach's decisions on diagnostic findings (acknowledged, or not applicable).",
    FindingDisposition,
    {
        "id": "",
        "client_id": "",
        "finding_key": "The finding decided on: its failure code and the record it is about.",
        "code": "The failure code (see docs/diagnostics.md).",
        "state": "The coach's decision on the finding.",
        "note": "The coach's reason.",
        "note_shared": "Whether the coach showed the note in the report shared with the client.",
        "decided_on": "The day of the decision.",
        "expires_on": "The day the decision ends (empty: until withdrawn).",
        "decided_by_id": "The member who decided.",
        "created_at": "",
    },
)

HIDDEN_FINDINGS = _search_record(
    "hidden_findings",
    "Findings the coach kept out of the report shared with the client.",
    HiddenFinding,
    {
        "id": "",
        "client_id": "",
        "finding_key": "The finding kept out: its failure code and the record it is about.",
        "hidden_by_id": "The member who hid it.",
        "created_at": "",
    },
)

WEEKLY_STATUS = _search_record(
    "weekly_status",
    "The search's diagnosed status, one row per week (kept so trends can be shown).",
    WeeklySnapshot,
    {
        "id": "",
        "client_id": "",
        "week_start": "The Monday of the week.",
        "as_of": "The day it was diagnosed.",
        "status": "The search's status that day.",
        "days_without_progress": "Days since the search last made progress.",
        "weekly_goal": "The weekly outreach goal in force.",
        "average_weekly_reach": "Different people reached per week, over the last 4 weeks.",
        "open_codes": "The failure codes that counted (JSON list).",
        "findings": "The findings, with their evidence and advice (JSON list).",
        "counts": "Findings by severity (JSON).",
        "engine_version": "The version of the diagnostics that produced it.",
        "computed_at": "When it was computed.",
    },
)

_PRACTICE_COLUMNS = _columns(
    Practice,
    {
        "id": "The practice's number in Warmpath.",
        "name": "The practice's name.",
        "slug": "The practice's address on Warmpath (<slug>.<Warmpath's domain>).",
        "owner_email": "The email the practice was signed up with.",
        "time_zone": "The practice's time zone.",
        "mfa_required": "Whether everyone must use two-step sign-in.",
        "created_at": "When the practice was created.",
        "logo_updated_at": "When the practice's logo was last changed (empty: no logo).",
    },
)
PRACTICE = RecordType(
    name="practice",
    description="The practice itself (one row).",
    model=Practice,
    columns=_PRACTICE_COLUMNS,
    per_client=False,
    rows=_this_practice(_PRACTICE_COLUMNS),
)

MEMBERS = _practice_record(
    "members",
    "Everyone who can sign in: the owner, coaches and clients.",
    User,
    {
        "id": "The member's number (the ids in other files point here).",
        "email": "Their email address (how they sign in).",
        "name": "Their name.",
        "role": "Owner, coach or client.",
        "is_active": "Whether they can sign in (false: deactivated).",
        "date_joined": "When they joined.",
        "last_login": "When they last signed in.",
    },
)

INVITATIONS = _practice_record(
    "invitations",
    "Invitations to join the practice.",
    Invitation,
    {
        "id": "",
        "email": "Who was invited.",
        "name": "Their name, as typed by the owner.",
        "role": "The role they were invited as.",
        "invited_by_id": "The member who invited them.",
        "coach_id": "For a client: the coach they were to be assigned to.",
        "created_at": "When the invitation was sent.",
        "accepted_at": "When it was accepted.",
        "accepted_user_id": "The member account it became.",
        "revoked_at": "When it was withdrawn.",
    },
)

PRACTICE_THRESHOLDS = _practice_record(
    "practice_thresholds",
    "The practice's changes to the diagnostic thresholds (one row, if any were made).",
    PracticeDiagnosticsSettings,
    {
        "id": "",
        "threshold_overrides": "The changed thresholds (JSON; see docs/diagnostics.md).",
        "updated_at": "",
        "updated_by_id": "The member who last changed them.",
    },
)

RETENTION = _practice_record(
    "retention",
    "The practice's rule for deleting ended searches (one row, if the owner set one).",
    RetentionPolicy,
    {
        "id": "",
        "landed_months": "Landed searches are deleted this many months after landing "
        "(empty: kept).",
        "updated_at": "",
        "updated_by_id": "The member who last changed it.",
    },
)

DELETIONS = _practice_record(
    "deletion_requests",
    "Deletions asked for (or scheduled by the retention rule), by record number only.",
    DeletionRequest,
    {
        "id": "",
        "kind": "What was (or is to be) deleted.",
        "record_id": "The contact's or client's id (empty for the practice).",
        "client_id": "The client whose search it was.",
        "coach_id": "The client's coach when it was asked for.",
        "reason": "Why: asked for by a member, or the retention rule.",
        "status": "Scheduled, undone or deleted.",
        "requested_by_id": "The member who asked (empty for the retention rule).",
        "requested_at": "When it was asked for.",
        "due_at": "When the deletion happens (or happened).",
        "done_at": "When it was done.",
        "cancelled_at": "When it was undone.",
        "cancelled_by_id": "The member who undid it.",
        "user_was_active": "Whether the client could sign in before it was scheduled.",
        "ended_on": "For the retention rule: the landing day it counted from.",
        "created_at": "",
        "updated_at": "",
    },
)

AUDIT_LOG = _practice_record(
    "audit_log",
    "The audit log: who did what to members, keys, webhooks, billing, settings and data, "
    "and every sign-in.",
    AuditEvent,
    {
        "id": "",
        "at": "When it happened.",
        "action": "What was done.",
        "practice": "The practice's internal name when it happened.",
        "actor_id": "The member who did it (empty for Warmpath itself or an unknown person).",
        "actor_label": "Who did it, as it was then (email, API key or Warmpath).",
        "via": "Where from: web, api or job.",
        "object_type": "The kind of record it was done to.",
        "object_id": "That record's id.",
        "object_label": "That record, in words, as it was then.",
        "ip": "The network address it came from.",
        "details": "More about it (JSON).",
    },
)

API_KEYS = _practice_record(
    "api_keys",
    "API keys issued by the owner (the secrets themselves are never stored).",
    ApiKey,
    {
        "id": "The key's internal id.",
        "prefix": "The key's public id (the part before the dot).",
        "created": "When it was issued.",
        "name": "What it is for.",
        "revoked": "Whether it was revoked.",
        "expiry_date": "When it stops working by itself.",
        "scope": "What the key may do: read, or read and write.",
        "acts_as_id": "The member it acts as.",
        "created_by_id": "The member who issued it.",
        "last_used_at": "When it was last used.",
        "revoked_at": "When it was revoked.",
    },
)

WEBHOOKS = _practice_record(
    "webhooks",
    "Webhook endpoints: where Warmpath tells other tools about changes.",
    WebhookEndpoint,
    {
        "id": "",
        "url": "The receiver's address.",
        "description": "What it is for.",
        "events": "The events it receives (JSON list).",
        "is_active": "Whether deliveries are sent.",
        "consecutive_failures": "Deliveries in a row that failed every retry.",
        "disabled_at": "When Warmpath turned it off after too many failures.",
        "disabled_reason": "Why it was turned off.",
        "created_by_id": "The member who added it.",
        "created_at": "",
        "updated_at": "",
    },
)

CAPTURED = _search_record(
    "captured",
    "Exchanges captured from a LinkedIn archive or from mail sent to the client's private "
    "address, one row per exchange and person: waiting for the client's review, confirmed "
    "(then `interaction_id` is the interaction it became) or left out by the client.",
    CapturedInteraction,
    {
        "id": "",
        "client_id": "",
        "source": "Where it was captured: the LinkedIn archive or forwarded email.",
        "key": "What makes it the same exchange when captured again (derived from the message).",
        "thread_key": "The conversation or mail thread it belongs to.",
        "contact_id": "The contact it is with (empty while the person is a new one proposed).",
        "person_name": "The proposed new person's name.",
        "person_email": "The proposed new person's email address.",
        "person_linkedin_url": "The proposed new person's LinkedIn profile address.",
        "person_how_met": "How the client met the proposed new person.",
        "occurred_at": "When the exchange happened.",
        "channel": "How it happened.",
        "direction": "Who wrote: the client (outbound) or the other person (inbound).",
        "kind": "What kind of exchange it is.",
        "answers_id": "The client's captured message this one answers (a reply).",
        "subject": "The subject, only if the practice keeps message text.",
        "content": "The message text, only if the practice keeps message text.",
        "state": "Waiting for the client, confirmed, or left out by the client.",
        "interaction_id": "The interaction it became once confirmed.",
        "import_job_id": "The archive import that captured it (the id in imports.csv).",
        "captured_at": "When it was captured.",
        "decided_at": "When the client confirmed it or left it out.",
    },
)

CAPTURED_EVENTS = _search_record(
    "captured_events",
    "Calendar events (each occurrence of a recurring one) already turned into meetings, so "
    "that the same invitation sent again moves or cancels its meeting instead of adding one.",
    CapturedEvent,
    {
        "id": "",
        "client_id": "",
        "key": "The event's calendar identifier (UID) and, for a recurring event, the start.",
        "sequence": "The last version of the event applied.",
        "meeting_id": "The meeting it became (the id in meetings.csv).",
        "captured_at": "When it was captured.",
    },
)

INBOUND_ADDRESSES = _search_record(
    "inbound_addresses",
    "The client's private addresses for forwarded and BCC'd mail (the secret part is left out).",
    InboundAddress,
    {
        "id": "",
        "client_id": "",
        "created_at": "",
        "created_by_id": "The member who made it.",
        "revoked_at": "When it was turned off (empty: it still receives mail).",
    },
)

INBOUND_MAIL = _search_record(
    "inbound_mail",
    "Messages received at the client's private address: when, how and what came of them "
    "(the messages themselves are not kept once read).",
    InboundMail,
    {
        "id": "",
        "client_id": "",
        "address_id": "The private address it was sent to (the id in inbound_addresses.csv).",
        "message_id": "The message's own identifier (its Message-ID header).",
        "via": "How it arrived: smtp (Warmpath's mail server) or https (a mail provider).",
        "status": "Waiting to be read, read, or could not be read.",
        "summary": "What reading it found, in counts (JSON).",
        "error": "Why it could not be read.",
        "attempts": "How many times it was read.",
        "received_at": "When it arrived.",
        "updated_at": "",
        "processed_at": "When it was read.",
    },
)

CAPTURE_SETTINGS = _practice_record(
    "capture_settings",
    "The practice's choice for capture: whether message text is kept.",
    CaptureSettings,
    {
        "id": "",
        "store_message_content": "Whether the text of captured messages is kept.",
        "updated_at": "",
        "updated_by_id": "The member who last changed it.",
    },
)

# Captured exchanges are the client's until they confirm them (one left waiting or left out may
# be personal): an export anyone else asks for holds only the confirmed ones, the record the
# coach sees anyway, and none of the mail received at the client's address (its file is empty).
CLIENT_ONLY_FILES = frozenset({"inbound_mail"})
CLIENT_REVIEWED_FILES = frozenset({"captured"})


def for_others_than_the_client(records: tuple[RecordType, ...]) -> tuple[RecordType, ...]:
    """`records` as an export asked for by the coach or the owner holds them."""

    def narrowed(record: RecordType) -> RecordType:
        everything = record.rows
        if record.name in CLIENT_ONLY_FILES:
            return replace(record, rows=lambda cid: everything(cid).none())
        if record.name in CLIENT_REVIEWED_FILES:
            return replace(
                record, rows=lambda cid: everything(cid).filter(state=ReviewState.CONFIRMED)
            )
        return record

    return tuple(narrowed(r) for r in records)


SESSION_NOTES = _search_record(
    "session_notes",
    "The coach's private notes of their sessions with the client (never in the client's export).",
    SessionNote,
    {
        "id": "",
        "client_id": "",
        "author_id": "The member who wrote the note.",
        "held_on": "The day of the session, in the client's time zone.",
        "body": "The note.",
        "created_at": "",
        "updated_at": "",
    },
)

ACTION_ITEMS = _search_record(
    "action_items",
    "What the client agreed to do in a session; shown on their Today until done.",
    ActionItem,
    {
        "id": "",
        "client_id": "",
        "text": "What the client agreed to do.",
        "due_on": "The day it should be done by (empty: no day).",
        "created_by_id": "The member who wrote it down.",
        "created_at": "",
        "done_at": "When it was marked done (empty: still open).",
        "done_by_id": "Who marked it done: the client or a member.",
    },
)

# The diagnostic files a client sees only once the coach shares the report.
REPORT_FILES = frozenset({"finding_decisions", "hidden_findings", "weekly_status"})
# The coach's own files: their notes and what they keep out of the shared report. A client's
# export leaves them out even once the report is shared (`insights.client_report`).
COACH_FILES = frozenset({"finding_decisions", "hidden_findings", "session_notes"})

SEARCH_TYPES: tuple[RecordType, ...] = (
    CLIENTS,
    PRESENTATION,
    CONTACTS,
    APPLICATIONS,
    INTERACTIONS,
    INTRODUCTIONS,
    MEETINGS,
    FOLLOW_UPS,
    FEEDBACK,
    TIMELINE,
    IMPORTS,
    FINDING_DECISIONS,
    HIDDEN_FINDINGS,
    WEEKLY_STATUS,
    CAPTURED,
    CAPTURED_EVENTS,
    INBOUND_ADDRESSES,
    INBOUND_MAIL,
    SESSION_NOTES,
    ACTION_ITEMS,
)
PRACTICE_TYPES: tuple[RecordType, ...] = (
    PRACTICE,
    MEMBERS,
    INVITATIONS,
    *SEARCH_TYPES,
    PRACTICE_THRESHOLDS,
    RETENTION,
    CAPTURE_SETTINGS,
    DELETIONS,
    AUDIT_LOG,
    API_KEYS,
    WEBHOOKS,
)


def exported_models() -> set[type[models.Model]]:
    return {record.model for record in PRACTICE_TYPES}
