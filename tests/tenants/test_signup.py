from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import Role, User
from tenants.models import Domain, Practice
from tenants.provisioning import practice_create

GOOD = {
    "name": "Northwind Careers",
    "slug": "northwind",
    "owner_name": "Nora Wind",
    "owner_email": "nora@northwind.example.com",
    "password": "a-long-signup-password-9",
}


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def _counts() -> tuple[int, int, set[str]]:
    return Practice.objects.live().count(), Domain.objects.count(), _schemas()


def test_signup_creates_one_schema_one_domain_one_owner_and_logs_in(public_http: Client) -> None:
    practices, domains, schemas = _counts()

    response = public_http.post("/signup/", GOOD)

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.hostname == "northwind.localhost"
    practice = Practice.objects.get(slug="northwind")
    assert practice.name == "Northwind Careers"
    assert not practice.is_spare
    assert Practice.objects.live().count() == practices + 1
    assert Domain.objects.count() == domains + 1
    assert _schemas() - schemas == {"p_northwind"}
    with schema_context("p_northwind"):
        assert list(User.objects.values_list("email", "role")) == [
            ("nora@northwind.example.com", Role.OWNER)
        ]

    # The hand-off link logs the owner in on the practice's own host, once.
    browser = Client(HTTP_HOST="northwind.localhost")
    token = parse_qs(target.query)["token"][0]
    assert browser.get(target.path, {"token": token}).status_code == 302
    home = browser.get("/")
    assert home.status_code == 200
    assert b"Nora Wind" in home.content
    reused = Client(HTTP_HOST="northwind.localhost").get(target.path, {"token": token})
    assert reused.status_code == 400


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "www", "reserved"),
        ("slug", "api", "reserved"),
        ("slug", "admin", "reserved"),
        ("slug", "alpha", "already taken"),
        ("slug", "Bad Slug!", "lowercase letters"),
        ("slug", "-lead", "lowercase letters"),
        ("slug", "ab", "lowercase letters"),
        ("owner_email", "not-an-email", "valid email"),
        ("password", "123", "too short"),
    ],
)
def test_bad_signup_shows_the_error_and_creates_nothing(
    public_http: Client, field: str, value: str, message: str
) -> None:
    before = _counts()

    response = public_http.post("/signup/", {**GOOD, field: value})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _counts() == before
    with schema_context("public"):
        assert not User.objects.filter(email=GOOD["owner_email"]).exists()


def test_failure_inside_provisioning_rolls_everything_back(
    public_http: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash after the schema was renamed and the domain written leaves no trace."""
    before = _counts()

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(User, "save", explode)
    with pytest.raises(RuntimeError):
        practice_create(**GOOD)

    assert _counts() == before
    assert not Practice.objects.filter(slug="northwind").exists()
    assert not Domain.objects.filter(domain="northwind.localhost").exists()
