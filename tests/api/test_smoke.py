from tests.api.conftest import error_of


def test_clients_list(coach_api, search, other_search):
    response = coach_api.get("/api/v1/clients/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [c["id"] for c in body["results"]] == [search.pk]


def test_unauthenticated_is_401(http):
    response = http.get("/api/v1/clients/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_schema(http):
    response = http.get("/api/v1/schema/")
    assert response.status_code == 200
