"""Download links for exports: a token bound to the practice, to the purpose and to one export,
valid for EXPORT_LINK_HOURS. The link alone opens nothing: the download also needs someone
signed in who may see that client (or, for the whole practice, the owner)."""

from datetime import timedelta

from accounts.tokens import Purpose, TokenError, token_make, token_read

EXPORT_LINK_HOURS = 24


def export_link_token(*, export_id: int) -> str:
    return token_make(purpose=Purpose.EXPORT_DOWNLOAD, data={"export": export_id})


def export_link_check(*, token: str, export_id: int) -> None:
    """Raises TokenError unless `token` was made in this practice for this export and is fresh."""
    data = token_read(
        purpose=Purpose.EXPORT_DOWNLOAD, token=token, max_age=timedelta(hours=EXPORT_LINK_HOURS)
    )
    if data.get("export") != export_id:
        raise TokenError(expired=False)
