"""The OpenAPI schema says what the dispositions endpoints answer (issue #12: the withdraw
endpoint was documented as answering a client report; it answers how many decisions ended)."""

from datetime import timedelta

from django.test import Client as HttpClient
from django.utils import timezone

from coaching.services import introduction_create


def test_withdraw_answers_what_the_schema_says(http: HttpClient, coach, search, make_contact):
    schema = http.get("/api/v1/schema/?format=json").json()
    path = "/api/v1/clients/{id}/finding-dispositions/withdraw/"
    documented = schema["paths"][path]["post"]["responses"]["200"]["content"]
    ref = documented["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"withdrawn"}

    intro = introduction_create(
        client=search,
        actor=coach,
        introducer=make_contact(search),
        target=make_contact(search),
        made_at=timezone.now() - timedelta(days=9),
    )
    key = f"intro_not_acted_on:introduction:{intro.pk}"
    http.force_login(coach)
    base = f"/api/v1/clients/{search.pk}/finding-dispositions/"
    marked = http.post(base, {"finding_key": key, "state": "acknowledged"}, "application/json")
    assert marked.status_code == 201
    answer = http.post(f"{base}withdraw/", {"finding_key": key}, "application/json")
    assert answer.status_code == 200
    assert answer.json() == {"withdrawn": 1}
