"""The start page and the service information pages."""

from __future__ import annotations

import html as html_lib

import pytest

from charter.services.domain.schemes import principles_of
from tests.factories import sign_in
from tests.public.charter_helpers import new_charter
from workflows import lifecycle


def text_of(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def test_a_charters_home_explains_the_charter_and_the_mark(client, scheme):
    response = client.get("/c/shropshire/")
    page = text_of(response)
    assert response.status_code == 200
    assert "Sign the Shropshire Social Value Charter" in page
    assert "The Social Value Charter is a set of guiding principles" in page  # the scheme summary
    assert "The Charter Mark" in page
    for principle in principles_of(scheme):
        assert principle.title in page
        assert principle.description in page
    assert 'href="/create-account"' in page
    assert "Create an account" in page
    assert 'href="/sign-in"' in page
    assert 'href="/c/shropshire/how-it-works"' in page


def test_the_service_home_works_before_any_charter_exists(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No charter is open on this service yet" in text_of(response)


def test_a_charter_whose_scheme_is_not_loaded_is_not_open_for_signing(client, db):
    db.session.add(new_charter("worcestershire"))
    db.session.commit()
    response = client.get("/c/worcestershire/")
    assert response.status_code == 200
    assert "The charter is not open for signing yet" in text_of(response)


def test_a_charters_home_offers_a_signed_in_person_their_organisations(app, member):
    client = app.test_client()
    sign_in(client, member.email)
    page = text_of(client.get("/c/shropshire/"))
    assert "Go to your organisations" in page
    assert "Create an account" not in page


def test_accessibility_statement(client):
    response = client.get("/accessibility")
    page = text_of(response)
    assert response.status_code == 200
    assert "<title>Accessibility statement" in page
    for text in (
        "WCAG) version 2.2",
        "AA standard",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Advisory and Support Service (EASS)",
        "Known issues are listed below as we find them",
        "This statement was prepared on 23 November 2026",
        "mailto:",
    ):
        assert text in page, text


def test_privacy_notice(client):
    response = client.get("/privacy")
    page = text_of(response)
    assert response.status_code == 200
    for text in (
        "data controller",
        "Shropshire Council",
        "task in the public interest",
        "Public Services (Social Value) Act 2012",
        "How long we keep it",
        "Your rights",
        "Information Commissioner’s Office",
        "mailto:",
    ):
        assert text in page, text


def test_the_operator_and_contact_address_can_be_configured(app, client):
    app.config["SERVICE_OPERATOR"] = "Telford and Wrekin Council"
    app.config["SERVICE_CONTACT_EMAIL"] = "social.value@telford.example"
    for url in ("/privacy", "/accessibility"):
        page = text_of(client.get(url))
        assert "Telford and Wrekin Council" in page
        assert "mailto:social.value@telford.example" in page


def test_cookies_page_lists_only_the_session_cookie(app, client):
    response = client.get("/cookies")
    page = text_of(response)
    assert response.status_code == 200
    assert "We only use essential cookies" in page
    assert f"<code>{app.config['SESSION_COOKIE_NAME']}</code>" in page
    assert "When you close your browser" in page
    assert page.count("<code>") == 1
    assert "analytics" in page


def test_how_it_works_lists_every_stage_and_every_trigger(client, scheme):
    response = client.get("/c/shropshire/how-it-works")
    page = text_of(response)
    assert response.status_code == 200
    for label in lifecycle.STATE_LABELS.values():
        assert label in page, label
    lowered = page.lower()
    for trigger in lifecycle.TRIGGERS.values():
        assert trigger.label.lower() in lowered, trigger.name


@pytest.mark.parametrize(
    ("step", "who"),
    [
        ("Sign the charter", "The organisation"),
        ("Award the Charter Mark", "An assessor"),
        ("Suspend the organisation", "A scheme administrator"),
        ("Let the Charter Mark expire", "The service, on a scheduled review"),
    ],
)
def test_how_it_works_says_who_can_do_each_step(client, scheme, step, who):
    page = text_of(client.get("/c/shropshire/how-it-works"))
    row = page[page.index(f">{step}</th>") :]
    row = row[: row.index("</tr>")]
    assert who in row


def test_how_it_works_includes_the_generated_diagram_text(client, scheme):
    page = text_of(client.get("/c/shropshire/how-it-works"))
    details = page[page.index('<details class="govuk-details">') : page.index("</details>")]
    source = details[details.index('<pre class="app-mermaid__source"') :]
    assert lifecycle.mermaid().strip() in source
