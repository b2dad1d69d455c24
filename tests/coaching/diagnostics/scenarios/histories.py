"""Labelled client histories, written from the failure-reason catalog (shared/design/
failure-reasons.md), not from what the engine outputs.

Each history is a client's search as a coach would record it, and its label is the set of
reason codes the catalog's definitions say must be raised on "today". A `kind` says what the
history is for: healthy controls and employer-only stalls must raise no client-fault reason.

Every history starts from `steady()`: a search doing what the catalog asks (15+ distinct people
a week, real conversations followed by an ask of a well-known contact, a prepared and thanked
meeting, three live applications at three companies with employers answering), then changes
one thing or several.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from coaching.choices import (
    AbandonReason,
    ApplicationSource,
    ApplicationStatus,
    Channel,
    ChecklistState,
    Direction,
    FeedbackAbout,
    FitRating,
    HowMet,
    InteractionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
    PresentationItem,
    Verdict,
    Willingness,
)
from coaching.diagnostics.snapshot import ChecklistEntry
from tests.diagnostics.builders import SnapshotBuilder

TODAY = date(2024, 4, 15)  # a Monday in April: no slow season in the window

HEALTHY, EMPLOYER_ONLY, FAILING, NEW = "healthy", "employer_only", "failing", "new"


@dataclass(frozen=True)
class History:
    name: str
    kind: str
    expected: frozenset[str]
    build: Callable[[], SnapshotBuilder]
    today: date = TODAY


class Search:
    """A SnapshotBuilder whose days count back from the history's own today."""

    def __init__(self, *, today: date = TODAY, started_days_ago: int = 120, **client: object):
        self.today = today
        self.b = SnapshotBuilder(
            started=today - timedelta(days=started_days_ago), name="Dana", **client
        )

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def reach(self, per_week: int, *, weeks: int = 6, prefix: str = "Lead") -> None:
        """`per_week` new people emailed in each 7-day block counted back from today."""
        for week in range(weeks):
            for n in range(per_week):
                cid = self.b.contact(f"{prefix} {week}-{n}", first_met_on=self.day(200))
                self.b.interaction(cid, self.day(7 * week + n % 7))


def steady(
    *, today: date = TODAY, per_week: int = 16, ask: bool = True, **client: object
) -> Search:
    s = Search(today=today, **client)
    b = s.b
    s.reach(per_week)
    mentor = b.contact("Mira Mentor", company="Northwind", first_met_on=s.day(300))
    peer = b.contact("Pat Peer", company="Contoso", first_met_on=s.day(200))
    for days in (60, 45, 20, 13, 6):
        b.conversation(mentor, s.day(days))
    b.conversation(peer, s.day(12))
    b.conversation(peer, s.day(4))
    if ask:
        b.ask(mentor, s.day(3))
        b.interaction(mentor, s.day(2), direction=Direction.INBOUND)  # she answers
    host = b.contact("Hana Host", company="Fabrikam", first_met_on=s.day(60))
    b.meeting(host, s.day(5), thanked=s.day(4))
    for company in ("Acme", "Globex", "Initech"):
        b.application(
            company,
            source=ApplicationSource.DIRECT,
            status=ApplicationStatus.APPLIED,
            applied_on=s.day(10),
            last_client_action_on=s.day(10),
            last_employer_contact_on=s.day(3),
        )
    return s


def _unreviewed() -> tuple[ChecklistEntry, ...]:
    return tuple(ChecklistEntry(i, ChecklistState.UNREVIEWED) for i in PresentationItem)


def _checklist(**states: ChecklistState) -> tuple[ChecklistEntry, ...]:
    return tuple(
        ChecklistEntry(i, states.get(i.value, ChecklistState.OK)) for i in PresentationItem
    )


# -- healthy controls ----------------------------------------------------------------------


def healthy_steady() -> SnapshotBuilder:
    return steady().b


def healthy_coach_has_not_filled_in() -> SnapshotBuilder:
    """The coach has not reviewed the checklist or the leaving story: coach to-dos only."""
    return steady(
        presentation=_unreviewed(), leaving_story_verdict=Verdict.MISSING, target_role_families=()
    ).b


def healthy_no_other_profiles() -> SnapshotBuilder:
    return steady(presentation=_checklist(other_profiles=ChecklistState.NOT_APPLICABLE)).b


