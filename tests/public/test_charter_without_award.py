"""A charter without an award (issue 21, "Charters without a Mark"): Worcestershire's scheme file
has no [award], so its public pages, and an organisation's pages for its signing of it, never
mention a Charter Mark; Shropshire's, which awards one, still do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from charter.models import OutboxEmail
from charter.models.signing import acting_charter
from charter.services.domain import register_entries
from charter.services.domain.schemes import load_scheme_file
from tests.factories import make_organisation, make_user, sign_in, submit
from tests.organisation.signing_helpers import SIGNATORY, VERSION_RE, codes_of

SCHEMES = Path(__file__).resolve().parents[2] / "schemes"
WORCESTERSHIRE = "worcestershire"
# "Mark" as a word, in any words: "the Mark", "Mark expired".
MARK = re.compile(r".{60}\bMarks?\b.{20}")
PUBLIC_PAGES = ("/", "/register", "/how-it-works", "/impact")


@pytest.fixture
def worcestershire(app, db, scheme):
    loaded = load_scheme_file(SCHEMES / "worcestershire.toml").scheme
    db.session.commit()
    return loaded


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_of_a_charter_without_an_award_never_mention_a_mark(
    client, worcestershire, page
):
    response = client.get(f"/c/{WORCESTERSHIRE}{page}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Charter Mark" not in text
    assert not MARK.search(text), MARK.search(text)
    assert "Worcestershire" in text


@pytest.mark.parametrize("page", PUBLIC_PAGES[:3])
def test_shropshires_pages_still_speak_of_its_charter_mark(client, worcestershire, page):
    response = client.get(f"/c/shropshire{page}")
    assert response.status_code == 200
    assert "Charter Mark" in response.get_data(as_text=True)


def test_an_organisations_pages_for_a_charter_without_an_award_never_mention_a_mark(
    client, db, scheme, worcestershire
):
    owner = make_user(email="owner@nomark.example")
    # Based in Worcester: Worcestershire's charter covers it, and Shropshire's signing is the
    # test's.
    organisation = make_organisation(
        owner=owner, scheme=scheme, status="signatory", district="Worcester"
    )
    sign_in(client, owner.email)
    home = f"/organisations/{organisation.slug}"
    joined = submit(client, f"{home}/charters/{WORCESTERSHIRE}", form_url=home)
    assert joined.status_code == 302

    def page(name: str = "") -> str:
        path = f"{home}/sign-the-charter" + (f"/{name}" if name else "")
        return f"{path}?charter={WORCESTERSHIRE}"

    answers = [
        ("principles", {"principles": codes_of(worcestershire)}),
        ("signatory", SIGNATORY),
        ("route", {"route": "already_delivering"}),
        ("publish-figures", {"publish": "yes"}),
    ]
    shown = [client.get(page()).get_data(as_text=True)]
    for name, data in answers:
        shown.append(client.get(page(name)).get_data(as_text=True))
        response = submit(client, page(name), data)
        assert response.status_code == 302, name
    check = client.get(page("check-your-answers")).get_data(as_text=True)
    shown.append(check)
    version = VERSION_RE.search(check).group(1)
    signed = submit(client, page("check-your-answers"), {"version": version})
    assert signed.status_code == 302, signed.get_data(as_text=True)[:2000]
    shown.append(client.get(signed.location).get_data(as_text=True))

    dashboard = client.get(f"{home}?charter={WORCESTERSHIRE}")
    assert dashboard.status_code == 200
    shown.append(dashboard.get_data(as_text=True))
    assert "Apply for the" not in shown[-1]
    # The charter the page shows is marked as such, in markup (not as escaped text).
    assert "&lt;p class" not in shown[-1]
    assert "Shown on this page</p>" in shown[-1]
    for text in shown:
        assert "Charter Mark" not in text
        assert not MARK.search(text), MARK.search(text)

    # The email confirming the signing names no Mark either.
    email = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    assert "Worcestershire" in email.body
    assert "Charter Mark" not in email.body

    # Its entry on Worcestershire's register, once an administrator has checked it.
    token = acting_charter.set(worcestershire.charter_id)
    try:
        register_entries.publish(organisation, make_user(email="admin@nomark.example"))
    finally:
        acting_charter.reset(token)
    db.session.commit()
    register = client.get(f"/c/{WORCESTERSHIRE}/register").get_data(as_text=True)
    assert organisation.name in register
    entry = client.get(f"/c/{WORCESTERSHIRE}/register/{organisation.slug}")
    assert entry.status_code == 200
    for text in (register, entry.get_data(as_text=True)):
        assert "Charter Mark" not in text
        assert not MARK.search(text), MARK.search(text)

    # The same organisation's Shropshire dashboard still speaks of Shropshire's Mark.
    assert "Charter Mark" in client.get(home).get_data(as_text=True)


def test_the_service_home_counts_holders_only_for_a_charter_with_an_award(client, worcestershire):
    page = client.get("/").get_data(as_text=True)
    items = [" ".join(li.split()) for li in page.split('<li class="govuk-!-margin-bottom-6">')[1:]]
    shropshire, worcester = items[0], next(i for i in items if "/c/worcestershire/" in i)
    assert "hold the Charter Mark" in shropshire or "holds the Charter Mark" in shropshire
    assert "on the register" in worcester and "Mark" not in worcester.split("</li>")[0]
