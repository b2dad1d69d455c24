"""The demo practice's clients: a healthy search, and searches that each show one or two reasons
of the failure-reason catalog (shared/design/failure-reasons.md), all dated relative to as-of.

Every story starts from `healthy()` (enough outreach, warm asks, prepared and thanked meetings,
threads spread over companies) and bends it just enough for its reasons to show, so no other
reason fires by accident. `low_season` is not a story: it depends on the as-of day, and then
applies to every client.
"""

from collections.abc import Callable
from dataclasses import dataclass

from coaching.choices import (
    AbandonReason,
    ApplicationSource,
    ApplicationStatus,
    Channel,
    ChecklistState,
    FeedbackAbout,
    FeedbackSource,
    FitRating,
    HowMet,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
    Willingness,
)
from coaching.demo.builder import COMPANIES, SearchBuilder
from coaching.models import Contact


@dataclass(frozen=True, slots=True)
class Story:
    slug: str  # also the demo client's email local part: <slug>@demo.warmpath.test
    name: str
    headline: str
    reasons: tuple[str, ...]  # catalog codes this search shows; () for a healthy search
    write: Callable[[SearchBuilder], None]
    landed: bool = False
    status: str = "active"  # the search status the demo shows: active, slowing, stalled, landed


@dataclass(slots=True)
class Baseline:
    """The people of a healthy search, for stories to build on."""

    warm: list[Contact]  # colleagues and friends with real conversations behind them
    influencers: list[Contact]
    cold: list[Contact]  # acquaintances reached by email and LinkedIn


def healthy(
    b: SearchBuilder,
    *,
    weekly_reach: int = 17,
    recent_reach: int | None = None,
    quiet: int = 0,
    asks: bool = True,
    influencers_recent: bool = True,
    applications: bool = True,
    intro: bool = True,
) -> Baseline:
    """Six weeks of a search that works: `weekly_reach` distinct contacts a week, two real
    conversations a week with warm contacts, asks only after rapport, every meeting prepared and
    thanked, threads at several companies, employers answering.

    `recent_reach` (cold contacts a week over the last two weeks, default `weekly_reach`) lets
    outreach fall off: slowing. `quiet` leaves no forward progress (conversation, introduction
    made, meeting held) in the last `quiet` days: more than 14 is a stalled search, though the
    client keeps writing to people."""
    rng = b.rng
    warm = [
        b.contact(how_met=rng.choice([HowMet.COLLEAGUE, HowMet.FRIEND, HowMet.ALUMNI]))
        for _ in range(8)
    ]
    influencers = [b.contact(how_met=HowMet.COLLEAGUE, is_key_influencer=True) for _ in range(2)]
    cold = [
        b.contact(how_met=rng.choice([HowMet.ALUMNI, HowMet.OTHER]), met_days_ago=400)
        for _ in range(60)
    ]
    answered: set[int] = (
        set()
    )  # once a contact has answered, leaving them unanswered is a stalemate
    for week in reversed(range(6)):
        reach = recent_reach if recent_reach is not None and week < 2 else weekly_reach
        for i, contact in enumerate(rng.sample(cold, reach)):
            replies = contact.pk in answered or rng.random() < 0.35
            replied = rng.uniform(0.3, 2) if replies else None
            if replies:
                answered.add(contact.pk)
            channel = rng.choice([Channel.EMAIL, Channel.LINKEDIN])
            b.touch(contact, week * 7 + i % 5 + 1, channel=channel, replied_after=replied)
        for contact in rng.sample(warm, 2):
            days = week * 7 + rng.randint(1, 5)
            if days >= quiet:
                b.conversation(contact, days)
    for contact in influencers:
        days = rng.randint(3, 12) + quiet if influencers_recent else rng.randint(45, 60)
        b.conversation(contact, days, channel=Channel.PHONE)
    # Every warm contact has two conversations well before anyone is asked for help.
    for contact in warm:
        b.conversation(contact, 40 + quiet)
        b.conversation(contact, 33 + quiet)
    askees = warm[:2]
    if asks:
        b.touch(askees[1], 8, kind=InteractionKind.REFERRAL_REQUEST, replied_after=1)
    if intro:
        q = quiet  # a quiet search had its introduction and interview before it went quiet
        target = b.contact(how_met=HowMet.INTRODUCED, met_days_ago=18 + q,
                           is_hiring_authority=True)  # fmt: skip
        app = b.application(target.company, applied=9 + q, source=ApplicationSource.REFERRAL,
                            status=ApplicationStatus.INTERVIEWING, first_outreach=17 + q,
                            posting_seen=12 + q, employer_contact=3 + q)  # fmt: skip
        made = b.introduction(askees[0], target, requested=20 + q if asks else None, made=18 + q,
                              contacted=17 + q, thanked=17 + q, hiring_authority=16 + q,
                              outcome=9 + q, application=app)  # fmt: skip
        b.meeting(target, 14 + q, introduction=made, purpose=MeetingPurpose.INFORMATIONAL)
        b.meeting(target, 5 + q, purpose=MeetingPurpose.INTERVIEW, application=app)
    # An event contact met recently and followed up within the week.
    event = b.contact(how_met=HowMet.EVENT, met_days_ago=20)
    b.touch(event, 18, replied_after=1)
    if applications:
        used = {c.company for c in (*warm, *influencers)}
        others = [c for c in COMPANIES if c not in used] or list(COMPANIES)
        b.application(others[0], applied=10, employer_contact=5)
        b.application(others[-1], applied=6, source=ApplicationSource.JOB_BOARD, fit=FitRating.FAIR,
                      posting_seen=7)  # fmt: skip
    repliers = sorted(answered) or [c.pk for c in cold]
    followed = [c for c in cold if c.pk in set(rng.sample(repliers, min(4, len(repliers))))]
    for contact, due in zip(followed, (20, 15, 9, 4), strict=False):
        b.follow_up(contact, due, done=due - 0.5)
    b.follow_up(warm[3], -2)
    return Baseline(warm=warm, influencers=influencers, cold=cold)


