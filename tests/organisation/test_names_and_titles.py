"""Names and titles through HTTP (issue 18): invisible characters are removed, Unicode is
normalised, spaces collapse, and a name must keep at least two letters or digits. Refused
answers save nothing; accepted ones are stored cleaned."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Commissioner, Contract, Organisation, PlanMilestone, User
from tests.factories import submit
from tests.organisation.contract_helpers import contract_data, contracts_url
from tests.organisation.plan_helpers import NEXT_YEAR, make_signatory, plan_url, start_plan
from tests.organisation.test_registration import CHECK_URL, answers

ZWSP, ZWJ, BOM, RLO, LRI, PDI = "\u200b", "\u200d", "\ufeff", "\u202e", "\u2066", "\u2069"

# What people (or scripts) type that leaves fewer than two visible letters or digits.
INVISIBLE = [
    pytest.param(ZWSP, id="zero-width-space"),
    pytest.param(ZWSP * 5 + ZWJ + BOM, id="zero-width-mix"),
    pytest.param(RLO + LRI + PDI, id="bidi-controls"),
    pytest.param("\u3164\u3164", id="hangul-fillers"),
    pytest.param("- . -", id="punctuation"),
    pytest.param(f"A{ZWSP}", id="one-letter"),
    pytest.param("\x01\x02\x03", id="control-characters"),
]
# Typed, and what is kept.
CLEANED = [
    pytest.param(f"Severn{ZWSP} Valley", "Severn Valley", id="zero-width-inside"),
    pytest.param("  Severn \t\n Valley  ", "Severn Valley", id="whitespace-collapsed"),
    pytest.param("Cafe\u0301 Ole", "Caf\u00e9 Ole", id="nfc"),
    pytest.param(f"{RLO}Evil Corp", "Evil Corp", id="bidi-override-removed"),
    pytest.param("A1", "A1", id="two-visible-characters"),
    pytest.param("Ŵyn Ölçer", "Ŵyn Ölçer", id="accented-letters-kept"),
    pytest.param("\u4e2d\u6587", "\u4e2d\u6587", id="other-scripts-kept"),
]


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("title", INVISIBLE)
def test_a_contract_title_without_visible_letters_is_refused(member_client, signed, council, title):
    response = submit(
        member_client, contracts_url(signed, "/new"), contract_data(council, title=title)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a contract title with at least 2 letters or numbers" in html
    assert _count(Contract) == 0


@pytest.mark.parametrize(("title", "kept"), CLEANED)
def test_a_contract_title_is_stored_cleaned(member_client, signed, council, title, kept):
    response = submit(
        member_client, contracts_url(signed, "/new"), contract_data(council, title=title)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    submit(member_client, contracts_url(signed, "/new/check-your-answers"))
    assert db.session.scalar(select(Contract.title)) == kept


@pytest.mark.parametrize("name", INVISIBLE)
def test_an_organisation_name_without_visible_letters_is_refused(member_client, name):
    html = submit(member_client, "/organisations/new", answers(name=name)).get_data(as_text=True)
    assert "Enter a name with at least 2 letters or numbers" in html
    assert member_client.get(CHECK_URL).status_code == 302
    assert _count(Organisation) == 0


@pytest.mark.parametrize(("name", "kept"), CLEANED)
def test_an_organisation_name_is_stored_cleaned(member_client, name, kept):
    response = submit(member_client, "/organisations/new", answers(name=name))
    assert response.status_code == 302
    submit(member_client, CHECK_URL)
    assert db.session.scalar(select(Organisation.name)) == kept


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_commissioner_name_without_visible_letters_is_refused(admin_client, name):
    html = submit(admin_client, "/admin/commissioners/new", {"name": name}).get_data(as_text=True)
    assert "Enter a name with at least 2 letters or numbers" in html
    assert _count(Commissioner) == 0


def test_a_commissioner_differing_only_by_invisible_characters_is_a_duplicate(admin_client):
    submit(admin_client, "/admin/commissioners/new", {"name": "Shropshire Council"})
    html = submit(
        admin_client, "/admin/commissioners/new", {"name": f"Shropshire{ZWSP} Council{BOM}"}
    ).get_data(as_text=True)
    assert "A commissioner with this name already exists" in html
    assert _count(Commissioner) == 1


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_full_name_without_visible_letters_is_refused(client, app, scheme, name):
    before = _count(User)
    html = submit(
        client,
        "/create-account",
        {
            "full_name": name,
            "email": "sam@example.com",
            "password": "correct horse battery staple",
            "confirm_password": "correct horse battery staple",
        },
    ).get_data(as_text=True)
    assert "Enter a name with at least 2 letters or numbers" in html
    assert _count(User) == before


@pytest.mark.parametrize("title", INVISIBLE[:3])
def test_a_milestone_without_visible_letters_is_refused(member_client, organisation, title):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    response = submit(
        member_client,
        plan_url(organisation, "/milestones/add"),
        {"title": title, "due_date": ["1", "9", NEXT_YEAR]},
    )
    assert "Enter a milestone with at least 2 letters or numbers" in response.get_data(as_text=True)
    assert _count(PlanMilestone) == 0
