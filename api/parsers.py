"""The API's JSON parser: what reaches a serializer is JSON a person could have meant.

DRF's parser lets through what PostgreSQL or the response cannot hold, and fails on what Python
cannot parse: nesting a thousand levels deep (a RecursionError, answered 500), a lone UTF-16
surrogate (`"\\ud800"`, which then breaks the response that echoes it), a NUL character (which no
text column stores). Here each is a 400 in the API's error format, saying where:

- not JSON, not UTF-8, NaN, Infinity or `1e999`, a number of thousands of digits:
  `malformed_request`;
- nested deeper than `MAX_DEPTH`: `malformed_request`, naming the path;
- a NUL or a lone surrogate in any key or string: `validation_error`, naming the field.

Bodies larger than Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` never get here: reading them raises
`RequestDataTooBig`, which `api.errors` answers with 413.
"""

import json
import math
from collections.abc import Iterator
from typing import Any

from rest_framework import exceptions, parsers

MAX_DEPTH = 32  # the deepest body the API documents is 3 levels (target_roles)


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError(
                f"The body is not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x})."
            ) from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
        except RecursionError:
            raise exceptions.ParseError(_too_deep("the body")) from None
        except json.JSONDecodeError as exc:
            raise exceptions.ParseError(
                f"The body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
            ) from None
        except ValueError as exc:  # a number too long to read, a refused constant
            raise exceptions.ParseError(f"The body is not valid JSON: {_reason(exc)}") from None
        check_json(data)
        return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows; send a finite number.")


def _finite(text: str) -> float:
    """`1e999` is valid JSON but reads as infinity: refused like `Infinity` itself."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is too large a number; send a finite number.")
    return value


def _reason(exc: ValueError) -> str:
    message = str(exc)
    if "integer string conversion" in message:
        return "a number has more digits than any field accepts."
    return message


def _too_deep(where: str) -> str:
    return f"{where} is nested more than {MAX_DEPTH} levels deep; no field takes that."


def _walk(data: Any) -> Iterator[tuple[str, int, Any]]:
    """Every key and value with its path (`tags.0`) and depth, iteratively (no recursion)."""
    stack: list[tuple[str, int, Any]] = [("", 0, data)]
    while stack:
        path, depth, value = stack.pop()
        yield path, depth, value
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                yield child, depth + 1, key
                stack.append((child, depth + 1, item))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((f"{path}.{index}" if path else str(index), depth + 1, item))


def text_problem(value: str) -> str | None:
    """Why a string cannot be stored or shown (None when it can)."""
    if "\x00" in value:
        return "Text cannot contain the NUL character (\\u0000)."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        return f"Text cannot contain a lone surrogate (\\u{code:04x}); it is not valid Unicode."
    return None


def check_json(data: Any) -> None:
    """Raise `ParseError` for nesting beyond `MAX_DEPTH`, `ValidationError` naming each field
    whose key or text cannot be stored."""
    problems: dict[str, list[str]] = {}
    for path, depth, value in _walk(data):
        if depth > MAX_DEPTH:
            raise exceptions.ParseError(_too_deep(_printable(path) or "the body"))
        if isinstance(value, str) and (problem := text_problem(value)):
            problems.setdefault(_printable(path) or "non_field_errors", []).append(problem)
    if problems:
        raise exceptions.ValidationError(problems)


def _printable(path: str) -> str:
    """A path may itself hold the bad characters (a key): escape them so it can be shown."""
    escaped = path.encode("utf-8", "backslashreplace").decode("utf-8")
    return escaped.replace("\x00", "\\u0000")[:200]
