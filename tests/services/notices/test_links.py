"""Links in emails come from SERVICE_URL with only an application context: the same link
whether a page, the CLI or the scheduler sent the email, and never the request's host."""

from __future__ import annotations

from types import SimpleNamespace

from flask import has_request_context

from charter.services.notices import links, tokens

ACME = SimpleNamespace(slug="acme-ltd")


def test_a_link_needs_no_request(app):
    assert not has_request_context()
    assert links.dashboard(ACME) == "http://localhost/organisations/acme-ltd"
    assert links.link("auth.sign_in") == "http://localhost/sign-in"


def test_a_link_follows_the_service_url_its_scheme_host_and_path(app):
    app.config["SERVICE_URL"] = "https://charter.example.gov.uk/charter/"

    assert links.dashboard(ACME) == "https://charter.example.gov.uk/charter/organisations/acme-ltd"
    assert links.path("organisation.show_dashboard", slug="acme-ltd") == (
        "/charter/organisations/acme-ltd"
    )
    assert tokens.unsubscribe_url(7).startswith(
        "https://charter.example.gov.uk/charter/email-preferences/unsubscribe/"
    )


def test_a_link_built_in_a_request_ignores_the_request_host(app):
    with app.test_request_context("/", base_url="http://evil.example"):
        assert links.dashboard(ACME) == "http://localhost/organisations/acme-ltd"


def test_values_of_none_are_left_out_as_url_for_does(app):
    assert links.link("auth.sign_in", next=None) == "http://localhost/sign-in"
