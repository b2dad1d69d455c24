"""A corpus of bad API input: every case is a 4xx in the documented error format, names the
field (or says where) when it is about one, changes nothing, and never echoes what it cannot
encode. The status and code are what docs/api.md promises for that kind of mistake.

Each case is a request against a search with one contact and one interaction; paths and bodies
use `{client}`, `{contact}`, `{interaction}` and `{other_client}` (a search the coach does not
coach). Raw bodies are sent byte for byte, so they can hold what a JSON encoder never writes: a
lone surrogate escape, invalid UTF-8, a thousand brackets.
"""

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.models import User
from coaching.models import Client, Contact
from coaching.services import interaction_record
from tests.conftest import SeededPractice

BodyMaker = Callable[[dict[str, int]], bytes]


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    body: Any = None  # a dict (JSON-encoded, then formatted) or a callable giving raw bytes
    status: int = 400
    code: str = "validation_error"
    field: str | None = None  # the field `error.fields` must name
    actor: str = "owner"  # owner, coach, client (a key acting as them) or nobody (no key)
    content_type: str = "application/json"
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


def raw(text: str) -> BodyMaker:
    """A body written by hand (so it can hold `\\ud800`), with `{client}` etc. filled in."""
    return lambda ids: text.format(**ids).encode()


def _contact(**fields: Any) -> dict[str, Any]:
    return {"client": "{client}", "name": "Ann", **fields}


def _interaction(**fields: Any) -> dict[str, Any]:
    body = {
        "contact": "{contact}",
        "occurred_at": "2024-04-02T09:00:00+02:00",
        "channel": "email",
        "direction": "outbound",
        "kind": "outreach",
    }
    return {**body, **fields}


TEN_K = "x" * 10_000
CLIENT = "/api/v1/clients/{client}/"
CONTACTS = "/api/v1/contacts/"
INTERACTIONS = "/api/v1/interactions/"
THRESHOLDS = "/api/v1/clients/{client}/thresholds/"