# --- the stories ------------------------------------------------------------------------------


def steady(b: SearchBuilder) -> None:
    b.profile()
    healthy(b)


def steady_product(b: SearchBuilder) -> None:
    b.profile(families=("product",))
    healthy(b, weekly_reach=19)


def landed(b: SearchBuilder) -> None:
    b.profile()
    healthy(b)
    b.application("Summit Aerospace", applied=30, status=ApplicationStatus.ACCEPTED,
                  source=ApplicationSource.REFERRAL, employer_contact=5)  # fmt: skip


def quiet_and_unprepared(b: SearchBuilder) -> None:
    """low_outreach_volume + unprepared_meeting."""
    b.profile()
    base = healthy(b, weekly_reach=6)
    b.meeting(base.warm[4], 4, prepared=None, purpose=MeetingPurpose.NETWORKING)
    b.meeting(base.warm[5], 10, prepared=None, purpose=MeetingPurpose.INFORMATIONAL)


def one_basket(b: SearchBuilder) -> None:
    """eggs_in_one_basket: every live thread hangs on Northwind Traders and one contact."""
    b.profile()
    base = healthy(b, intro=False, applications=False)
    insider = b.contact(company="Northwind Traders", is_hiring_authority=True, met_days_ago=200)
    b.conversation(insider, 30)
    b.conversation(insider, 22)
    app = b.application("Northwind Traders", applied=12, source=ApplicationSource.REFERRAL,
                        status=ApplicationStatus.INTERVIEWING, employer_contact=4,
                        first_outreach=30, posting_seen=15)  # fmt: skip
    b.introduction(base.warm[0], insider, requested=25, made=24, contacted=23, thanked=23,
                   hiring_authority=23, outcome=20, application=app)  # fmt: skip
    b.meeting(insider, 6, purpose=MeetingPurpose.INTERVIEW, application=app)


def job_boards_and_shotgun(b: SearchBuilder) -> None:
    """job_board_reliance + poor_fit_targeting; networking gave way to applying: slowing."""
    families = ("data", "marketing", "sales", "nursing", "logistics", "design")
    b.profile(families=families)
    base = healthy(b, weekly_reach=30, recent_reach=8, applications=False)
    for i in range(16):
        family = families[i % len(families)]
        applied = 2 + i
        b.application(COMPANIES[i], applied=applied, source=ApplicationSource.JOB_BOARD,
                      fit=FitRating.POOR if i % 3 == 0 else FitRating.FAIR, family=family,
                      posting_seen=applied + 1, first_outreach=applied - 1 if i < 5 else None,
                      status=ApplicationStatus.REJECTED if applied > 12 else ApplicationStatus.APPLIED,  # noqa: E501
                      employer_contact=applied - 5 if applied > 12 else None)  # fmt: skip
    # Only a handful of real conversations against sixteen cold applications.
    b.conversation(base.warm[6], 3)


