"""The coach reaches every record page from where the records are listed: the client page's
tabs and the contact's page."""

from django.test import Client as HttpClient

from tests.frontend.records.conftest import Records


def test_each_list_links_to_its_records_pages(as_coach: HttpClient, recs: Records) -> None:
    c = f"/clients/{recs.client.pk}/"
    expected = {
        "findings": [c + "edit/", c + "pipeline/"],
        "activity": [c + "follow-ups/new/", c + f"follow-ups/{recs.follow_up.pk}/"],
        "contacts": [c + "contacts/new/", c + "interactions/new/"],
        "introductions": [c + "introductions/new/", c + f"introductions/{recs.introduction.pk}/"],
        "applications": [c + "applications/new/", c + f"applications/{recs.application.pk}/"],
        "meetings": [
            c + "meetings/new/",
            c + f"meetings/{recs.meeting.pk}/",
            c + "feedback/new/",
            c + f"feedback/{recs.feedback.pk}/remove/",
        ],
    }
    for tab, links in expected.items():
        page = as_coach.get(c, {"tab": tab}).content.decode()
        for link in links:
            assert f'href="{link}' in page, (tab, link)
    contact = as_coach.get(c + f"contacts/{recs.ann.pk}/").content.decode()
    for link in (
        f"contacts/{recs.ann.pk}/edit/",
        f"contacts/{recs.ann.pk}/merge/",
        f"interactions/{recs.interaction.pk}/edit/",
        f"introductions/{recs.introduction.pk}/",
    ):
        assert f'href="{c}{link}' in contact, link
