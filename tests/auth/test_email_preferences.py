"""Email preferences (issue 8): reminders can be turned off from the account page or in one
click from the signed link in each reminder (RFC 8058 headers); warnings still come; an
organisation always keeps a member receiving reminders; the link cannot be forged."""

from __future__ import annotations

from datetime import timedelta

from itsdangerous import URLSafeSerializer

from charter.extensions import db
from charter.models import Membership, User
from charter.services.domain import reviews
from charter.services.notices import tokens
from tests.factories import make_user, sign_in, submit
from tests.services.domain.duties_helpers import DUE, SANCTION_ON, holder_with_return
from tests.services.domain.review_helpers import emails_to


def colleague(organisation, **fields) -> User:
    user = make_user(**fields)
    db.session.add(Membership(user_id=user.id, organisation_id=organisation.id))
    db.session.commit()
    return user


def test_an_opted_out_person_gets_no_reminder_but_still_the_warning(
    app, organisation, scheme, member
):
    other = colleague(organisation)
    other.reminder_emails = False
    db.session.commit()
    holder_with_return(organisation, scheme)

    reviews.remind_returns_due(DUE - timedelta(days=2))
    reviews.remind_returns_due(DUE + timedelta(days=1))
    reviews.warn_before_sanctions(SANCTION_ON - timedelta(days=10))

    assert len(emails_to(member, "monitoring return")) == 2
    assert emails_to(other, "monitoring return") == []
    assert len(emails_to(other, "or your Charter Mark will be suspended")) == 1
    [reminder] = emails_to(member, "is due on")
    url = tokens.unsubscribe_url(member.id)
    assert reminder.headers == {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert url in reminder.body
    [warning] = emails_to(member, "or your Charter Mark will be suspended")
    assert warning.headers is None


def test_one_click_unsubscribe_works_without_signing_in(app, client, organisation, member):
    colleague(organisation)
    url = tokens.unsubscribe_url(member.id).replace("http://localhost", "")

    page = client.get(url)
    assert page.status_code == 200
    assert "Stop reminder emails" in page.get_data(as_text=True)
    assert db.session.get(User, member.id).reminder_emails

    # What a mail program sends (RFC 8058): no cookie, no CSRF token.
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Reminders turned off" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, member.id).reminder_emails is False


def test_a_forged_or_altered_link_changes_nothing(app, client, organisation, member):
    colleague(organisation)
    token = tokens.unsubscribe_token(member.id)
    forged = URLSafeSerializer("not-the-secret", salt=tokens.UNSUBSCRIBE_SALT).dumps(member.id)
    for bad in (forged, token[:-2] + "xx", "not-a-token"):
        response = client.post(f"/email-preferences/unsubscribe/{bad}")
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, member.id).reminder_emails is True


def test_the_last_member_receiving_reminders_cannot_turn_them_off(
    app, client, organisation, member
):
    url = f"/email-preferences/unsubscribe/{tokens.unsubscribe_token(member.id)}"
    response = client.post(url)
    assert response.status_code == 409
    assert "You are the only person at" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, member.id).reminder_emails is True


def test_the_account_page_turns_reminders_off_and_says_who_gets_them(
    app, client, organisation, member
):
    other = colleague(organisation, full_name="Colin Colleague")
    sign_in(client, member.email)
    page = client.get("/account/email-preferences").get_data(as_text=True)
    assert "Colin Colleague" in page and organisation.name in page

    response = submit(client, "/account/email-preferences", {"reminders": "no"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).reminder_emails is False
    assert "Off" in client.get("/account").get_data(as_text=True)

    # Now the colleague is the last one: they cannot turn theirs off.
    client = app.test_client()
    sign_in(client, other.email)
    refused = submit(client, "/account/email-preferences", {"reminders": "no"})
    assert refused.status_code == 200
    assert "You are the only person at" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, other.id).reminder_emails is True


def test_a_bad_choice_is_refused_clearly(app, client, member):
    sign_in(client, member.email)
    response = submit(client, "/account/email-preferences", {"reminders": "maybe"})
    assert response.status_code == 200
    assert "Error:" in response.get_data(as_text=True)
    # A NUL byte never reaches the form: the request guard refuses it (tests/security).
    response = submit(client, "/account/email-preferences", {"reminders": "no\x00"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, member.id).reminder_emails is True
