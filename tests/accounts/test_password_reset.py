import re

from django.core import mail
from django.test import Client

from accounts.models import User


def test_password_reset_by_email_on_the_practice_host(http: Client, coach: User) -> None:
    response = http.post("/accounts/password/reset/", {"email": "coach@alpha.example.com"})
    assert response.status_code == 302

    link = re.search(
        r"http://alpha\.localhost(?::\d+)?(/accounts/password/reset/key/\S+)", mail.outbox[-1].body
    )
    assert link is not None, mail.outbox[-1].body
    form_page = http.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    response = http.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": "brand-new-password-5", "password2": "brand-new-password-5"},
    )

    assert response.status_code == 302
    coach.refresh_from_db()
    assert coach.check_password("brand-new-password-5")


def test_reset_for_an_address_of_another_practice_sends_nothing_useful(
    other_http: Client, coach: User
) -> None:
    other_http.post("/accounts/password/reset/", {"email": "coach@alpha.example.com"})

    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)
