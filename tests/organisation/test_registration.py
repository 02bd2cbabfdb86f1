"""Registering an organisation: the form, "Check your answers", and every refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from charter.models import Membership, Organisation
from charter.services.domain import organisations
from charter.services.domain.organisations import DUPLICATE_ORG_ID_MESSAGE
from charter.services.domain.signings import signing_of
from tests.factories import make_organisation, make_user, sign_in, submit

FORM_URL = "/organisations/new"
CHECK_URL = "/organisations/new/check-your-answers"

VALID = {
    "name": "Severn Valley Builders",
    "organisation_type": "business",
    "size": "small",
    "sector": "Construction",
    "address_line_1": "1 Castle Street",
    "address_line_2": "",
    "town": "Shrewsbury",
    "postcode": "sy1 1aa",
    "district": "Shrewsbury",
    "website": "https://severn.example.co.uk",
    "identifier_scheme": "GB-COH",
    "companies_house_number": "1234567",
}


def answers(**changes) -> dict:
    data = dict(VALID, **changes)
    return {key: value for key, value in data.items() if value is not None}


def organisation_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def assert_refused(client, db, data: dict, message: str) -> None:
    """The form comes back with ``message``; nothing is kept, in the session or the database."""
    before = organisation_count(db)
    response = submit(client, FORM_URL, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert client.get(CHECK_URL).headers["Location"] == FORM_URL
    assert organisation_count(db) == before


def register(client, **changes):
    response = submit(client, FORM_URL, answers(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == CHECK_URL
    return submit(client, CHECK_URL)


def test_the_form_offers_the_scheme_sectors_and_districts(member_client, scheme):
    html = member_client.get(FORM_URL).get_data(as_text=True)
    assert "Register an organisation" in html
    for choice in [*scheme.sectors, *scheme.districts]:
        assert f'value="{choice}"' in html
    assert "Voluntary, community or social enterprise (VCSE)" in html
    assert "Medium (50 to 249 employees)" in html
    assert "Charity Commission (England and Wales) number" in html
    assert 'data-aria-controls="conditional-identifier_scheme"' in html


def test_registering_an_organisation(member_client, member, scheme, db):
    response = submit(member_client, FORM_URL, answers())
    assert response.headers["Location"] == CHECK_URL
    assert organisation_count(db) == 0

    check = member_client.get(CHECK_URL).get_data(as_text=True)
    assert "Check your answers" in check
    assert "SY1 1AA" in check
    assert "01234567" in check
    assert "Small (10 to 49 employees)" in check
    assert f'href="{FORM_URL}#postcode"' in check
    assert f'href="{FORM_URL}#companies_house_number"' in check

    response = submit(member_client, CHECK_URL)
    assert response.status_code == 302
    organisation = db.session.scalar(select(Organisation))
    assert response.headers["Location"] == f"/organisations/{organisation.slug}"
    assert organisation.slug == "severn-valley-builders"
    assert organisation.name == "Severn Valley Builders"
    assert organisation.status == "registered"
    assert signing_of(organisation).scheme_id == scheme.id
    assert organisation.postcode == "SY1 1AA"
    assert organisation.identifier == "01234567"
    assert organisation.org_id == "GB-COH-01234567"
    assert organisation.address_line_2 is None
    assert organisation.website == "https://severn.example.co.uk"
    membership = db.session.scalar(select(Membership))
    assert (membership.user_id, membership.organisation_id, membership.role) == (
        member.id,
        organisation.id,
        "owner",
    )

    dashboard = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Severn Valley Builders is registered" in dashboard
    # The answers are forgotten once used.
    assert member_client.get(CHECK_URL).headers["Location"] == FORM_URL


def test_change_links_return_to_a_form_filled_with_the_answers(member_client):
    submit(member_client, FORM_URL, answers())
    html = member_client.get(FORM_URL).get_data(as_text=True)
    assert 'value="Severn Valley Builders"' in html
    assert 'value="SY1 1AA"' in html
    assert 'value="01234567"' in html

    submit(member_client, FORM_URL, answers(name="Severn Valley Building Ltd"))
    assert "Severn Valley Building Ltd" in member_client.get(CHECK_URL).get_data(as_text=True)


def test_an_organisation_without_an_identifier_gives_a_reason(member_client, db):
    register(
        member_client,
        identifier_scheme="none",
        companies_house_number=None,
        no_identifier_reason="We are a partnership",
    )
    organisation = db.session.scalar(select(Organisation))
    assert organisation.identifier_scheme == "none"
    assert organisation.identifier is None
    assert organisation.org_id is None
    assert organisation.no_identifier_reason == "We are a partnership"


def test_no_identifier_without_a_reason_is_refused(member_client, db):
    assert_refused(
        member_client,
        db,
        answers(identifier_scheme="none", companies_house_number=None),
        "Enter why your organisation does not have one of these numbers",
    )


def test_missing_answers_are_each_asked_for(member_client, db):
    before = organisation_count(db)
    html = submit(member_client, FORM_URL, {}).get_data(as_text=True)
    for message in [
        "Enter the name of your organisation",
        "Select the type of organisation",
        "Select the size of your organisation",
        "Select a sector",
        "Enter address line 1, typically the building and street",
        "Enter town or city",
        "Enter postcode",
        "Select the district where your organisation is based",
        "Select how your organisation is registered",
    ]:
        assert message in html
    assert organisation_count(db) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "SY1 1A", "Enter a real postcode, like SY2 6ND"),
        ("postcode", "not a postcode", "Enter a real postcode, like SY2 6ND"),
        ("website", "javascript:alert(1)", "Enter a website address in the correct format"),
        ("website", "ftp://files.example.com", "Enter a website address in the correct format"),
        ("website", "https://user:pw@example.com", "Enter a website address in the correct format"),
        ("website", "localhost", "Enter a website address in the correct format"),
        # urlsplit raises on these two: an unclosed IPv6 host, a port that is not a number
        ("website", "[", "Enter a website address in the correct format"),
        ("website", "https://example.org:http/", "Enter a website address in the correct format"),
        ("sector", "Fishing", "Select a sector"),
        ("district", "Atlantis", "Select the district where your organisation is based"),
        ("organisation_type", "charity", "Select the type of organisation"),
        ("size", "huge", "Select the size of your organisation"),
        ("name", "x" * 201, "Organisation name must be 200 characters or fewer"),
    ],
)
def test_a_bad_answer_is_refused(member_client, db, field, value, message):
    assert_refused(member_client, db, answers(**{field: value}), message)


@pytest.mark.parametrize(
    ("scheme_code", "field", "value", "message"),
    [
        ("GB-COH", "companies_house_number", "12345", "like 01234567 or SC123456"),
        ("GB-COH", "companies_house_number", "ABC12345", "like 01234567 or SC123456"),
        ("GB-COH", "companies_house_number", "", "Enter your Companies House number"),
        ("GB-CHC", "charity_number", "12345", "6 to 8 digits, like 1123456"),
        ("GB-CHC", "charity_number", "", "Enter your charity number"),
        ("GB-SC", "scottish_charity_number", "123456", "like SC012345"),
        ("GB-MPR", "mutuals_number", "ABC123", "like 12345R or IP12345R"),
        ("GB-LAE", "local_authority_code", "SH1", "3 or 4 letters, like SHR"),
    ],
)
def test_a_badly_formed_identifier_is_refused(
    member_client, db, scheme_code, field, value, message
):
    data = answers(
        **{"identifier_scheme": scheme_code, "companies_house_number": None, field: value}
    )
    assert_refused(member_client, db, data, message)


def test_only_the_chosen_list_identifier_is_checked(member_client, db):
    register(
        member_client,
        identifier_scheme="GB-CHC",
        charity_number="1123456",
        companies_house_number="rubbish",
    )
    assert db.session.scalar(select(Organisation.org_id)) == "GB-CHC-1123456"


def test_a_duplicate_identifier_is_refused(member_client, scheme, db):
    make_organisation(scheme=scheme, identifier="01234567")
    assert_refused(member_client, db, answers(), DUPLICATE_ORG_ID_MESSAGE)


def test_a_duplicate_registered_while_checking_answers_is_refused(member_client, scheme, db):
    submit(member_client, FORM_URL, answers())
    make_organisation(scheme=scheme, identifier="01234567")  # someone else was quicker

    response = submit(member_client, CHECK_URL, form_url=FORM_URL)
    assert response.status_code == 200
    assert DUPLICATE_ORG_ID_MESSAGE in response.get_data(as_text=True)
    assert organisation_count(db) == 1
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0


def test_a_duplicate_that_wins_the_race_at_commit_is_refused(
    member_client, scheme, db, monkeypatch
):
    submit(member_client, FORM_URL, answers())
    make_organisation(scheme=scheme, identifier="01234567")
    real_check = organisations.org_id_taken
    calls = []

    def misses_the_first_time(org_id):
        calls.append(org_id)
        return False if len(calls) == 1 else real_check(org_id)

    monkeypatch.setattr(organisations, "org_id_taken", misses_the_first_time)
    response = submit(member_client, CHECK_URL, form_url=FORM_URL)

    assert len(calls) == 3  # missed, then seen after the failed insert, then shown
    assert response.status_code == 200
    assert DUPLICATE_ORG_ID_MESSAGE in response.get_data(as_text=True)
    assert organisation_count(db) == 1
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0


def test_a_missing_csrf_token_is_refused(member_client, db):
    response = member_client.post(FORM_URL, data=answers())
    assert response.status_code == 400
    submit(member_client, FORM_URL, answers())
    response = member_client.post(CHECK_URL, data={})
    assert response.status_code == 400
    assert organisation_count(db) == 0


def test_clashing_names_get_numbered_slugs(member_client, db):
    register(member_client)
    register(member_client, companies_house_number="07654321")
    register(member_client, name="New", companies_house_number="SC123456")
    slugs = set(db.session.scalars(select(Organisation.slug)))
    assert slugs == {"severn-valley-builders", "severn-valley-builders-2", "new-2"}


def test_slugify():
    assert organisations.slugify("  Ludlow Café & Bakery Ltd. ") == "ludlow-cafe-bakery-ltd"
    assert organisations.slugify("!!!") == "organisation"


def test_unverified_people_are_sent_to_confirm_their_email(client, scheme):
    assert scheme is not None  # the form would otherwise be closed anyway
    make_user(email="new@example.com", verified=False)
    sign_in(client, "new@example.com")
    response = client.get(FORM_URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/confirm-your-email-address")


def test_registration_waits_for_a_scheme(client):
    make_user(email="early@example.com")
    sign_in(client, "early@example.com")
    response = client.get(FORM_URL)
    assert response.status_code == 503
    assert "Registration is not open yet" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("www.example.org", "https://www.example.org"),
        ("example.org/about", "https://example.org/about"),
        ("http://www.example.org", "http://www.example.org"),
    ],
)
def test_a_website_without_https_is_completed(member_client, db, scheme, typed, kept):
    register(member_client, website=typed)
    assert db.session.scalar(select(Organisation)).website == kept


def test_a_refused_website_is_shown_back_as_typed(member_client, scheme):
    page = submit(member_client, FORM_URL, answers(website="localhost")).get_data(as_text=True)
    assert 'value="localhost"' in page and "https://localhost" not in page
