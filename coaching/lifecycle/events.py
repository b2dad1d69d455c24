"""What a deletion announces to the practice's integrations (outbound webhooks).

Payloads are part of the public API (docs/api.md, "Webhooks"): add fields, never rename.
"""

from datetime import datetime

from api.webhooks.services import webhook_emit


def record_deleted_announce(
    *, record_type: str, record_id: int, client_id: int | None, deleted_at: datetime
) -> None:
    """A contact, or a client's whole search, is gone; the records that belonged to it went
    with it (the deletions feed lists each one)."""
    webhook_emit(
        event="record.deleted",
        payload={
            "type": record_type,
            "id": record_id,
            "client": client_id,
            "deleted_at": deleted_at,
        },
    )