def _interviews(s: Search, *, count: int, both_ways: bool, thank: bool = True) -> list[int]:
    """`count` held interviews at different companies (recorded as interview meetings, and when
    `both_ways` also as a same-day conversation with the interviewer), each followed by a
    same-evening thank-you the interviewer does not answer."""
    b = s.b
    apps = []
    for n in range(count):
        company = f"Interviewco {n}"
        who = b.contact(f"Ivan Interviewer {n}", company=company, first_met_on=s.day(30))
        app = b.application(
            company,
            source=ApplicationSource.DIRECT,
            status=ApplicationStatus.INTERVIEWING,
            applied_on=s.day(25),
            last_client_action_on=s.day(2 + n),
            last_employer_contact_on=s.day(1 + n),
        )
        day = s.day(2 + 3 * n)
        b.meeting(who, day, purpose=MeetingPurpose.INTERVIEW, application_id=app)
        if both_ways:
            b.conversation(who, day, channel=Channel.VIDEO)
        if thank:
            b.interaction(who, day, kind=InteractionKind.THANK_YOU, hour=19)
        apps.append(app)
    return apps


def healthy_interview_heavy() -> SnapshotBuilder:
    """Five interviews, recorded both ways, thank-yous unanswered; two networking conversations
    and no ask: interviews are not networking conversations, so nothing is owed."""
    s = Search()
    s.reach(16)
    friend = s.b.contact("Fran Friend", company="Umbrella", first_met_on=s.day(400))
    s.b.conversation(friend, s.day(9))
    s.b.conversation(friend, s.day(3))
    _interviews(s, count=5, both_ways=True)
    return s.b


def healthy_interview_recorded_as_meeting_only() -> SnapshotBuilder:
    s = Search()
    s.reach(16)
    _interviews(s, count=5, both_ways=False)
    return s.b


def healthy_next_interview_scheduled() -> SnapshotBuilder:
    """An interview 12 days ago, a same-evening thank-you nobody answered, the next interview
    booked (the employer wrote 8 days ago): not a stalemate, not an employer gone silent."""
    s = steady()
    b = s.b
    boss = b.contact("Hiro Hiring", company="Wayne", is_hiring_authority=True)
    app = b.application(
        "Wayne",
        status=ApplicationStatus.INTERVIEWING,
        applied_on=s.day(30),
        last_client_action_on=s.day(12),
        last_employer_contact_on=s.day(8),
    )
    b.meeting(boss, s.day(12), purpose=MeetingPurpose.INTERVIEW, application_id=app)
    b.conversation(boss, s.day(12), channel=Channel.VIDEO)
    b.interaction(boss, s.day(12), kind=InteractionKind.THANK_YOU, hour=20)
    b.meeting(
        boss,
        s.day(-3),
        purpose=MeetingPurpose.INTERVIEW,
        status=MeetingStatus.SCHEDULED,
        application_id=app,
    )
    return b


def healthy_quick_introduction() -> SnapshotBuilder:
    """An introduction acted on the next day, the introducer thanked and told how it went."""
    s = steady()
    b = s.b
    mentor = _named(b, "Mira Mentor")
    target = b.contact("Theo Target", company="Stark", is_hiring_authority=True)
    b.introduction(
        mentor, target, requested=s.day(3), made=s.day(2), contacted=s.day(1), thanked=s.day(2)
    )
    return b


def _named(b: SnapshotBuilder, name: str) -> int:
    return next(c.id for c in b.contacts if c.name == name)


# -- employer-only stalls --------------------------------------------------------------------


def _stalled_on_employers(*, thank_you: bool) -> SnapshotBuilder:
    """Outreach at goal, an ask answered weeks ago, three interview processes where the client
    gave availability 16 days ago and heard nothing since. No conversation for 15+ days."""
    s = Search()
    b = s.b
    s.reach(16)
    mentor = b.contact("Mira Mentor", company="Northwind", first_met_on=s.day(300))
    for days in (40, 33, 26):
        b.conversation(mentor, s.day(days))
    b.ask(mentor, s.day(25))
    b.interaction(mentor, s.day(24), direction=Direction.INBOUND)
    for company in ("Acme", "Globex", "Initech"):
        who = b.contact(f"Recruiter at {company}", company=company, first_met_on=s.day(40))
        app = b.application(
            company,
            source=ApplicationSource.REFERRAL,
            status=ApplicationStatus.INTERVIEWING,
            applied_on=s.day(35),
            last_employer_contact_on=s.day(20),
            last_client_action_on=s.day(16),
        )
        b.meeting(who, s.day(20), purpose=MeetingPurpose.INTERVIEW, application_id=app)
        if thank_you:
            b.interaction(who, s.day(20), kind=InteractionKind.THANK_YOU, hour=19)
        b.follow_up_message(who, s.day(16))  # gives availability; the employer never answers
    return b


