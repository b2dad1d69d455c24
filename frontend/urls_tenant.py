"""Pages on a practice's host (included from config.urls_tenant)."""

from django.urls import path

from frontend.views import (
    capture,
    clients,
    dashboard,
    data,
    integrations,
    notes,
    people,
    pipeline,
    portal,
    portal_records,
    practice,
    security,
    settings,
)
from frontend.views.records import applications as record_applications
from frontend.views.records import clients as record_clients
from frontend.views.records import contacts as record_contacts
from frontend.views.records import feedback as record_feedback
from frontend.views.records import follow_ups as record_follow_ups
from frontend.views.records import interactions as record_interactions
from frontend.views.records import introductions as record_introductions
from frontend.views.records import meetings as record_meetings
from frontend.views.records import removal as record_removal

# Every record of a search in the coach's browser (frontend/views/records/, docs/workspace.md).
C = "clients/<int:client_id>/"
RECORD_PAGES = [
    path(C + "edit/", record_clients.client_edit, name="client_edit"),
    path(C + "status/", record_clients.client_status, name="client_status"),
    path(C + "reassign/", record_clients.client_reassign_page, name="client_reassign"),
    path(C + "archive/", record_clients.client_archive_page, name="client_archive"),
    path(C + "contacts/new/", record_contacts.contact_new, name="contact_new"),
    path(C + "contacts/<int:contact_id>/edit/", record_contacts.contact_edit, name="contact_edit"),
    path(
        C + "contacts/<int:contact_id>/merge/",
        record_contacts.contact_merge_page,
        name="contact_merge",
    ),
    path(C + "interactions/new/", record_interactions.interaction_new, name="interaction_new"),
    path(
        C + "interactions/<int:pk>/edit/",
        record_interactions.interaction_edit,
        name="interaction_edit",
    ),
    path(C + "introductions/new/", record_introductions.introduction_new, name="introduction_new"),
    path(
        C + "introductions/<int:pk>/",
        record_introductions.introduction_page,
        name="introduction_page",
    ),
    path(
        C + "introductions/<int:pk>/steps/<str:step>/",
        record_introductions.introduction_step,
        name="introduction_step",
    ),
    path(
        C + "introductions/<int:pk>/end/",
        record_introductions.introduction_end,
        name="introduction_end",
    ),
    path(
        C + "introductions/<int:pk>/remove/",
        record_removal.introduction_remove_page,
        name="introduction_remove",
    ),
    path(C + "follow-ups/new/", record_follow_ups.follow_up_new, name="follow_up_new"),
    path(C + "follow-ups/<int:pk>/", record_follow_ups.follow_up_page, name="follow_up_page"),
    path(C + "follow-ups/<int:pk>/done/", record_follow_ups.follow_up_done, name="follow_up_done"),
    path(
        C + "follow-ups/<int:pk>/remove/",
        record_removal.follow_up_remove_page,
        name="follow_up_remove",
    ),
    path(C + "applications/new/", record_applications.application_new, name="application_new"),
    path(
        C + "applications/<int:pk>/",
        record_applications.application_edit,
        name="application_edit",
    ),
    path(
        C + "applications/<int:pk>/move/",
        record_applications.application_move,
        name="application_move",
    ),
    path(
        C + "applications/<int:pk>/remove/",
        record_removal.application_remove_page,
        name="application_remove",
    ),
    path(C + "meetings/new/", record_meetings.meeting_new, name="meeting_new"),
    path(C + "meetings/<int:pk>/", record_meetings.meeting_page, name="meeting_page"),
    path(C + "meetings/<int:pk>/outcome/", record_meetings.meeting_outcome, name="meeting_outcome"),
    path(C + "meetings/<int:pk>/prepare/", record_meetings.meeting_prepare, name="meeting_prepare"),
    path(
        C + "meetings/<int:pk>/remove/", record_removal.meeting_remove_page, name="meeting_remove"
    ),
    path(C + "feedback/new/", record_feedback.feedback_new, name="feedback_new"),
    path(
        C + "feedback/<int:pk>/remove/",
        record_removal.feedback_remove_page,
        name="feedback_remove",
    ),
    path(C + "pipeline/", pipeline.client_pipeline, name="client_pipeline"),
    path("pipeline/", pipeline.pipeline, name="pipeline"),
]

