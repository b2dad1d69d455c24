"""Volume: enough people, enough threads, and conversations rather than applications."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from coaching.choices import ACTIVE_APPLICATION_STATUSES, ApplicationSource, IntroductionStatus
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.context import Context
from coaching.diagnostics.findings import Evidence, Finding, Measure, Severity
from coaching.diagnostics.history import too_early
from coaching.diagnostics.rules.common import make_finding, num, plural
from coaching.diagnostics.snapshot import Application


def low_outreach_volume(*, ctx: Context) -> list[Finding]:
    """Average distinct contacts reached per 7-day block over the window, against the goal.

    A search younger than `volume_history_days` is not judged yet (`history`); a
    younger-than-window search is averaged over the complete weeks it has had.
    """
    t = ctx.thresholds
    if too_early(ctx=ctx, code=FailureCode.LOW_OUTREACH_VOLUME):
        return []
    weeks = min(t.window_days // 7, ctx.search_days // 7)
    if weeks < 1:
        return []
    counts = ctx.weekly_reach(weeks=weeks, ending=ctx.as_of)
    average = sum(counts) / weeks
    if average >= t.weekly_goal:
        return []
    first = ctx.as_of - timedelta(days=7 * weeks - 1)
    reached = ctx.reached_between(first=first, last=ctx.as_of)
    evidence = [
        Evidence(
            "period",
            None,
            ctx.as_of - timedelta(days=7 * (weeks - 1 - i) + 6),
            f"7 days from this date: {plural(count, 'contact')} reached",
        )
        for i, count in enumerate(counts)
    ]
    evidence += [Evidence("contact", cid, None, ctx.contact_name(cid)) for cid in sorted(reached)]
    return [
        make_finding(
            code=FailureCode.LOW_OUTREACH_VOLUME,
            subject="client",
            severity=Severity.CRITICAL if average < t.weekly_goal / 2 else None,
            measure=Measure(
                value=round(average, 2),
                threshold=t.weekly_goal,
                unit="contacts/week",
                sentence=(
                    f"{num(average)} contacts/week vs. a goal of {t.weekly_goal} "
                    f"(average over the last {plural(weeks, 'week')})"
                ),
            ),
            evidence=evidence,
            observed_on=ctx.as_of,
        )
    ]


@dataclass(frozen=True, slots=True)
class _Thread:
    record: str
    id: int
    company_key: str
    company: str
    introducer_id: int | None
    day: date | None
    label: str
    """What the thread is, in words that name its records."""


def active_threads(*, ctx: Context) -> list[_Thread]:
    """Open introductions and live applications; an introduction tied to a live application
    is the same thread, not two."""
    live = {a.id: a for a in ctx.applications.values() if a.status in ACTIVE_APPLICATION_STATUSES}
    introducer_of: dict[int, int] = {}
    threads = []
    for intro in ctx.introductions:
        if intro.application_id is not None and intro.application_id not in introducer_of:
            introducer_of[intro.application_id] = intro.introducer_id
        if intro.status != IntroductionStatus.OPEN or intro.application_id in live:
            continue
        target = ctx.contacts.get(intro.target_id)
        company = target.company if target else ""
        moment = intro.made_at or intro.requested_at
        at = f" ({company.strip()})" if company.strip() else ""
        threads.append(
            _Thread(
                "introduction",
                intro.id,
                company.strip().casefold(),
                company,
                intro.introducer_id,
                ctx.day(moment) if moment else None,
                f"Introduction to {ctx.contact_name(intro.target_id)}{at} via "
                f"{ctx.contact_name(intro.introducer_id)}",
            )
        )
    for app in sorted(live.values(), key=lambda a: a.id):
        threads.append(
            _Thread(
                "application",
                app.id,
                app.company.strip().casefold(),
                app.company,
                introducer_of.get(app.id),
                app.applied_on,
                _application_label(app),
            )
        )
    return threads


def _application_label(app: Application) -> str:
    what = " · ".join(p for p in (app.company.strip(), app.role.strip()) if p)
    return f"Application: {what}" if what else f"Application sent {app.applied_on or ''}".strip()


def eggs_in_one_basket(*, ctx: Context) -> list[Finding]:
    t = ctx.thresholds
    if too_early(ctx=ctx, code=FailureCode.EGGS_IN_ONE_BASKET):
        return []
    threads = active_threads(ctx=ctx)
    total = len(threads)
    if total == 0:
        return []
    groups: Counter[tuple[str, str]] = Counter()
    for thread in threads:
        if thread.company_key:
            groups[("company", thread.company_key)] += 1
        if thread.introducer_id is not None:
            groups[("contact", str(thread.introducer_id))] += 1
    top: tuple[str, str] | None = None
    top_count = 0
    if groups:
        top, top_count = min(groups.items(), key=lambda kv: (-kv[1], kv[0]))
    if total >= t.eggs_min_threads:
        if top is None or top_count / total <= t.eggs_share:
            return []
        members = [th for th in threads if _belongs(th, top)]
        label = _group_label(ctx, top, members)
        share = top_count / total
        measure = Measure(
            value=round(share, 2),
            threshold=t.eggs_share,
            unit="share of active threads",
            sentence=(
                f"{top_count} of {total} active threads ({round(share * 100)}%) depend on "
                f"{label}; the limit is {round(t.eggs_share * 100)}%"
            ),
        )
    else:
        members = threads
        measure = Measure(
            value=total,
            threshold=t.eggs_min_threads,
            unit="active threads",
            sentence=f"{plural(total, 'active thread')} vs. at least {t.eggs_min_threads}",
        )
    return [
        make_finding(
            code=FailureCode.EGGS_IN_ONE_BASKET,
            subject="client",
            measure=measure,
            evidence=[Evidence(th.record, th.id, th.day, th.label) for th in members],
            observed_on=ctx.as_of,
        )
    ]


def _belongs(thread: _Thread, group: tuple[str, str]) -> bool:
    kind, key = group
    if kind == "company":
        return thread.company_key == key
    return thread.introducer_id is not None and str(thread.introducer_id) == key


def _group_label(ctx: Context, group: tuple[str, str], members: list[_Thread]) -> str:
    kind, key = group
    if kind == "company":
        return members[0].company.strip()
    return ctx.contact_name(int(key))


def job_board_reliance(*, ctx: Context) -> list[Finding]:
    """Cold applications against conversations (with no conversation at all, more than
    ``job_board_ratio`` applications are needed to fire), or outreach that only began once a
    posting was up. Interviews are not networking conversations (`Context`)."""
    t = ctx.thresholds
    if too_early(ctx=ctx, code=FailureCode.JOB_BOARD_RELIANCE):
        return []
    cold = sorted(
        (
            a
            for a in ctx.applications.values()
            if a.source == ApplicationSource.JOB_BOARD
            and a.applied_on is not None
            and ctx.in_window(a.applied_on)
        ),
        key=lambda a: (a.applied_on, a.id),
    )
    conversations = sum(1 for c in ctx.conversations if ctx.in_window(c.day))
    ratio = len(cold) / max(conversations, 1)
    reliance = ratio > t.job_board_ratio
    reactive = sorted(
        (
            a
            for a in ctx.applications.values()
            if a.posting_seen_on is not None
            and a.first_outreach_on is not None
            and ctx.in_window(a.first_outreach_on)
            and a.first_outreach_on >= a.posting_seen_on
        ),
        key=lambda a: (a.first_outreach_on, a.id),
    )
    if not reliance and not reactive:
        return []
    evidence: list[Evidence] = []
    if reliance:
        evidence += [
            Evidence("application", a.id, a.applied_on, f"Job-board application: {a.company}")
            for a in cold
        ]
        measure = Measure(
            value=round(ratio, 2),
            threshold=t.job_board_ratio,
            unit="applications per conversation",
            sentence=(
                f"{plural(len(cold), 'job-board application')} vs. "
                f"{plural(conversations, 'networking conversation')} in the last "
                f"{t.window_days} days ({num(ratio)} : 1; the limit is "
                f"{num(t.job_board_ratio)} : 1)"
            ),
        )
    else:
        measure = Measure(
            value=len(reactive),
            threshold=0,
            unit="companies approached only after a posting",
            sentence=(
                f"{plural(len(reactive), 'company', 'companies')} approached only once "
                "a posting had appeared"
            ),
        )
    seen = {e.id for e in evidence}
    evidence += [
        Evidence(
            "application",
            a.id,
            a.first_outreach_on,
            f"{a.company}: posting seen {a.posting_seen_on}, first outreach {a.first_outreach_on}",
        )
        for a in reactive
        if a.id not in seen
    ]
    return [
        make_finding(
            code=FailureCode.JOB_BOARD_RELIANCE,
            subject="client",
            severity=None if reliance else Severity.INFO,
            measure=measure,
            evidence=evidence,
            observed_on=ctx.as_of,
        )
    ]
