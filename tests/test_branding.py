"""The service's branding comes from its default charter: the header's service name and the
running body that signs emails, held by the process (no query per page), read again when a
charter changes; the configuration's SERVICE_NAME, where set, wins; without a charter, today's
words."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, text

from charter import create_app
from charter.models import Charter
from charter.services.domain.schemes import load_scheme_text
from charter.services.notices.outbox import queue_email
from config import TestConfig
from tests.services.domain.scheme_text_helpers import another_charter, charter_line


def _header(client) -> str:
    page = client.get("/").get_data(as_text=True)
    start = page.index('class="govuk-service-navigation__service-name"')
    return page[start : page.index("</a>", start)]


def _sign_off(app) -> str:
    with app.test_request_context():
        email = queue_email(
            "someone@example.com",
            "Your password was changed",
            "password-changed",
            full_name="Ann Example",
            changed_at=datetime(2026, 12, 6, 9, 0),
            reset_url="http://localhost/reset",
        )
    return email.body.rstrip("\n").rsplit("\n\n", 1)[-1]


def test_without_a_charter_the_service_keeps_todays_name_and_operator(app, client):
    assert "Social Value Charter Mark" in _header(client)
    assert _sign_off(app) == "Social Value Charter Mark\n" + app.config["SERVICE_OPERATOR"]


def test_the_default_charter_names_the_service_and_signs_its_emails(app, client, scheme, db):
    # Shropshire's service name is today's: the demo's pages look as they did.
    assert "Social Value Charter Mark" in _header(client)
    assert _sign_off(app) == "Social Value Charter Mark\nSocial Value Group"

    load_scheme_text(charter_line("service_name", '"Shropshire Social Value Charter Mark"'))
    db.session.commit()
    assert "Shropshire Social Value Charter Mark" in _header(client)

    # A second charter does not rebrand the pages that serve the first.
    load_scheme_text(another_charter())
    db.session.commit()
    assert "Shropshire Social Value Charter Mark" in _header(client)


def test_the_configured_service_name_wins_over_the_charters(app, client, scheme):
    app.config["SERVICE_NAME"] = "Telford Charter Mark"
    app.extensions.pop("charter_branding", None)
    assert "Telford Charter Mark" in _header(client)
    assert _sign_off(app) == "Telford Charter Mark\nSocial Value Group"


def test_pages_read_no_charter_while_the_branding_is_held(client, scheme, db):
    client.get("/")
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        for url in ("/", "/c/shropshire/register", "/c/shropshire/impact", "/accessibility"):
            assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    # (A charter's page finds its charter, g.charter, in the held copy; its scheme is narrowed
    # to that charter by id inside the scheme's own query.)
    assert not [s for s in statements if s.lstrip().startswith("SELECT charters.")]
    assert [s for s in statements if "FROM schemes" in s], "the test sees the statements"


def test_a_change_made_elsewhere_is_read_after_the_holding_time(app, client, scheme, db):
    with db.engine.begin() as connection:  # another process: no session events here
        connection.execute(text("UPDATE charters SET service_name = 'Renamed Charter Mark'"))
    assert "Renamed Charter Mark" not in _header(client)
    app.config["CHARTER_BRANDING_TTL"] = 0
    assert "Renamed Charter Mark" in _header(client)


def test_a_change_rolled_back_leaves_the_branding_as_it_was(app, client, scheme, db):
    charter = db.session.get(Charter, scheme.charter_id)
    charter.service_name = "Never Committed"
    db.session.flush()
    db.session.rollback()
    assert "Never Committed" not in _header(client)
    assert "Social Value Charter Mark" in _header(client)


def test_a_database_that_cannot_be_read_still_gives_a_page_with_the_configured_name():
    unmigrated = create_app(TestConfig)  # a database of its own, with no tables
    with unmigrated.app_context():
        page = unmigrated.test_client().get("/cookies")
    assert page.status_code == 200
    assert "Social Value Charter Mark" in page.get_data(as_text=True)
