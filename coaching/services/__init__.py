"""Every write to a coaching record goes through one of these functions (HackSoft services).

Each validates its input (all problems at once, as `ValidationError({"field": [...]})`), checks
the actor's scope through `coaching.access`, runs in one transaction and writes the matching
`ActivityEvent`, so a failed write leaves the database as it was.
"""

from coaching.services.applications import application_create, application_update
from coaching.services.clients import (
    client_create,
    client_reassign,
    client_review_leaving_story,
    client_review_presentation,
    client_set_report_sharing,
    client_set_status,
    client_set_threshold_overrides,
    client_update,
)
from coaching.services.contacts import contact_create, contact_update
from coaching.services.feedback import feedback_record
from coaching.services.follow_ups import (
    follow_up_complete,
    follow_up_reschedule,
    follow_up_schedule,
)
from coaching.services.interactions import (
    interaction_mark_replied,
    interaction_record,
    interaction_remove,
)
from coaching.services.introductions import (
    introduction_abandon,
    introduction_close,
    introduction_create,
    introduction_record_contact,
    introduction_record_hiring_authority,
    introduction_record_made,
    introduction_record_outcome,
    introduction_record_thanks,
)
from coaching.services.meetings import (
    meeting_record_outcome,
    meeting_record_preparation,
    meeting_record_thanks,
    meeting_schedule,
)

__all__ = [
    "application_create",
    "application_update",
    "client_create",
    "client_reassign",
    "client_review_leaving_story",
    "client_review_presentation",
    "client_set_report_sharing",
    "client_set_status",
    "client_set_threshold_overrides",
    "client_update",
    "contact_create",
    "contact_update",
    "feedback_record",
    "follow_up_complete",
    "follow_up_reschedule",
    "follow_up_schedule",
    "interaction_mark_replied",
    "interaction_record",
    "interaction_remove",
    "introduction_abandon",
    "introduction_close",
    "introduction_create",
    "introduction_record_contact",
    "introduction_record_hiring_authority",
    "introduction_record_made",
    "introduction_record_outcome",
    "introduction_record_thanks",
    "meeting_record_outcome",
    "meeting_record_preparation",
    "meeting_record_thanks",
    "meeting_schedule",
]
