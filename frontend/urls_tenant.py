"""Pages on a practice's host (included from config.urls_tenant)."""

from django.urls import path

from frontend.views import (
    capture,
    clients,
    dashboard,
    data,
    integrations,
    portal,
    practice,
    security,
    settings,
)

urlpatterns = [
    path("", practice.home, name="practice_home"),
    path("auth/handoff/", practice.login_handoff, name="login_handoff"),
    path("invitations/<str:token>/", practice.invitation, name="invitation_accept"),
    path("members/", practice.members, name="members"),
    path("members/<int:member_id>/", security.member_action, name="member_action"),
    path("members/security/", security.practice_mfa, name="practice_mfa"),
    path("account/security/", security.account_security, name="account_security"),
    path(
        "account/confirm-email/",
        security.email_confirmation_resend,
        name="email_confirmation_resend",
    ),
    path("settings/audit/", security.audit_log, name="audit_log"),
    path("settings/", settings.practice_settings, name="practice_settings"),
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
    path("my/contacts/", portal.contacts, name="portal_contacts"),
    path("my/import/", portal.import_page, name="portal_import"),
    path("my/introductions/", portal.introductions, name="portal_introductions"),
    path(
        "my/introductions/<int:pk>/contacted/",
        portal.introduction_contacted,
        name="portal_intro_contacted",
    ),
    path("my/follow-ups/<int:pk>/done/", portal.follow_up_done, name="portal_follow_up_done"),
    path("my/follow-ups/<int:pk>/move/", portal.follow_up_move, name="portal_follow_up_move"),
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
