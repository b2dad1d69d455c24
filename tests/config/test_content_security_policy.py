"""The Content-Security-Policy header each page carries (tests/e2e/test_csp.py proves in
Chromium that the pages work under it)."""

import re

from django.test import Client

from api.docs_pages import REDOC_STYLE_HASHES


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_pages_allow_no_inline_script_plugins_or_framing(public_http: Client, http: Client):
    for client, path in ((public_http, "/"), (public_http, "/signup/"), (http, "/accounts/login/")):
        policy = _policy(client.get(path))
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"][0] == "'self'"
        assert all(v.startswith("'nonce-") for v in policy["script-src"][1:]), policy
        assert all(v.startswith("'nonce-") for v in policy["style-src"][1:]), policy
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert "worker-src" not in policy


def test_forms_may_post_to_our_hosts_and_stripe_only(public_http: Client, settings) -> None:
    form_action = _policy(public_http.get("/signup/"))["form-action"]
    assert form_action == [
        "'self'",
        *settings.CSRF_TRUSTED_ORIGINS,  # the public site hands a new practice to its own host
        "https://checkout.stripe.com",
        "https://billing.stripe.com",
    ]
    assert any(origin.startswith("http://*.localhost") for origin in form_action)


def test_the_api_docs_scripts_carry_the_nonce_of_their_response(http: Client) -> None:
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = http.get(path)
        policy = _policy(response)
        [nonce] = [v for v in policy["script-src"] if v.startswith("'nonce-")]
        page = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
        assert inline, path
        assert all(f'nonce="{nonce[7:-1]}"' in attributes for attributes in inline), path
        assert http.get(path)["Content-Security-Policy"] != response["Content-Security-Policy"]

    redoc = _policy(http.get("/api/v1/redoc/"))
    assert all(h in redoc["style-src"] for h in REDOC_STYLE_HASHES)
    assert redoc["worker-src"] == ["blob:"]
    swagger = _policy(http.get("/api/v1/docs/"))
    assert not any(v.startswith("'sha256-") for v in swagger["style-src"])