def employer_only_stall() -> SnapshotBuilder:
    return _stalled_on_employers(thank_you=False)


def employer_only_stall_thanked() -> SnapshotBuilder:
    return _stalled_on_employers(thank_you=True)


# -- each failure reason alone ----------------------------------------------------------------


def alone_low_volume() -> SnapshotBuilder:
    return steady(per_week=8).b


def alone_eggs() -> SnapshotBuilder:
    s = steady()
    s.b.applications = [replace(a, company="Acme") for a in s.b.applications]
    return s.b


def alone_job_board_ratio() -> SnapshotBuilder:
    """Two networking conversations and seven cold job-board applications in four weeks."""
    s = Search()
    b = s.b
    s.reach(16)
    mentor = b.contact("Mira Mentor", company="Northwind", first_met_on=s.day(300))
    b.conversation(mentor, s.day(12))
    b.conversation(mentor, s.day(6))
    b.ask(mentor, s.day(3))
    b.interaction(mentor, s.day(2), direction=Direction.INBOUND)
    for n in range(7):
        b.application(
            f"Board {n}",
            source=ApplicationSource.JOB_BOARD,
            status=ApplicationStatus.APPLIED,
            applied_on=s.day(2 + 3 * n),
            last_client_action_on=s.day(2 + 3 * n),
        )
    return b


def alone_job_board_posting_first() -> SnapshotBuilder:
    s = steady()
    s.b.application(
        "Cyberdyne",
        status=ApplicationStatus.APPLIED,
        posting_seen_on=s.day(10),
        first_outreach_on=s.day(8),
        applied_on=s.day(8),
        last_client_action_on=s.day(8),
        last_employer_contact_on=s.day(3),
    )
    return s.b


def alone_low_season() -> SnapshotBuilder:
    return steady(today=date(2024, 7, 29)).b


def alone_neglected_influencer() -> SnapshotBuilder:
    s = steady()
    vip = s.b.contact("Vera VIP", is_key_influencer=True, first_met_on=s.day(400))
    s.b.interaction(vip, s.day(40))
    return s.b


def alone_event_contact_not_followed_up() -> SnapshotBuilder:
    s = steady()
    s.b.contact("Eli Event", how_met=HowMet.EVENT, first_met_on=s.day(12))
    return s.b


def alone_not_asking() -> SnapshotBuilder:
    return steady(ask=False).b


def alone_left_field_ask() -> SnapshotBuilder:
    s = steady()
    stranger = s.b.contact("Sam Stranger", company="Hooli", first_met_on=s.day(5))
    s.b.ask(stranger, s.day(2))
    return s.b


def alone_unwilling_contact() -> SnapshotBuilder:
    s = steady()
    b = s.b
    uma = b.contact("Uma Unwilling", willingness=Willingness.UNWILLING, first_met_on=s.day(300))
    for days in (90, 80, 70):
        b.conversation(uma, s.day(days))
    for days in (15, 5):
        b.ask(uma, s.day(days))
        b.interaction(uma, s.day(days - 1), direction=Direction.INBOUND)  # "not now"
    return b


def alone_contact_lacks_leverage() -> SnapshotBuilder:
    s = steady()
    b = s.b
    mentor = _named(b, "Mira Mentor")
    target = b.contact("Lou Lowlevel", company="Stark", first_met_on=s.day(25))
    b.introduction(
        mentor, target, requested=s.day(27), made=s.day(25), contacted=s.day(24), thanked=s.day(24)
    )
    return b


def alone_intro_not_acted_on() -> SnapshotBuilder:
    s = steady()
    b = s.b
    mentor = _named(b, "Mira Mentor")
    target = b.contact("Tess Target", company="Stark")
    b.introduction(mentor, target, requested=s.day(6), made=s.day(4), thanked=s.day(3))
    return b


def alone_referral_no_show() -> SnapshotBuilder:
    s = steady()
    b = s.b
    mentor = _named(b, "Mira Mentor")
    target = b.contact("Nia Noshow", company="Stark")
    intro = b.introduction(
        mentor, target, requested=s.day(12), made=s.day(10), contacted=s.day(9), thanked=s.day(9)
    )
    b.meeting(target, s.day(5), status=MeetingStatus.NO_SHOW, introduction_id=intro)
    return b


