"""The findings tab lists, beside the findings, the coach's to-dos (gaps in the coach's own
inputs, never findings), what is working and what is too early to tell (#15)."""

from collections.abc import Callable

from django.test import Client as HttpClient

from accounts.models import User
from coaching.choices import ChecklistState, PresentationItem
from coaching.models import Client
from coaching.services.clients import client_review_presentation


def test_unreviewed_checklist_items_are_the_coachs_todos(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    for item in PresentationItem.values:
        client_review_presentation(
            client=search, actor=coach, item=item, state=ChecklistState.UNREVIEWED
        )
    client_review_presentation(
        client=search, actor=coach, item="other_profiles", state=ChecklistState.NOT_APPLICABLE
    )
    page = as_user(coach).get(f"/clients/{search.pk}/").content.decode()
    assert "Your to-dos for this client" in page
    assert "Review Cleo&#x27;s LinkedIn profile" in page
    assert "Review Cleo&#x27;s resume" in page
    assert "other public profiles" not in page  # not applicable: nothing to do
    assert "Resume or profiles need work" not in page  # never a finding
    assert "review_presentation" not in page  # no codes on a page


def test_a_reviewed_checklist_leaves_no_todo(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    for item in PresentationItem.values:
        client_review_presentation(client=search, actor=coach, item=item, state=ChecklistState.OK)
    page = as_user(coach).get(f"/clients/{search.pk}/").content.decode()
    assert "Review Cleo" not in page