def ghosted_introductions(b: SearchBuilder) -> None:
    """intro_not_acted_on + no_thanks_or_outcome."""
    b.profile()
    base = healthy(b)
    for made in (9, 4):
        target = b.contact(how_met=HowMet.INTRODUCED, met_days_ago=made, is_hiring_authority=True)
        b.introduction(base.warm[1], target, requested=made + 3, made=made)
    met = b.contact(how_met=HowMet.INTRODUCED, met_days_ago=16)
    intro = b.introduction(base.warm[2], met, requested=19, made=16, contacted=15,
                           hiring_authority=15)  # fmt: skip
    b.meeting(met, 7, introduction=intro, thanked=None, purpose=MeetingPurpose.INFORMATIONAL)


def no_show_and_dropped(b: SearchBuilder) -> None:
    """referral_no_show + referral_abandoned: both paths lost, nothing has moved since: stalled."""
    b.profile()
    base = healthy(b, quiet=16)
    ceo = b.contact(
        how_met=HowMet.INTRODUCED, met_days_ago=17, is_hiring_authority=True, title="CEO"
    )
    intro = b.introduction(base.warm[2], ceo, requested=19, made=17, contacted=16, thanked=16,
                           hiring_authority=16)  # fmt: skip
    b.meeting(ceo, 8, purpose=MeetingPurpose.INTERVIEW, status=MeetingStatus.NO_SHOW,
              introduction=intro, thanked=None)  # fmt: skip
    founder = b.contact(how_met=HowMet.INTRODUCED, met_days_ago=20, title="Founder")
    b.introduction(base.warm[3], founder, requested=22, made=20, thanked=19, ended=12,
                   status=IntroductionStatus.ABANDONED,
                   abandon_reason=AbandonReason.OTHER_OPPORTUNITY,
                   note="Waiting on another interview first.")  # fmt: skip


def never_asks(b: SearchBuilder) -> None:
    """not_asking + neglected_influencers."""
    b.profile()
    base = healthy(b, asks=False, intro=False, influencers_recent=False)
    for days in (2, 6, 9, 13, 16, 20, 24):
        b.conversation(base.warm[(days % 6) + 2], days, channel=Channel.VIDEO)
    for _ in range(3):  # met at a meetup twelve days ago, never contacted since
        b.contact(how_met=HowMet.EVENT, met_days_ago=12)
    b.application("Riverbend Hospital", applied=8, employer_contact=2)


def pushy_asks(b: SearchBuilder) -> None:
    """left_field_ask + unwilling_contact."""
    b.profile()
    healthy(b)
    stranger = b.contact(how_met=HowMet.LINKEDIN_ONLY, met_days_ago=5, is_hiring_authority=True)
    b.touch(stranger, 4, kind=InteractionKind.REFERRAL_REQUEST, channel=Channel.LINKEDIN)
    near_stranger = b.contact(how_met=HowMet.LINKEDIN_ONLY, met_days_ago=9)
    target = b.contact(how_met=HowMet.OTHER, met_days_ago=3, is_hiring_authority=True)
    b.introduction(near_stranger, target, kind=IntroductionKind.RESUME_FORWARD, requested=8, made=3,
                   contacted=2, thanked=2)  # fmt: skip
    reluctant = b.contact(willingness=Willingness.UNWILLING, met_days_ago=700)
    for days in (24, 15, 6):
        b.touch(reluctant, days, kind=InteractionKind.INTRODUCTION_REQUEST)


def stalemate_and_overdue(b: SearchBuilder) -> None:
    """stalemate + follow_ups_overdue: the client keeps writing, nobody moves: stalled."""
    b.profile()
    base = healthy(b, quiet=16)
    engaged = b.contact(met_days_ago=300, is_hiring_authority=True)
    b.conversation(engaged, 26, channel=Channel.PHONE)
    b.conversation(engaged, 21, channel=Channel.VIDEO)
    b.touch(engaged, 16, kind=InteractionKind.FOLLOW_UP)
    b.touch(engaged, 12, kind=InteractionKind.FOLLOW_UP, channel=Channel.PHONE)
    for contact, due in zip(base.cold[-3:], (5, 7, 8), strict=True):
        b.follow_up(contact, due)