def alone_referral_abandoned() -> SnapshotBuilder:
    s = steady()
    b = s.b
    mentor = _named(b, "Mira Mentor")
    target = b.contact("Abe Abandoned", company="Stark")
    b.introduction(
        mentor,
        target,
        requested=s.day(14),
        made=s.day(12),
        contacted=s.day(11),
        thanked=s.day(11),
        ended=s.day(5),
        status=IntroductionStatus.ABANDONED,
        abandon_reason=AbandonReason.OTHER_OPPORTUNITY,
    )
    return b


def alone_no_thanks() -> SnapshotBuilder:
    s = steady()
    other = s.b.contact("Nora Network", company="Soylent", first_met_on=s.day(100))
    s.b.meeting(other, s.day(6))
    return s.b


def alone_unprepared_meeting() -> SnapshotBuilder:
    s = steady()
    other = s.b.contact("Uri Unprepared", company="Soylent", first_met_on=s.day(100))
    s.b.meeting(other, s.day(6), prepared=False, thanked=s.day(5))
    return s.b


def alone_poor_fit() -> SnapshotBuilder:
    s = steady()
    s.b.application(
        "Tyrell",
        role="Sales lead",
        fit_rating=FitRating.POOR,
        status=ApplicationStatus.APPLIED,
        applied_on=s.day(7),
        last_client_action_on=s.day(7),
        last_employer_contact_on=s.day(3),
    )
    return s.b


def alone_scattered_targets() -> SnapshotBuilder:
    return steady(target_role_families=("data", "sales", "design", "legal")).b


def alone_presentation() -> SnapshotBuilder:
    return steady(presentation=_checklist(resume=ChecklistState.NEEDS_WORK)).b


def alone_leaving_story() -> SnapshotBuilder:
    return steady(leaving_story_verdict=Verdict.UNCONVINCING).b


def alone_reputation() -> SnapshotBuilder:
    s = steady()
    s.b.add_feedback(FeedbackAbout.OVERSTATED_CREDENTIALS, s.day(5))
    return s.b


def alone_stalemate() -> SnapshotBuilder:
    s = steady()
    quiet = s.b.contact("Quinn Quiet", company="Massive", first_met_on=s.day(200))
    s.b.conversation(quiet, s.day(20))
    s.b.follow_up_message(quiet, s.day(12))
    return s.b


def alone_over_follow_up() -> SnapshotBuilder:
    s = steady()
    pest = s.b.contact("Otto Overfollowed", company="Massive", first_met_on=s.day(200))
    s.b.interaction(pest, s.day(20))
    for days in (15, 10, 5):
        s.b.follow_up_message(pest, s.day(days))
    return s.b


def alone_follow_ups_overdue() -> SnapshotBuilder:
    s = steady()
    for name in ("Dee Due", "Ole Overdue"):
        who = s.b.contact(name, first_met_on=s.day(100))
        s.b.follow_up(who, s.day(6))
    return s.b


def alone_employer_unresponsive() -> SnapshotBuilder:
    s = steady()
    s.b.application(
        "Oscorp",
        source=ApplicationSource.REFERRAL,
        status=ApplicationStatus.INTERVIEWING,
        applied_on=s.day(40),
        last_employer_contact_on=s.day(25),
        last_client_action_on=s.day(18),
    )
    return s.b


# -- combinations, interview-heavy searches, brand-new clients ---------------------------------


def combo_low_volume_not_asking_presentation() -> SnapshotBuilder:
    return steady(
        per_week=6, ask=False, presentation=_checklist(linkedin=ChecklistState.NEEDS_WORK)
    ).b


def combo_interviews_and_job_boards() -> SnapshotBuilder:
    """Five interviews (both ways), no networking conversation, no ask, five job-board
    applications: job-board reliance, and no "talking without asking"."""
    s = Search()
    s.reach(16)
    _interviews(s, count=2, both_ways=True)
    _interviews_more(s)
    for n in range(5):
        s.b.application(
            f"Board {n}",
            source=ApplicationSource.JOB_BOARD,
            status=ApplicationStatus.APPLIED,
            applied_on=s.day(3 + 4 * n),
            last_client_action_on=s.day(3 + 4 * n),
        )
    return s.b


