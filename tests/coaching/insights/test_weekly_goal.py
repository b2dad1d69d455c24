"""One weekly goal in force (coaching.insights.weekly_goal): the practice default unless the
client has their own, the same number the dashboard's summaries judge the search by."""

import pytest

from accounts.models import User
from coaching.insights.services import practice_thresholds_update
from coaching.insights.summaries import summaries_for, with_versions
from coaching.insights.weekly_goal import weekly_goal_in_force
from coaching.models import Client
from coaching.services import client_update

pytestmark = pytest.mark.django_db


def _dashboard_goal(actor: User, search: Client) -> int:
    clients = list(with_versions(Client.objects.filter(pk=search.pk)))
    return summaries_for(actor=actor, clients=clients)[search.pk].weekly_goal


def test_the_practice_default_changes_everywhere_at_once(
    search: Client, owner: User, coach: User, client_user: User
) -> None:
    goal = weekly_goal_in_force(actor=client_user, client=search)
    assert (goal.value, goal.own) == (15, False)
    assert goal.label == "15 a week (practice default)"
    practice_thresholds_update(actor=owner, changes={"weekly_goal": 12})
    for actor in (owner, coach, client_user):
        goal = weekly_goal_in_force(actor=actor, client=search)
        assert (goal.value, goal.own) == (12, False), actor.role
        assert _dashboard_goal(actor, search) == 12, actor.role
    assert goal.label_for_client == "12 a week (your practice's default)"


def test_a_goal_set_for_the_client_beats_the_default_and_says_so(
    search: Client, owner: User, coach: User, client_user: User
) -> None:
    practice_thresholds_update(actor=owner, changes={"weekly_goal": 12})
    client_update(client=search, actor=coach, data={"weekly_outreach_goal": 20})
    goal = weekly_goal_in_force(actor=client_user, client=search)
    assert (goal.value, goal.own) == (20, True)
    assert goal.label == "20 a week (set for Cleo)"
    assert goal.label_for_client == "20 a week (set for you)"
    assert _dashboard_goal(coach, search) == 20


def test_a_chosen_goal_equal_to_the_old_default_stays_the_clients(
    search: Client, owner: User, coach: User
) -> None:
    client_update(client=search, actor=coach, data={"weekly_outreach_goal": 20})
    client_update(client=search, actor=coach, data={"weekly_outreach_goal": 15})
    practice_thresholds_update(actor=owner, changes={"weekly_goal": 12})
    assert weekly_goal_in_force(actor=coach, client=search).value == 15
    assert _dashboard_goal(coach, search) == 15