def over_follow_up_and_no_leverage(b: SearchBuilder) -> None:
    """over_follow_up + contact_lacks_leverage: chasing a silent contact and a path that leads
    nowhere, and nothing has moved for weeks: stalled."""
    b.profile()
    base = healthy(b, quiet=16)
    silent = b.contact(met_days_ago=500)
    b.touch(silent, 25)
    for days in (20, 15, 10, 5):
        b.touch(silent, days, kind=InteractionKind.FOLLOW_UP)
    peer = b.contact(how_met=HowMet.INTRODUCED, met_days_ago=32, title="Senior Analyst")
    intro = b.introduction(base.warm[4], peer, requested=34, made=32, contacted=31, thanked=31,
                           outcome=27)  # fmt: skip
    b.meeting(peer, 29, introduction=intro, thanked=0.5, purpose=MeetingPurpose.INFORMATIONAL)


def presentation_and_story(b: SearchBuilder) -> None:
    """presentation_issues + leaving_story_unconvincing; fewer answers, less outreach: slowing."""
    b.profile(
        verdict="unconvincing",
        checklist={"resume": ChecklistState.NEEDS_WORK, "linkedin": ChecklistState.UNREVIEWED},
    )
    healthy(b, weekly_reach=30, recent_reach=8)


def reputation_and_silent_employer(b: SearchBuilder) -> None:
    """reputation_risk + employer_unresponsive."""
    b.profile()
    base = healthy(b)
    b.feedback(
        source=FeedbackSource.INTRODUCER,
        about=FeedbackAbout.OVERSTATED_CREDENTIALS,
        days_ago=10,
        contact=base.warm[0],
        note="Claimed to lead the migration; the manager learned she was on the team.",
    )
    manager = b.contact(company="Harbor Insurance", is_hiring_authority=True, met_days_ago=40)
    app = b.application("Harbor Insurance", applied=35, status=ApplicationStatus.INTERVIEWING,
                        employer_contact=20, client_action=18)  # fmt: skip
    b.meeting(manager, 20, purpose=MeetingPurpose.INTERVIEW, application=app)


STORIES: tuple[Story, ...] = (
    Story("steady-sam", "Sam Steady", "Data platform lead", (), steady),
    Story("steady-nia", "Nia Networker", "Product manager", (), steady_product),
    Story("landed-leo", "Leo Landed", "Analytics manager", (), landed, landed=True,
          status="landed"),
    Story("quiet-quinn", "Quinn Quiet", "BI developer",
          ("low_outreach_volume", "unprepared_meeting"), quiet_and_unprepared),
    Story("basket-bea", "Bea Basket", "Supply-chain analyst", ("eggs_in_one_basket",), one_basket),
    Story("board-bella", "Bella Boards", "Anything, really",
          ("job_board_reliance", "poor_fit_targeting"), job_boards_and_shotgun, status="slowing"),
    Story("ghost-gina", "Gina Ghost", "Marketing analyst",
          ("intro_not_acted_on", "no_thanks_or_outcome"), ghosted_introductions),
    Story("no-show-nick", "Nick Noshow", "Software engineer",
          ("referral_no_show", "referral_abandoned"), no_show_and_dropped, status="stalled"),
    Story("shy-sofia", "Sofia Shy", "Data scientist",
          ("not_asking", "neglected_influencers"), never_asks),
    Story("pushy-pete", "Pete Pushy", "Sales engineer",
          ("left_field_ask", "unwilling_contact"), pushy_asks),
    Story("stalled-stan", "Stan Stalled", "Operations lead",
          ("stalemate", "follow_ups_overdue"), stalemate_and_overdue, status="stalled"),
    Story("eager-ed", "Ed Eager", "Finance analyst",
          ("over_follow_up", "contact_lacks_leverage"), over_follow_up_and_no_leverage,
          status="stalled"),
    Story("polish-paula", "Paula Polish", "UX researcher",
          ("presentation_issues", "leaving_story_unconvincing"), presentation_and_story,
          status="slowing"),
    Story("risky-rick", "Rick Risky", "Engineering manager",
          ("reputation_risk", "employer_unresponsive"), reputation_and_silent_employer),
)  # fmt: skip