def _interviews_more(s: Search) -> None:
    """Three more interviews recorded only as conversations with someone at the interviewing
    company on the interview's day, besides the interview meeting itself."""
    b = s.b
    for n in range(3):
        company = f"Panelco {n}"
        lead = b.contact(f"Lena Lead {n}", company=company, first_met_on=s.day(30))
        panel = b.contact(f"Pete Panel {n}", company=company, first_met_on=s.day(30))
        app = b.application(
            company,
            status=ApplicationStatus.INTERVIEWING,
            applied_on=s.day(25),
            last_client_action_on=s.day(4),
            last_employer_contact_on=s.day(3),
        )
        b.meeting(lead, s.day(4 + n), purpose=MeetingPurpose.INTERVIEW, application_id=app)
        b.conversation(panel, s.day(4 + n), channel=Channel.VIDEO)


def combo_stalled_low_volume_stalemate() -> SnapshotBuilder:
    """Nothing moved for three weeks: few people reached, a contact gone quiet after a real
    conversation, and two follow-ups to do that slipped."""
    s = Search()
    b = s.b
    s.reach(5)
    quiet = b.contact("Quinn Quiet", company="Massive", first_met_on=s.day(200))
    b.conversation(quiet, s.day(60))
    b.conversation(quiet, s.day(22))
    b.ask(quiet, s.day(21))
    b.interaction(quiet, s.day(21), direction=Direction.INBOUND)
    b.follow_up_message(quiet, s.day(15))
    for name in ("Dee Due", "Ole Overdue"):
        who = b.contact(name, first_met_on=s.day(100))
        b.follow_up(who, s.day(8))
    for company in ("Acme", "Globex", "Initech"):
        b.application(
            company,
            status=ApplicationStatus.APPLIED,
            applied_on=s.day(30),
            last_client_action_on=s.day(30),
            last_employer_contact_on=s.day(20),
        )
    return b


def combo_intro_chain_gone_wrong() -> SnapshotBuilder:
    """An introduction acted on a week late, the meeting it led to held unprepared and never
    reported to the introducer."""
    s = steady()
    b = s.b
    mentor = _named(b, "Mira Mentor")
    target = b.contact("Tara Target", company="Stark", is_hiring_authority=True)
    intro = b.introduction(
        mentor, target, requested=s.day(20), made=s.day(18), contacted=s.day(10), thanked=s.day(17)
    )
    b.meeting(target, s.day(8), prepared=False, thanked=s.day(7), introduction_id=intro)
    return b


def new_client_day_one() -> SnapshotBuilder:
    """Invited today: three people emailed, nothing filled in by the coach yet."""
    s = Search(
        started_days_ago=0,
        presentation=(),
        leaving_story_verdict=Verdict.MISSING,
        target_role_families=(),
    )
    for n in range(3):
        s.b.interaction(s.b.contact(f"First {n}", first_met_on=s.day(300)), s.day(0))
    return s.b


def new_client_day_thirteen() -> SnapshotBuilder:
    """Thirteen days in, five people a week, two conversations, no ask yet: too early."""
    s = Search(started_days_ago=12, presentation=_unreviewed())
    for n in range(10):
        s.b.interaction(s.b.contact(f"Early {n}", first_met_on=s.day(300)), s.day(n))
    friend = s.b.contact("Fran Friend", first_met_on=s.day(400))
    s.b.conversation(friend, s.day(8))
    s.b.conversation(friend, s.day(2))
    return s.b


def new_client_intro_waiting() -> SnapshotBuilder:
    """Five days in, an introduction made four days ago: not called, introducer not thanked."""
    s = Search(started_days_ago=4, presentation=_unreviewed())
    mentor = s.b.contact("Mira Mentor", first_met_on=s.day(300))
    for days in (60, 45, 4):
        s.b.conversation(mentor, s.day(days))
    target = s.b.contact("Tess Target", company="Stark")
    s.b.introduction(mentor, target, requested=s.day(4), made=s.day(4))
    return s.b


