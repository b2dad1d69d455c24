from coaching.choices import (
    Direction,
    HowMet,
    InteractionKind,
    IntroductionKind,
    MeetingPurpose,
    Willingness,
)
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.findings import Severity
from tests.diagnostics.builders import SnapshotBuilder, ago, run

NEGLECTED = FailureCode.NEGLECTED_INFLUENCERS
NOT_ASKING = FailureCode.NOT_ASKING
LEFT_FIELD = FailureCode.LEFT_FIELD_ASK
UNWILLING = FailureCode.UNWILLING_CONTACT
LEVERAGE = FailureCode.CONTACT_LACKS_LEVERAGE


# neglected_influencers


def test_influencer_touched_30_days_ago_is_fine_31_is_not() -> None:
    b = SnapshotBuilder()
    vip = b.contact("Vera", is_key_influencer=True)
    b.interaction(vip, ago(30))
    assert run(NEGLECTED, b) == []

    b = SnapshotBuilder()
    vip = b.contact("Vera", is_key_influencer=True)
    b.interaction(vip, ago(31))
    [finding] = run(NEGLECTED, b)
    assert finding.subject == f"contact:{vip}"
    assert finding.measure.value == 31
    assert "untouched for 31 days vs. a limit of 30" in finding.measure.sentence


def test_an_inbound_message_does_not_count_as_keeping_in_touch() -> None:
    b = SnapshotBuilder()
    vip = b.contact("Vera", is_key_influencer=True)
    b.interaction(vip, ago(40))
    b.interaction(vip, ago(2), direction=Direction.INBOUND)
    assert len(run(NEGLECTED, b)) == 1
    b.meeting(vip, ago(3))
    assert run(NEGLECTED, b) == []


def test_event_contact_followed_up_on_day_7_is_fine_day_8_is_not() -> None:
    b = SnapshotBuilder()
    met = b.contact("Evan", how_met=HowMet.EVENT, first_met_on=ago(10))
    b.interaction(met, ago(3))
    assert run(NEGLECTED, b) == []

    b = SnapshotBuilder()
    met = b.contact("Evan", how_met=HowMet.EVENT, first_met_on=ago(10))
    b.interaction(met, ago(2))
    [finding] = run(NEGLECTED, b)
    assert finding.measure.value == 8
    assert "first followed up after 8 days" in finding.measure.sentence


def test_event_contact_without_follow_up_fires_once_the_week_is_over() -> None:
    b = SnapshotBuilder()
    b.contact("Evan", how_met=HowMet.EVENT, first_met_on=ago(7))
    assert run(NEGLECTED, b) == []
    b = SnapshotBuilder()
    b.contact("Evan", how_met=HowMet.EVENT, first_met_on=ago(8))
    [finding] = run(NEGLECTED, b)
    assert "not followed up after 8 days" in finding.measure.sentence


def test_ordinary_quiet_contacts_are_not_neglected_influencers() -> None:
    b = SnapshotBuilder()
    b.interaction(b.contact(), ago(90))
    assert run(NEGLECTED, b) == []


# not_asking


def conversations(b: SnapshotBuilder, n: int) -> list[int]:
    people = [b.contact(first_met_on=ago(200)) for _ in range(n)]
    for i, person in enumerate(people):
        b.conversation(person, ago(2 + 3 * i))
    return people


def test_not_asking_fires_at_five_conversations_without_an_ask() -> None:
    b = SnapshotBuilder()
    conversations(b, 5)
    [finding] = run(NOT_ASKING, b)
    assert finding.measure.value == 5
    assert len(finding.evidence) == 5


def test_not_asking_silent_at_four_or_with_one_ask() -> None:
    b = SnapshotBuilder()
    conversations(b, 4)
    assert run(NOT_ASKING, b) == []
    b = SnapshotBuilder()
    people = conversations(b, 5)
    b.ask(people[0], ago(1), kind=InteractionKind.INTRODUCTION_REQUEST)
    assert run(NOT_ASKING, b) == []


def test_a_meeting_recorded_twice_is_one_conversation_and_interviews_do_not_count() -> None:
    b = SnapshotBuilder()
    people = conversations(b, 4)
    b.meeting(people[0], ago(2))  # same contact, same day as its call
    b.meeting(b.contact(), ago(3), purpose=MeetingPurpose.INTERVIEW)
    assert run(NOT_ASKING, b) == []
    b.meeting(b.contact(), ago(4))
    assert len(run(NOT_ASKING, b)) == 1


def test_an_introduction_request_on_record_counts_as_an_ask() -> None:
    b = SnapshotBuilder()
    people = conversations(b, 5)
    b.introduction(people[0], b.contact(), requested=ago(1))
    assert run(NOT_ASKING, b) == []


# left_field_ask


def known(b: SnapshotBuilder, prior: int, **fields: object) -> int:
    fields.setdefault("first_met_on", ago(60))
    person = b.contact("Kim", **fields)
    for i in range(prior):
        b.conversation(person, ago(20 - 3 * i))
    return person


def test_ask_after_two_real_exchanges_is_fine() -> None:
    b = SnapshotBuilder()
    b.ask(known(b, 2), ago(5))
    assert run(LEFT_FIELD, b) == []


