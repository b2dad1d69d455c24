"""The failure-reason catalog: one entry per code, in the product's own words.

Codes are a public contract (API, reports, webhooks, exports). Advice draws on the source
articles in ``shared/seeds`` and cites them by title; the wording here is ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from coaching.diagnostics.findings import Category, Fault, Severity, Source
from coaching.vocabulary import TextChoices


class FailureCode(TextChoices):
    LOW_OUTREACH_VOLUME = "low_outreach_volume", "Too few people reached"
    EGGS_IN_ONE_BASKET = "eggs_in_one_basket", "Everything rides on one thread"
    JOB_BOARD_RELIANCE = "job_board_reliance", "Leaning on job boards"
    LOW_SEASON = "low_season", "Slow hiring season"
    NEGLECTED_INFLUENCERS = "neglected_influencers", "Key people left untended"
    NOT_ASKING = "not_asking", "Talking without asking"
    LEFT_FIELD_ASK = "left_field_ask", "Asking before trust exists"
    UNWILLING_CONTACT = "unwilling_contact", "Asking someone who won't help"
    CONTACT_LACKS_LEVERAGE = "contact_lacks_leverage", "Contact can't reach the decision-maker"
    INTRO_NOT_ACTED_ON = "intro_not_acted_on", "Introduction left waiting"
    REFERRAL_NO_SHOW = "referral_no_show", "Missed a referral meeting"
    REFERRAL_ABANDONED = "referral_abandoned", "Referral path dropped"
    NO_THANKS_OR_OUTCOME = "no_thanks_or_outcome", "No thanks or update sent"
    UNPREPARED_MEETING = "unprepared_meeting", "Meeting without preparation"
    POOR_FIT_TARGETING = "poor_fit_targeting", "Scattered or poor-fit targets"
    PRESENTATION_ISSUES = "presentation_issues", "Resume or profiles need work"
    LEAVING_STORY_UNCONVINCING = "leaving_story_unconvincing", "Reason for leaving not settled"
    REPUTATION_RISK = "reputation_risk", "Credibility concern raised"
    STALEMATE = "stalemate", "Contact went quiet"
    OVER_FOLLOW_UP = "over_follow_up", "Following up too often"
    FOLLOW_UPS_OVERDUE = "follow_ups_overdue", "Follow-ups overdue"
    EMPLOYER_UNRESPONSIVE = "employer_unresponsive", "Employer has gone silent"


ARTICLES = MappingProxyType(
    {
        "000": Source("000", "Top 5 Barriers To Job Or Contact Referrals In A Job Search"),
        "001": Source("001", "Seven Reasons Your Networking is Not Working"),
        "002": Source("002", "A personal referral backfires"),
        "003": Source("003", "When Networking Goes Bad"),
        "004": Source("004", "The Worst Part Of Networking: Handling a Stalemate"),
    }
)


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    code: FailureCode
    category: Category
    fault: Fault
    severity: Severity
    """The default; a rule may raise it (e.g. an introduction ignored for a week)."""
    source_ids: tuple[str, ...]
    explanation: str
    advice: str
    subject: str
    """What one finding is about, hence how its key is built: ``client`` (one per search),
    or a record type (one per record)."""

    @property
    def title(self) -> str:
        return str(self.code.label)

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(ARTICLES[i] for i in self.source_ids)


def _entry(
    code: FailureCode,
    category: Category,
    fault: Fault,
    severity: Severity,
    sources: tuple[str, ...],
    subject: str,
    explanation: str,
    advice: str,
) -> CatalogEntry:
    return CatalogEntry(
        code=code,
        category=category,
        fault=fault,
        severity=severity,
        source_ids=sources,
        subject=subject,
        explanation=" ".join(explanation.split()),
        advice=" ".join(advice.split()),
    )


C, F, S = Category, Fault, Severity

_ENTRIES = (
    _entry(
        FailureCode.LOW_OUTREACH_VOLUME,
        C.VOLUME,
        F.CLIENT,
        S.WARNING,
        ("001",),
        "client",
        """Networking is a numbers game before it is anything else. Reaching about 15 people a
        week is what tends to produce around three real leads; well below that, the pipeline
        runs dry no matter how good each conversation is.""",
        """Set a weekly list of people to reach (email, LinkedIn, a call or a coffee all count)
        and track it against the goal; spread it across the week rather than in one burst.
        (Seven Reasons Your Networking is Not Working)""",
    ),
    _entry(
        FailureCode.EGGS_IN_ONE_BASKET,
        C.VOLUME,
        F.CLIENT,
        S.WARNING,
        ("004",),
        "client",
        """Most of what is in motion depends on one person or one company, or there are too few
        live threads at all. If that one source goes quiet, the whole search stops with it.""",
        """Keep networking while waiting: open at least two more threads at other companies
        this week so no single reply decides the month. (The Worst Part Of Networking:
        Handling a Stalemate)""",
    ),
    _entry(
        FailureCode.JOB_BOARD_RELIANCE,
        C.VOLUME,
        F.CLIENT,
        S.WARNING,
        ("002", "003"),
        "client",
        """Cold applications far outnumber networking conversations, or people at a company are
        only approached once a posting is up. Both put the client in the crowd instead of in
        the conversation that happens before a role is advertised.""",
        """Trade some applications for conversations: for each target company, find someone to
        talk to before any posting appears. (A personal referral backfires; When Networking
        Goes Bad)""",
    ),
    _entry(
        FailureCode.LOW_SEASON,
        C.TIMING,
        F.CONTEXT,
        S.INFO,
        ("001",),
        "season",
        """Most of the recent weeks fall in a slow hiring period (mid-June to Labor Day,
        Thanksgiving to New Year). Fewer answers now says more about the calendar than about
        the client.""",
        """Use the season for face-to-face networking (gatherings, parties, events) and plan
        the follow-ups for when hiring picks up again. (Seven Reasons Your Networking is Not
        Working)""",
    ),
    _entry(
        FailureCode.NEGLECTED_INFLUENCERS,
        C.RELATIONSHIPS,
        F.CLIENT,
        S.WARNING,
        ("000",),
        "contact",
        """A key influencer has not heard from the client in a long while, or someone met at
        an event was never followed up. Referrals tend to come from relationships kept warm
        over time, not from the newest name on the list.""",
        """Reconnect with a short, useful note (news, an article, a thank-you) that asks for
        nothing, and follow up with new event contacts within a week. (Top 5 Barriers To Job
        Or Contact Referrals In A Job Search)""",
    ),
    _entry(
        FailureCode.NOT_ASKING,
        C.RELATIONSHIPS,
        F.CLIENT,
        S.WARNING,
        ("000",),
        "client",
        """The client is having real conversations but has not asked anyone for a referral or
        an introduction. Contacts rarely offer one unprompted.""",
        """Pick the two warmest recent conversations and make one specific, modest ask of
        each: a name, an introduction, a referral for a named role. Confident, not entitled.
        (Top 5 Barriers To Job Or Contact Referrals In A Job Search)""",
    ),
    _entry(
        FailureCode.LEFT_FIELD_ASK,
        C.RELATIONSHIPS,
        F.CLIENT,
        S.WARNING,
        ("000", "003"),
        "record",
        """A referral or introduction was requested from someone the client barely knows: too
        few real exchanges, met only days before, or only a LinkedIn connection. It can read
        as using the person rather than knowing them.""",
        """Build the relationship first (a couple of genuine exchanges, something offered
        before anything asked), then make the request. (Top 5 Barriers To Job Or Contact
        Referrals In A Job Search; When Networking Goes Bad)""",
    ),
    _entry(
        FailureCode.UNWILLING_CONTACT,
        C.RELATIONSHIPS,
        F.CLIENT,
        S.WARNING,
        ("001",),
        "contact",
        """The client keeps asking the same person, who is either marked as unwilling to help
        or has not turned any of the asks into anything.""",
        """Stop asking this contact for now; put the effort into people who have shown they
        are willing, and gauge willingness before the next ask. (Seven Reasons Your
        Networking is Not Working)""",
    ),
    _entry(
        FailureCode.CONTACT_LACKS_LEVERAGE,
        C.RELATIONSHIPS,
        F.CLIENT,
        S.WARNING,
        ("001",),
        "introduction",
        """An introduction reached the contact weeks ago but never got to anyone who decides
        on hiring. The contact may not have the standing or the access to carry it further.""",
        """Ask the contact directly who owns the hiring decision and whether they can connect
        you; in parallel find a second path into the company. Weigh a contact's position
        before relying on them. (Seven Reasons Your Networking is Not Working)""",
    ),
    _entry(
        FailureCode.INTRO_NOT_ACTED_ON,
        C.FOLLOW_THROUGH,
        F.CLIENT,
        S.WARNING,
        ("002", "003"),
        "introduction",
        """Someone made an introduction and the other side is expecting a call, but the client
        has not reached out. Every day of delay spends the introducer's credibility.""",
        """Contact the person today, and let the introducer know you did. Aim to act on every
        introduction within two days. (A personal referral backfires; When Networking Goes
        Bad)""",
    ),
    _entry(
        FailureCode.REFERRAL_NO_SHOW,
        C.FOLLOW_THROUGH,
        F.CLIENT,
        S.CRITICAL,
        ("002",),
        "meeting",
        """The client did not attend a meeting or interview arranged through a referral and did
        not cancel it. The person who vouched for them carries the cost.""",
        """Apologise to both the host and the introducer straight away, offer a new time if
        still interested, and agree that future meetings are cancelled ahead if plans change.
        (A personal referral backfires)""",
    ),
    _entry(
        FailureCode.REFERRAL_ABANDONED,
        C.FOLLOW_THROUGH,
        F.CLIENT,
        S.WARNING,
        ("002",),
        "introduction",
        """The client dropped an introduction or referral path, typically because another
        interview or offer came up. The relationship was worth more than that one job.""",
        """Close the loop: take the conversation anyway or tell the introducer and the contact
        plainly why not, and thank them. (A personal referral backfires)""",
    ),
    _entry(
        FailureCode.NO_THANKS_OR_OUTCOME,
        C.FOLLOW_THROUGH,
        F.CLIENT,
        S.WARNING,
        ("003",),
        "record",
        """A meeting or introduction happened without a thank-you soon after, or the introducer
        was never told how it went. Introducers stop helping people who go quiet.""",
        """Send a short thank-you within two days of every meeting or introduction, and tell
        the introducer what came of it. (When Networking Goes Bad)""",
    ),
    _entry(
        FailureCode.UNPREPARED_MEETING,
        C.FOLLOW_THROUGH,
        F.CLIENT,
        S.WARNING,
        ("003",),
        "meeting",
        """A networking or referral meeting took place without recorded preparation: research
        on the company and person, questions, a goal for the conversation.""",
        """Before every meeting, note three things: what you learned about the company and
        the person, the questions you will ask, and what you want to walk away with. (When
        Networking Goes Bad)""",
    ),
    _entry(
        FailureCode.POOR_FIT_TARGETING,
        C.FIT_PRESENTATION,
        F.CLIENT,
        S.WARNING,
        ("000",),
        "client",
        """Asks or applications target roles the coach rated a poor fit, or the targets are
        spread across many unrelated role families. A referrer's reputation rides on the fit.""",
        """Narrow to the role families where the client is clearly qualified and a good
        culture fit, and ask for referrals only there. (Top 5 Barriers To Job Or Contact
        Referrals In A Job Search)""",
    ),
    _entry(
        FailureCode.PRESENTATION_ISSUES,
        C.FIT_PRESENTATION,
        F.CLIENT,
        S.WARNING,
        ("001",),
        "client",
        """Outreach is going out while the coach found the resume, LinkedIn or other public
        profiles still needing work. Contacts look before they vouch.""",
        """Fix the flagged items this week, before the next round of asks. (Seven Reasons Your
        Networking is Not Working)""",
    ),
    _entry(
        FailureCode.LEAVING_STORY_UNCONVINCING,
        C.FIT_PRESENTATION,
        F.CLIENT,
        S.WARNING,
        ("001",),
        "client",
        """The client is networking with an account of why they left (or are leaving) their
        last employer that the coach found unconvincing. Contacts hesitate to put their name
        behind a story that does not hold together.""",
        """Work out a short, truthful explanation with the coach and rehearse it; plain facts
        beat a polished evasion. (Seven Reasons Your Networking is Not Working)""",
    ),
    _entry(
        FailureCode.REPUTATION_RISK,
        C.FIT_PRESENTATION,
        F.CLIENT,
        S.WARNING,
        ("000", "001", "003"),
        "feedback",
        """The coach or an introducer flagged overstated credentials, a relationship presented
        as closer than it is, or an earlier impression that still colours how the client is
        seen.""",
        """Address it head-on: correct what was overstated, describe relationships exactly as
        they are, and let a trusted contact vouch where an old impression lingers. (Top 5
        Barriers To Job Or Contact Referrals In A Job Search; Seven Reasons Your Networking
        is Not Working; When Networking Goes Bad)""",
    ),
    _entry(
        FailureCode.STALEMATE,
        C.FOLLOW_UP_HYGIENE,
        F.CONTEXT,
        S.INFO,
        ("004",),
        "contact",
        """A contact who had engaged has stopped answering. It often has nothing to do with
        the client: people get busy.""",
        """One email and one call are enough; then be patient and keep other conversations
        moving. (The Worst Part Of Networking: Handling a Stalemate)""",
    ),
    _entry(
        FailureCode.OVER_FOLLOW_UP,
        C.FOLLOW_UP_HYGIENE,
        F.CLIENT,
        S.WARNING,
        ("004",),
        "contact",
        """The client keeps following up with someone who has not replied. Past a couple of
        nudges it starts to feel like pressure and can burn the bridge.""",
        """Stop after one email and one call; leave the door open and spend the energy on
        other contacts. (The Worst Part Of Networking: Handling a Stalemate)""",
    ),
    _entry(
        FailureCode.FOLLOW_UPS_OVERDUE,
        C.FOLLOW_UP_HYGIENE,
        F.CLIENT,
        S.WARNING,
        ("003", "004"),
        "client",
        """Several planned follow-ups are days past due. Waiting weeks to follow up lets
        warm contacts go cold.""",
        """Clear the overdue follow-ups first (one short message each) and reschedule only
        what truly has to wait. (When Networking Goes Bad; The Worst Part Of Networking:
        Handling a Stalemate)""",
    ),
    _entry(
        FailureCode.EMPLOYER_UNRESPONSIVE,
        C.EMPLOYER,
        F.EMPLOYER,
        S.WARNING,
        ("002",),
        "application",
        """The client has done their part (applied, interviewed, offered availability) and the
        employer has stopped responding. This is on the employer, not the client.""",
        """Send one courteous check-in, ask the referrer (if any) whether they can learn the
        status, and keep other opportunities moving rather than waiting. (A personal referral
        backfires)""",
    ),
)

CATALOG = MappingProxyType({e.code.value: e for e in _ENTRIES})


def entry_for(*, code: str) -> CatalogEntry:
    return CATALOG[code]
