"""One function per failure code: ``rule(*, ctx) -> list[Finding]``."""

from __future__ import annotations

from types import MappingProxyType

from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.rules.common import Rule
from coaching.diagnostics.rules.employer import employer_unresponsive
from coaching.diagnostics.rules.fit import (
    leaving_story_unconvincing,
    poor_fit_targeting,
    presentation_issues,
    reputation_risk,
)
from coaching.diagnostics.rules.follow_through import (
    intro_not_acted_on,
    no_thanks_or_outcome,
    referral_abandoned,
    referral_no_show,
    unprepared_meeting,
)
from coaching.diagnostics.rules.hygiene import follow_ups_overdue, over_follow_up, stalemate
from coaching.diagnostics.rules.relationships import (
    contact_lacks_leverage,
    left_field_ask,
    neglected_influencers,
    not_asking,
    unwilling_contact,
)
from coaching.diagnostics.rules.timing import low_season
from coaching.diagnostics.rules.volume import (
    eggs_in_one_basket,
    job_board_reliance,
    low_outreach_volume,
)

RULES: MappingProxyType[str, Rule] = MappingProxyType(
    {
        FailureCode.LOW_OUTREACH_VOLUME: low_outreach_volume,
        FailureCode.EGGS_IN_ONE_BASKET: eggs_in_one_basket,
        FailureCode.JOB_BOARD_RELIANCE: job_board_reliance,
        FailureCode.LOW_SEASON: low_season,
        FailureCode.NEGLECTED_INFLUENCERS: neglected_influencers,
        FailureCode.NOT_ASKING: not_asking,
        FailureCode.LEFT_FIELD_ASK: left_field_ask,
        FailureCode.UNWILLING_CONTACT: unwilling_contact,
        FailureCode.CONTACT_LACKS_LEVERAGE: contact_lacks_leverage,
        FailureCode.INTRO_NOT_ACTED_ON: intro_not_acted_on,
        FailureCode.REFERRAL_NO_SHOW: referral_no_show,
        FailureCode.REFERRAL_ABANDONED: referral_abandoned,
        FailureCode.NO_THANKS_OR_OUTCOME: no_thanks_or_outcome,
        FailureCode.UNPREPARED_MEETING: unprepared_meeting,
        FailureCode.POOR_FIT_TARGETING: poor_fit_targeting,
        FailureCode.PRESENTATION_ISSUES: presentation_issues,
        FailureCode.LEAVING_STORY_UNCONVINCING: leaving_story_unconvincing,
        FailureCode.REPUTATION_RISK: reputation_risk,
        FailureCode.STALEMATE: stalemate,
        FailureCode.OVER_FOLLOW_UP: over_follow_up,
        FailureCode.FOLLOW_UPS_OVERDUE: follow_ups_overdue,
        FailureCode.EMPLOYER_UNRESPONSIVE: employer_unresponsive,
    }
)

__all__ = ["RULES", "Rule"]