HISTORIES: tuple[History, ...] = (
    History("healthy steady", HEALTHY, frozenset(), healthy_steady),
    History("healthy, coach inputs missing", HEALTHY, frozenset(), healthy_coach_has_not_filled_in),
    History("healthy, no other profiles", HEALTHY, frozenset(), healthy_no_other_profiles),
    History("healthy, interview-heavy", HEALTHY, frozenset(), healthy_interview_heavy),
    History(
        "healthy, interviews as meetings only",
        HEALTHY,
        frozenset(),
        healthy_interview_recorded_as_meeting_only,
    ),
    History(
        "healthy, next interview booked", HEALTHY, frozenset(), healthy_next_interview_scheduled
    ),
    History("healthy, quick introduction", HEALTHY, frozenset(), healthy_quick_introduction),
    History(
        "employer-only stall",
        EMPLOYER_ONLY,
        frozenset({"employer_unresponsive"}),
        employer_only_stall,
    ),
    History(
        "employer-only stall, thank-yous unanswered",
        EMPLOYER_ONLY,
        frozenset({"employer_unresponsive"}),
        employer_only_stall_thanked,
    ),
    History("low volume", FAILING, frozenset({"low_outreach_volume"}), alone_low_volume),
    History("one company", FAILING, frozenset({"eggs_in_one_basket"}), alone_eggs),
    History("job boards 7:2", FAILING, frozenset({"job_board_reliance"}), alone_job_board_ratio),
    History(
        "outreach after posting",
        FAILING,
        frozenset({"job_board_reliance"}),
        alone_job_board_posting_first,
    ),
    History(
        "summer", FAILING, frozenset({"low_season"}), alone_low_season, today=date(2024, 7, 29)
    ),
    History(
        "influencer untouched",
        FAILING,
        frozenset({"neglected_influencers"}),
        alone_neglected_influencer,
    ),
    History(
        "event contact dropped",
        FAILING,
        frozenset({"neglected_influencers"}),
        alone_event_contact_not_followed_up,
    ),
    History("no asks", FAILING, frozenset({"not_asking"}), alone_not_asking),
    History("ask of a stranger", FAILING, frozenset({"left_field_ask"}), alone_left_field_ask),
    History(
        "unwilling contact", FAILING, frozenset({"unwilling_contact"}), alone_unwilling_contact
    ),
    History(
        "no leverage", FAILING, frozenset({"contact_lacks_leverage"}), alone_contact_lacks_leverage
    ),
    History("intro waiting", FAILING, frozenset({"intro_not_acted_on"}), alone_intro_not_acted_on),
    History("no-show", FAILING, frozenset({"referral_no_show"}), alone_referral_no_show),
    History(
        "referral dropped", FAILING, frozenset({"referral_abandoned"}), alone_referral_abandoned
    ),
    History("no thank-you", FAILING, frozenset({"no_thanks_or_outcome"}), alone_no_thanks),
    History("unprepared", FAILING, frozenset({"unprepared_meeting"}), alone_unprepared_meeting),
    History("poor fit", FAILING, frozenset({"poor_fit_targeting"}), alone_poor_fit),
    History("scattered", FAILING, frozenset({"poor_fit_targeting"}), alone_scattered_targets),
    History("resume needs work", FAILING, frozenset({"presentation_issues"}), alone_presentation),
    History(
        "leaving story", FAILING, frozenset({"leaving_story_unconvincing"}), alone_leaving_story
    ),
    History("credibility", FAILING, frozenset({"reputation_risk"}), alone_reputation),
    History("gone quiet", FAILING, frozenset({"stalemate"}), alone_stalemate),
    History("chased", FAILING, frozenset({"over_follow_up"}), alone_over_follow_up),
    History("overdue", FAILING, frozenset({"follow_ups_overdue"}), alone_follow_ups_overdue),
    History(
        "employer silent among healthy",
        FAILING,
        frozenset({"employer_unresponsive"}),
        alone_employer_unresponsive,
    ),
    History(
        "low volume, no asks, LinkedIn needs work",
        FAILING,
        frozenset({"low_outreach_volume", "not_asking", "presentation_issues"}),
        combo_low_volume_not_asking_presentation,
    ),
    History(
        "interviews and job boards",
        FAILING,
        frozenset({"job_board_reliance"}),
        combo_interviews_and_job_boards,
    ),
    History(
        "stalled: low volume, quiet contact, overdue",
        FAILING,
        frozenset({"low_outreach_volume", "stalemate", "follow_ups_overdue"}),
        combo_stalled_low_volume_stalemate,
    ),
    History(
        "introduction chain gone wrong",
        FAILING,
        frozenset({"intro_not_acted_on", "unprepared_meeting", "no_thanks_or_outcome"}),
        combo_intro_chain_gone_wrong,
    ),
    History("new client, day one", NEW, frozenset(), new_client_day_one),
    History("new client, day thirteen", NEW, frozenset(), new_client_day_thirteen),
    History(
        "new client, introduction waiting",
        NEW,
        frozenset({"intro_not_acted_on", "no_thanks_or_outcome"}),
        new_client_intro_waiting,
    ),
)

__all__ = ["HISTORIES", "History"]