CASES = [
    # Text the database or the response cannot carry.
    Case("lone-surrogate-in-enum", "POST", INTERACTIONS,
         raw('{{"contact": {contact}, "occurred_at": "2024-04-02T09:00:00Z", '
             '"channel": "\\ud800", "direction": "outbound", "kind": "outreach"}}'),
         field="channel"),
    Case("lone-surrogate-in-text", "POST", CONTACTS,
         raw('{{"client": {client}, "name": "Ann \\udfff"}}'), field="name"),
    Case("lone-surrogate-in-key", "PATCH", THRESHOLDS, raw('{{"weekly\\ud800": 3}}'),
         field="weekly\\ud800"),
    Case("lone-surrogate-in-url", "POST", "/api/v1/webhooks/",
         raw('{{"url": "https://example.com/\\ud800", "events": ["webhook.ping"]}}'), field="url"),
    Case("nul-in-text", "POST", CONTACTS, _contact(name="Ann\x00Archer"), field="name"),
    Case("nul-in-enum", "POST", INTERACTIONS, _interaction(kind="outreach\x00"), field="kind"),
    Case("nul-in-key", "PATCH", THRESHOLDS, {"weekly_goal\x00": 3}, field="weekly_goal\\u0000"),
    Case("nul-in-list-item", "POST", CONTACTS, _contact(tags=["ok", "b\x00d"]), field="tags.1"),
    Case("nul-in-time-zone", "PATCH", CLIENT, {"time_zone": "Europe/Berlin\x00"},
         field="time_zone"),
    # Bodies that are not JSON, or not JSON we can read.
    Case("not-json", "POST", CONTACTS, raw("{{"), code="malformed_request"),
    Case("invalid-utf8", "POST", CONTACTS,
         lambda ids: b'{"client": %d, "name": "\xff\xfe"}' % ids["client"],
         code="malformed_request"),
    Case("utf16-json", "POST", CONTACTS,
         lambda ids: json.dumps({"client": ids["client"], "name": "Ann"}).encode("utf-16"),
         code="malformed_request"),
    Case("nan", "POST", CONTACTS, raw('{{"client": NaN, "name": "Ann"}}'),
         code="malformed_request"),
    Case("infinity", "PATCH", THRESHOLDS, raw('{{"weekly_goal": Infinity}}'),
         code="malformed_request"),
    Case("minus-infinity", "PATCH", THRESHOLDS, raw('{{"weekly_goal": -Infinity}}'),
         code="malformed_request"),
    Case("float-overflowing-to-infinity", "PATCH", THRESHOLDS, raw('{{"stalled_days": 1e999}}'),
         code="malformed_request"),
    Case("number-of-5000-digits", "POST", CONTACTS,
         raw('{{"client": ' + "9" * 5000 + ', "name": "Ann"}}'), code="malformed_request"),
    Case("nested-1000-deep", "POST", CONTACTS, raw("[" * 1000 + "]" * 1000),
         code="malformed_request"),
    Case("nested-100-deep-in-a-field", "POST", CONTACTS,
         raw('{{"client": {client}, "name": "Ann", "tags": ' + "[" * 100 + "]" * 100 + "}}"),
         code="malformed_request"),
    Case("body-over-2.5-mb", "POST", CONTACTS,
         lambda ids: json.dumps(
             {"client": ids["client"], "name": "Ann",
              "notes": "n" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
         ).encode(),
         status=413, code="request_too_large"),
    Case("text-plain-body", "POST", CONTACTS, raw("name=Ann"), status=415,
         code="unsupported_media_type", content_type="text/plain"),
    Case("body-is-a-list", "POST", CONTACTS, raw("[1, 2]"), field="non_field_errors"),
    Case("body-is-a-string", "POST", CONTACTS, raw('"Ann"'), field="non_field_errors"),
    Case("body-is-null", "POST", CONTACTS, raw("null"), field="non_field_errors"),
    # Numbers out of range and wrong types.
    Case("huge-id", "POST", CONTACTS, _contact(client=10**30), field="client"),
    Case("negative-id", "POST", CONTACTS, _contact(client=-1), field="client"),
    Case("id-as-text", "POST", CONTACTS, _contact(client="abc"), field="client"),
    Case("id-as-object", "POST", CONTACTS, _contact(client={"id": 1}), field="client"),
    Case("huge-goal", "PATCH", CLIENT, {"weekly_outreach_goal": 10**30},
         field="weekly_outreach_goal"),
    Case("goal-as-float", "PATCH", CLIENT, {"weekly_outreach_goal": 10.5},
         field="weekly_outreach_goal"),
    Case("huge-threshold", "PATCH", THRESHOLDS, {"window_days": 7 * 10**12},
         field="window_days"),
    Case("threshold-near-float-max", "PATCH", THRESHOLDS, {"weekly_goal": 1e308},
         field="weekly_goal"),
    Case("threshold-as-text", "PATCH", THRESHOLDS, {"stalled_days": "soon"},
         field="stalled_days"),
    Case("flag-as-text", "POST", CONTACTS, _contact(is_hiring_authority="maybe"),
         field="is_hiring_authority"),
    Case("name-as-list", "POST", CONTACTS, _contact(name=["Ann"]), field="name"),
    Case("tags-as-text", "POST", CONTACTS, _contact(tags="a,b"), field="tags"),
    Case("tags-of-objects", "POST", CONTACTS, _contact(tags=[{"a": 1}]), field="tags.0"),
    Case("time-as-number", "POST", INTERACTIONS, _interaction(occurred_at=1712041200),
         field="occurred_at"),
    Case("roles-as-number", "PATCH", CLIENT, {"target_roles": 5}, field="target_roles"),
    # Empty strings where a value is needed.
    Case("empty-name", "POST", CONTACTS, _contact(name=""), field="name"),
    Case("blank-name", "POST", CONTACTS, _contact(name="   "), field="name"),
    Case("empty-enum", "POST", INTERACTIONS, _interaction(channel=""), field="channel"),
    Case("empty-time", "POST", INTERACTIONS, _interaction(occurred_at=""),
         field="occurred_at"),
    Case("empty-time-zone", "PATCH", CLIENT, {"time_zone": ""}, field="time_zone"),
    Case("empty-finding-key", "POST", "/api/v1/clients/{client}/finding-dispositions/",
         {"finding_key": "", "state": "acknowledged"}, field="finding_key"),
    # Ten thousand characters where a field holds far fewer.
    Case("10k-name", "POST", CONTACTS, _contact(name=TEN_K), field="name"),
    Case("10k-company", "POST", CONTACTS, _contact(company=TEN_K), field="company"),
    Case("10k-email", "POST", CONTACTS, _contact(email=TEN_K + "@example.com"), field="email"),
    Case("10k-linkedin", "POST", CONTACTS,
         _contact(linkedin_url="https://www.linkedin.com/in/" + TEN_K), field="linkedin_url"),
    Case("10k-headline", "PATCH", CLIENT, {"headline": TEN_K}, field="headline"),
    Case("10k-enum", "POST", INTERACTIONS, _interaction(kind=TEN_K), field="kind"),
    Case("10k-finding-key", "POST", "/api/v1/clients/{client}/finding-dispositions/",
         {"finding_key": TEN_K, "state": "acknowledged"}, field="finding_key"),
    Case("10k-key-name", "POST", "/api/v1/api-keys/", {"name": TEN_K}, field="name"),
    Case("10k-idempotency-key", "POST", CONTACTS, _contact(),
         headers={"HTTP_IDEMPOTENCY_KEY": TEN_K}, field="Idempotency-Key"),
    Case("nul-in-idempotency-key", "POST", CONTACTS, _contact(),
         headers={"HTTP_IDEMPOTENCY_KEY": "retry\x001"}, field="Idempotency-Key"),
    Case("nul-in-api-key", "GET", CONTACTS, status=401, code="invalid_api_key", actor="nobody",
         headers={"HTTP_AUTHORIZATION": "Api-Key abc\x00def.secret"}),
    Case("10k-api-key", "GET", CONTACTS, status=401, code="invalid_api_key", actor="nobody",
         headers={"HTTP_AUTHORIZATION": "Api-Key " + TEN_K + ".secret"}),
    # Time zones.
    Case("300-char-time-zone", "PATCH", CLIENT, {"time_zone": "Europe/" + "x" * 293},
         field="time_zone"),
    Case("path-as-time-zone", "PATCH", CLIENT, {"time_zone": "../../../etc/passwd"},
         field="time_zone"),
    Case("unknown-time-zone", "PATCH", CLIENT, {"time_zone": "Mars/Olympus"}, field="time_zone"),
    Case("server-local-time-zone", "PATCH", CLIENT, {"time_zone": "localtime"},
         field="time_zone"),
    Case("lower-case-time-zone", "PATCH", CLIENT, {"time_zone": "europe/berlin"},
         field="time_zone"),
    # Dates and instants outside 1950-01-01 .. 2100-12-31, or in the future when past.
    Case("year-1-day", "POST", CONTACTS, _contact(first_met_on="0001-01-01"),
         field="first_met_on"),
    Case("year-9999-due", "POST", "/api/v1/follow-ups/",
         {"contact": "{contact}", "due_on": "9999-12-31"}, field="due_on"),
    Case("year-1-instant-east-of-utc", "POST", INTERACTIONS,
         _interaction(occurred_at="0001-01-01T00:00:00+05:00"), field="occurred_at"),
    Case("year-9999-instant-west-of-utc", "POST", "/api/v1/meetings/",
         {"contact": "{contact}", "scheduled_for": "9999-12-31T23:00:00-05:00",
          "purpose": "networking"}, field="scheduled_for"),
    Case("year-10000-instant", "POST", INTERACTIONS,
         _interaction(occurred_at="10000-01-01T00:00:00Z"), field="occurred_at"),
    # A time without an offset is the client's wall clock (docs/api.md); one still ahead is refused.
    Case("naive-future-instant", "POST", INTERACTIONS,
         _interaction(occurred_at="2099-04-02T09:00:00"), field="occurred_at"),
    Case("future-instant", "POST", INTERACTIONS, _interaction(occurred_at="2099-01-01T00:00:00Z"),
         field="occurred_at"),
    Case("1949-start", "PATCH", CLIENT, {"search_started_on": "1949-12-31"},
         field="search_started_on"),
    Case("february-30", "POST", CONTACTS, _contact(first_met_on="2024-02-30"),
         field="first_met_on"),
    Case("far-expiry", "POST", "/api/v1/clients/{client}/finding-dispositions/",
         {"finding_key": "low_outreach_volume:client", "state": "acknowledged",
          "expires_on": "9999-12-31"}, field="expires_on"),
    Case("far-key-expiry", "POST", "/api/v1/api-keys/",
         {"name": "k", "expiry_date": "9999-12-31T23:59:59-12:00"}, field="expiry_date"),
    Case("as-of-year-1", "GET", "/api/v1/clients/{client}/report/?as_of=0001-01-01",
         field="as_of"),
    Case("as-of-year-9999", "GET", "/api/v1/diagnostics/practice-report/?as_of=9999-12-31",
         field="as_of"),
    Case("as-of-garbage", "GET", "/api/v1/clients/{client}/figures/?as_of=yesterday",
         field="as_of"),
    Case("as-of-nul", "GET", "/api/v1/clients/{client}/figures/?as_of=%00", field="as_of"),
    # Query parameters of lists.
    Case("filter-nul", "GET", CONTACTS + "?company=%00", field="company"),
    Case("filter-huge-id", "GET", INTERACTIONS + "?contact=" + "9" * 30, field="contact"),
    Case("filter-time-overflowing", "GET",
         INTERACTIONS + "?occurred_after=0001-01-01T00:00:00%2B05:00", field="occurred_after"),
    Case("filter-garbage-time", "GET", INTERACTIONS + "?updated_since=soon",
         field="updated_since"),
    # Outside one's scope: 404, exactly like an id that does not exist.
    Case("client-on-practice-report", "GET", "/api/v1/diagnostics/practice-report/",
         status=404, code="not_found", actor="client"),
    Case("client-on-practice-thresholds", "GET", "/api/v1/diagnostics/thresholds/",
         status=404, code="not_found", actor="client"),
    Case("client-changing-practice-thresholds", "PATCH", "/api/v1/diagnostics/thresholds/",
         {"stalled_days": 21}, status=404, code="not_found", actor="client"),
    Case("coach-on-another-coachs-report", "GET", "/api/v1/clients/{other_client}/report/",
         status=404, code="not_found", actor="coach"),
    Case("coach-on-another-coachs-figures", "GET", "/api/v1/clients/{other_client}/figures/",
         status=404, code="not_found", actor="coach"),
    Case("coach-on-another-coachs-thresholds", "GET", "/api/v1/clients/{other_client}/thresholds/",
         status=404, code="not_found", actor="coach"),
    Case("coach-deciding-on-another-coachs-finding", "POST",
         "/api/v1/clients/{other_client}/finding-dispositions/",
         {"finding_key": "low_outreach_volume:client", "state": "acknowledged"},
         status=404, code="not_found", actor="coach"),
    Case("client-on-another-clients-report", "GET", "/api/v1/clients/{other_client}/report/",
         status=404, code="not_found", actor="client"),
]  # fmt: skip


@pytest.fixture
def world(
    search: Client, other_search: Client, make_contact: Callable[..., Contact], coach: User
) -> dict[str, int]:
    contact = make_contact(search, email="ann@example.com")
    interaction = interaction_record(
        client=search,
        actor=coach,
        contact=contact,
        occurred_at=datetime(2024, 4, 2, 9, tzinfo=UTC),
        channel="email",
        direction="outbound",
        kind="outreach",
        now=datetime(2024, 4, 15, tzinfo=UTC),
    )
    return {
        "client": search.pk,
        "other_client": other_search.pk,
        "contact": contact.pk,
        "interaction": interaction.pk,
    }


def _filled(value: Any, ids: dict[str, int]) -> Any:
    """`"{client}"` becomes the id itself (a number), inside strings it is formatted in."""
    if isinstance(value, dict):
        return {k: _filled(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.strip("{}") in ids:
        return ids[value.strip("{}")]
    return value


def _body(case: Case, ids: dict[str, int]) -> bytes | None:
    if case.body is None:
        return None
    if callable(case.body):
        return case.body(ids)
    return json.dumps(_filled(case.body, ids)).encode()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_a_4xx_in_the_error_format(
    case: Case,
    world: dict[str, int],
    owner_api: APIClient,
    coach_api: APIClient,
    client_api: APIClient,
    seeded: dict[str, SeededPractice],
    unchanged: Any,
) -> None:
    nobody = APIClient(HTTP_HOST=seeded["a"].host)
    api = {"owner": owner_api, "coach": coach_api, "client": client_api, "nobody": nobody}[
        case.actor
    ]
    path = case.path.format(**world)
    body = _body(case, world)
    with unchanged(ignore=frozenset({"ActivityEvent"})):
        response = api.generic(
            case.method, path, body or b"", content_type=case.content_type, **case.headers
        )

    assert response.status_code == case.status, response.content[:500]
    payload = json.loads(response.content.decode("utf-8"))  # always encodable, always JSON
    assert set(payload) == {"error"}, payload
    error = payload["error"]
    assert error["code"] == case.code, error
    assert isinstance(error["message"], str)
    assert error["message"]
    if case.field is not None:
        assert case.field in error["fields"], error
        assert all(isinstance(m, str) and m for m in error["fields"][case.field])


def test_an_emoji_is_text_not_a_surrogate_problem(world: dict[str, int], owner_api: APIClient):
    """A surrogate pair is a character: refused surrogates are only the unpaired ones."""
    response = owner_api.generic(
        "POST",
        CONTACTS,
        ('{"client": ' + str(world["client"]) + ', "name": "Ann \\ud83d\\ude00"}').encode(),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert Contact.objects.get(pk=response.json()["id"]).name == "Ann \U0001f600"


def test_a_long_note_is_kept_whole(world: dict[str, int], owner_api: APIClient) -> None:
    """Ten thousand characters where the field is free text are not an error."""
    response = owner_api.post(CONTACTS, {"client": world["client"], "name": "N", "notes": TEN_K})

    assert response.status_code == 201, response.content
    assert Contact.objects.get(pk=response.json()["id"]).notes == TEN_K


def test_a_refused_value_is_quoted_short_and_escaped(
    world: dict[str, int], owner_api: APIClient
) -> None:
    """The message says what was sent, without repeating 10,000 characters or a control byte."""
    response = owner_api.patch(
        CLIENT.format(**world), {"time_zone": "Mars/" + "x" * 50}, format="json"
    )
    (message,) = response.json()["error"]["fields"]["time_zone"]
    assert len(message) < 200
    response = owner_api.post(INTERACTIONS, _filled(_interaction(kind="x" * 5000), world))
    (message,) = response.json()["error"]["fields"]["kind"]
    assert len(message) <= 500
    assert message.endswith("is not a valid choice.")