urlpatterns = [
    path("", practice.home, name="practice_home"),
    path("auth/handoff/", practice.login_handoff, name="login_handoff"),
    path("invitations/<str:token>/", practice.invitation, name="invitation_accept"),
    path("members/", practice.members, name="members"),
    path("members/<int:member_id>/", security.member_action, name="member_action"),
    path("members/security/", security.practice_mfa, name="practice_mfa"),
    path(
        "members/invitations/<int:invitation_id>/",
        security.invitation_action,
        name="invitation_action",
    ),
    path("account/security/", security.account_security, name="account_security"),
    path(
        "account/confirm-email/",
        security.email_confirmation_resend,
        name="email_confirmation_resend",
    ),
    path("settings/audit/", security.audit_log, name="audit_log"),
    path("settings/", settings.practice_settings, name="practice_settings"),
    path("settings/profile/", settings.practice_profile, name="practice_profile"),
    path("practice-logo/<int:version>/", settings.practice_logo, name="practice_logo"),
    path("settings/api-keys/", integrations.api_keys, name="api_keys"),
    path(
        "settings/api-keys/<str:prefix>/revoke/",
        integrations.revoke_api_key,
        name="api_key_revoke",
    ),
    path("settings/webhooks/", integrations.webhooks, name="webhooks"),
    path(
        "settings/webhooks/<int:endpoint_id>/", integrations.webhook_detail, name="webhook_detail"
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/switch/",
        integrations.webhook_switch,
        name="webhook_switch",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/rotate-secret/",
        integrations.webhook_rotate_secret,
        name="webhook_rotate_secret",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/ping/", integrations.webhook_ping, name="webhook_ping"
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        integrations.webhook_redeliver,
        name="webhook_redeliver",
    ),
    # the coach's pages
    *RECORD_PAGES,
    path("report/", dashboard.report, name="practice_report"),
    path("clients/<int:client_id>/", clients.client_page, name="client_page"),
    path("clients/<int:client_id>/goal/", clients.client_goal, name="client_goal"),
    path(
        "clients/<int:client_id>/thresholds/", clients.client_thresholds, name="client_thresholds"
    ),
    path("clients/<int:client_id>/sharing/", clients.client_sharing, name="client_sharing"),
    path(
        "clients/<int:client_id>/leaving-story/",
        clients.client_leaving_story,
        name="client_leaving_story",
    ),
    path(
        "clients/<int:client_id>/presentation/",
        clients.client_presentation,
        name="client_presentation",
    ),
    path("clients/<int:client_id>/import/", clients.client_import, name="client_import"),
    path(
        "clients/<int:client_id>/contacts/<int:contact_id>/",
        clients.contact_page,
        name="contact_page",
    ),
    path(
        "clients/<int:client_id>/interactions/<int:pk>/remove/",
        clients.interaction_remove_page,
        name="interaction_remove",
    ),
    path(
        "clients/<int:client_id>/records/<str:kind>/<int:pk>/",
        clients.record_link,
        name="record_link",
    ),
    path(
        "clients/<int:client_id>/findings/",
        clients.client_disposition,
        name="client_disposition",
    ),
    path(
        "clients/<int:client_id>/findings/visibility/",
        clients.client_finding_visibility,
        name="client_finding_visibility",
    ),
    path(
        "clients/<int:client_id>/findings/withdraw/",
        clients.client_disposition_withdraw,
        name="client_disposition_withdraw",
    ),
    path(
        "clients/<int:client_id>/report.pdf",
        clients.client_report_pdf,
        name="client_report_pdf",
    ),
    path("imports/<int:job_id>/", clients.import_progress, name="import_progress"),
    # finding people (frontend/views/people.py)
    path("clients/<int:client_id>/contacts/", people.client_contacts, name="client_contacts"),
    path("people/who-knows/", people.who_knows, name="who_knows"),
    # the coach's own records: session notes, action items (frontend/views/notes.py)
    path("clients/<int:client_id>/notes/", notes.client_notes, name="client_notes"),
    path(
        "clients/<int:client_id>/notes/<int:pk>/",
        notes.session_note_edit,
        name="session_note_edit",
    ),
    path(
        "clients/<int:client_id>/actions/<int:pk>/",
        notes.action_item_change,
        name="action_item_change",
    ),
    path("my/actions/<int:pk>/done/", notes.portal_action_done, name="portal_action_done"),
    # "Your data": exports, deletion, retention (frontend/views/data.py)
    path("clients/<int:client_id>/data/", data.client_data, name="client_data"),
    path("clients/<int:client_id>/export/", data.client_export, name="client_export"),
    path("clients/<int:client_id>/delete/", data.client_delete, name="client_delete"),
    path(
        "clients/<int:client_id>/contacts/<int:contact_id>/delete/",
        data.contact_delete_page,
        name="contact_delete",
    ),
    path("deletions/<int:request_id>/undo/", data.deletion_undo, name="deletion_undo"),
    path("exports/<int:export_id>/", data.export_page, name="export_page"),
    path("exports/<int:export_id>/download/", data.export_download, name="export_download"),
    path("settings/data/", data.practice_data, name="practice_data"),
    path("my/data/", data.portal_data, name="portal_data"),
    # the client's portal
    path("log/", portal.log, name="portal_log"),
    path("log/undo/", portal.log_undo, name="portal_log_undo"),
    path("log/settle/", portal.log_settle, name="portal_log_settle"),
    path("my/contacts/", portal.contacts, name="portal_contacts"),
    path("my/import/", portal.import_page, name="portal_import"),
    path("my/introductions/", portal.introductions, name="portal_introductions"),
    path(
        "my/introductions/<int:pk>/contacted/",
        portal.introduction_contacted,
        name="portal_intro_contacted",
    ),
    path("my/follow-ups/", portal_records.follow_ups, name="portal_follow_ups"),
    path(
        "my/follow-ups/<int:pk>/done/",
        portal_records.follow_up_done,
        name="portal_follow_up_done",
    ),
    path(
        "my/follow-ups/<int:pk>/move/",
        portal_records.follow_up_move,
        name="portal_follow_up_move",
    ),
    path("my/applications/", portal_records.applications, name="portal_applications"),
    path(
        "my/applications/<int:pk>/stage/",
        portal_records.application_stage,
        name="portal_application_stage",
    ),
    path("my/contacts/<int:pk>/edit/", portal_records.contact_edit, name="portal_contact_edit"),
    path("my/owed/<str:what>/<int:pk>/", portal.owed_done, name="portal_owed_done"),
    path("my/meetings/", portal.meetings, name="portal_meetings"),
    path("my/meetings/<int:pk>/prepare/", portal.meeting_prepare, name="portal_meeting_prepare"),
    path("my/meetings/<int:pk>/outcome/", portal.meeting_outcome, name="portal_meeting_outcome"),
    path("my/report/", portal.report, name="portal_report"),
    # capture: archives, calendar files, the inbound address, review (frontend/views/capture.py)
    path("my/capture/", capture.portal_capture, name="portal_capture"),
    path("clients/<int:client_id>/capture/", capture.client_capture, name="client_capture"),
    path("clients/<int:client_id>/capture/upload/", capture.capture_upload, name="capture_upload"),
    path("settings/capture/", capture.capture_settings, name="capture_settings"),
    path("my/capture/address/", capture.address_rotate, name="capture_address_rotate"),
    path("my/capture/address/off/", capture.address_revoke, name="capture_address_revoke"),
    path("my/capture/review/", capture.review, name="capture_review"),
]
