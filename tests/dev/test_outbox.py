"""The development outbox page."""

from charter.extensions import db
from charter.models import OutboxEmail
from tests.factories import submit


def test_the_outbox_is_hidden_unless_switched_on(client, app):
    app.config["SHOW_OUTBOX"] = False
    app.debug = False

    assert client.get("/dev/emails").status_code == 404


def test_the_outbox_lists_newest_first_with_followable_links(client, app):
    app.config["SHOW_OUTBOX"] = True
    submit(
        client,
        "/create-account",
        {
            "full_name": "Priya Patel",
            "email": "priya@example.com",
            "password": "correct horse battery staple",
            "confirm_password": "correct horse battery staple",
        },
    )
    db.session.add(
        OutboxEmail(to_address="x@example.com", subject="Newest", body="<script>alert(1)</script>")
    )
    db.session.commit()

    response = client.get("/dev/emails")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.index("Newest") < page.index("Confirm your email address")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert '<a class="govuk-link" href="http://localhost/verify-email/' in page
