"""What the coach's client page shows from across the practice: the client's cohort benchmarks
(`insights.cohorts`) and, before the next ask, the client's contacts whom other clients asked
lately (`insights.ask_fatigue`). Coaches and the owner only; the client is the one the page
resolved through `coaching.access`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from accounts.models import User
from coaching.insights.ask_fatigue import ASK_FATIGUE, ContactCaution, cautions_for_client
from coaching.insights.benchmarks import client_benchmarks
from coaching.insights.cohorts import MIN_COHORT, ClientBenchmarks
from coaching.insights.loader import default_as_of
from coaching.models import Client


@dataclass(frozen=True, slots=True)
class ClientPracticeView:
    as_of: date
    benchmarks: ClientBenchmarks
    cautions: tuple[ContactCaution, ...]
    min_cohort: int = MIN_COHORT
    ask_limit: int = ASK_FATIGUE.asks
    ask_days: int = ASK_FATIGUE.days


def client_practice_view(
    *, actor: User, client: Client, as_of: date | None = None
) -> ClientPracticeView:
    """Benchmarks and ask cautions for one client, as of `as_of` (default: the practice's
    today). `NotFound` outside the actor's scope."""
    as_of = as_of or default_as_of()
    benchmarks = client_benchmarks(actor=actor, client_id=client.pk, as_of=as_of)
    cautions = cautions_for_client(actor=actor, client=client, as_of=as_of)
    return ClientPracticeView(as_of=as_of, benchmarks=benchmarks, cautions=tuple(cautions))
