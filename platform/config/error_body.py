"""The one error shape of every JSON answer that is not a success (the API's errors, the pages'
JSON refusals, the 503s): `{"error": {"code", "message", "fields"?, ...}}` (docs/api.md,
"Errors"). Here, below every face, so that billing's read-only refusal and the API speak alike
without importing each other.
"""

from typing import Any

_LONGEST = 500  # characters of one message; a longer one echoes a value sent, cut in the middle


def encodable(text: str) -> str:
    """`text` as a message may carry it: anything UTF-8 cannot encode (a lone surrogate)
    escaped as `\\udXXX`, and a message that echoes a huge value cut in the middle."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) > _LONGEST:
        text = f"{text[: _LONGEST - 150]} … {text[-140:]}"
    return text


def error_body(
    *, code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any
) -> dict:
    """The one error shape. `extra` adds documented keys (a 402 says where to pay)."""
    error: dict[str, Any] = {"code": code, "message": encodable(message)}
    if fields is not None:
        error["fields"] = {
            encodable(name): [encodable(m) for m in messages] for name, messages in fields.items()
        }
    error.update(extra)
    return {"error": error}