def test_ask_after_one_exchange_is_out_of_left_field() -> None:
    b = SnapshotBuilder()
    ask = b.ask(known(b, 1), ago(5))
    [finding] = run(LEFT_FIELD, b)
    assert finding.subject == f"interaction:{ask}"
    assert finding.measure.value == 1
    assert finding.measure.threshold == 2
    assert "1 prior two-way interaction with Kim vs. at least 2" in finding.measure.sentence


def test_replies_count_as_two_way_and_two_on_one_day_count_once() -> None:
    b = SnapshotBuilder()
    kim = known(b, 1)
    b.interaction(kim, ago(9), replied_on=ago(8))
    b.ask(kim, ago(5))
    assert run(LEFT_FIELD, b) == []

    b = SnapshotBuilder()
    kim = known(b, 0)
    b.conversation(kim, ago(9))
    b.interaction(kim, ago(9), direction=Direction.INBOUND)
    b.ask(kim, ago(5))
    assert len(run(LEFT_FIELD, b)) == 1


def test_known_for_13_days_is_too_soon_14_is_fine() -> None:
    b = SnapshotBuilder()
    kim = b.contact("Kim", first_met_on=ago(18))
    b.conversation(kim, ago(17))
    b.conversation(kim, ago(10))
    b.ask(kim, ago(5))
    [finding] = run(LEFT_FIELD, b)
    assert "met Kim 13 days before vs. at least 14" in finding.measure.sentence

    b = SnapshotBuilder()
    kim = b.contact("Kim", first_met_on=ago(19))
    b.conversation(kim, ago(17))
    b.conversation(kim, ago(10))
    b.ask(kim, ago(5))
    assert run(LEFT_FIELD, b) == []


def test_linkedin_only_tie_is_out_of_left_field() -> None:
    b = SnapshotBuilder()
    b.ask(known(b, 2, how_met=HowMet.LINKEDIN_ONLY), ago(5))
    [finding] = run(LEFT_FIELD, b)
    assert "only a LinkedIn connection" in finding.measure.sentence


def test_resume_forwarded_by_a_near_stranger() -> None:
    b = SnapshotBuilder()
    stranger = known(b, 0)
    intro = b.introduction(stranger, b.contact(), made=ago(4), kind=IntroductionKind.RESUME_FORWARD)
    [finding] = run(LEFT_FIELD, b)
    assert finding.subject == f"introduction:{intro}"
    assert finding.measure.sentence.startswith("Resume forwarded by Kim")

    b = SnapshotBuilder()
    friend = known(b, 2)
    b.introduction(friend, b.contact(), made=ago(4), kind=IntroductionKind.RESUME_FORWARD)
    assert run(LEFT_FIELD, b) == []


def test_asks_before_the_window_are_not_reported() -> None:
    b = SnapshotBuilder()
    b.ask(known(b, 0), ago(28))
    assert run(LEFT_FIELD, b) == []


# unwilling_contact


def test_two_fruitless_asks_fire_one_does_not() -> None:
    b = SnapshotBuilder()
    dana = b.contact("Dana")
    b.ask(dana, ago(10))
    assert run(UNWILLING, b) == []
    b.ask(dana, ago(3))
    [finding] = run(UNWILLING, b)
    assert finding.subject == f"contact:{dana}"
    assert finding.measure.value == 2
    assert "with nothing to show for them" in finding.measure.sentence


def test_asks_that_produced_an_introduction_are_fine() -> None:
    b = SnapshotBuilder()
    dana = b.contact("Dana")
    b.ask(dana, ago(10))
    b.ask(dana, ago(8))
    b.introduction(dana, b.contact(), made=ago(6))
    assert run(UNWILLING, b) == []


def test_repeated_asks_to_a_contact_marked_unwilling() -> None:
    b = SnapshotBuilder()
    dana = b.contact("Dana", willingness=Willingness.UNWILLING)
    b.ask(dana, ago(10))
    b.introduction(dana, b.contact(), made=ago(9))
    b.ask(dana, ago(3))
    [finding] = run(UNWILLING, b)
    assert "marked unwilling to help" in finding.measure.sentence


def test_old_asks_are_not_reported() -> None:
    b = SnapshotBuilder()
    dana = b.contact("Dana")
    b.ask(dana, ago(40))
    b.ask(dana, ago(30))
    assert run(UNWILLING, b) == []


# contact_lacks_leverage


def leverage_case(made: int, **fields: object) -> SnapshotBuilder:
    b = SnapshotBuilder()
    target = b.contact("Tom", is_hiring_authority=bool(fields.pop("authority", False)))
    b.introduction(b.contact("Ivy"), target, made=ago(made), **fields)
    return b


def test_leverage_fires_after_21_days_without_a_hiring_authority() -> None:
    assert run(LEVERAGE, leverage_case(21, contacted=ago(20))) == []
    [finding] = run(LEVERAGE, leverage_case(22, contacted=ago(21)))
    assert finding.measure.value == 22
    assert finding.severity == Severity.WARNING


def test_leverage_silent_when_a_hiring_authority_was_reached() -> None:
    assert run(LEVERAGE, leverage_case(40, contacted=ago(39), reached_authority=ago(30))) == []
    assert run(LEVERAGE, leverage_case(40, contacted=ago(39), authority=True)) == []


def test_leverage_leaves_an_unacted_introduction_to_intro_not_acted_on() -> None:
    assert run(LEVERAGE, leverage_case(40)) == []
