"""An organisation's PPON (Public Procurement Organisation Number), through HTTP: a member
records it on its own page, in the format Find a Tender publishes; bad input is refused with
the format and nothing is saved (never a 5xx, never cut or guessed at); one PPON names one
organisation; recording it matches at once the imported awards whose supplier is named by it
(Find a Tender names suppliers by "GB-PPON-..." party ids); adding and removing are audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from charter.extensions import db as _db
from charter.models import AwardedSupplier, NoticeEvent, Organisation
from charter.services.domain import ppon, published_notices
from tests.factories import make_commissioner, make_organisation, make_user

PAGE = "/organisations/{slug}/ppon"


@pytest.fixture
def supplier(app, scheme, member):
    return make_organisation(owner=member, scheme=scheme, status="signatory")


def _save(client_request, organisation, value, **kwargs):
    return client_request.post(
        "organisation.edit_ppon",
        slug=organisation.slug,
        _data={"ppon": value},
        _form_page=PAGE.format(slug=organisation.slug),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("PWLK-4821-TRNV", "PWLK-4821-TRNV"),
        ("pwlk-4821-trnv", "PWLK-4821-TRNV"),
        (" PWLK 4821 TRNV ", "PWLK-4821-TRNV"),
        ("PWLK4821TRNV", "PWLK-4821-TRNV"),
        ("GB-PPON-PWLK-4821-TRNV", "PWLK-4821-TRNV"),
    ],
)
def test_a_ppon_is_recorded_spaces_case_and_prefix_aside(
    db, client_request, member, supplier, typed, stored
):
    client_request.sign_in(member)
    _save(client_request, supplier, typed)
    _db.session.expire_all()
    assert _db.session.get(Organisation, supplier.id).ppon == stored
    page = client_request.get("organisation.show_dashboard", slug=supplier.slug)
    assert client_request.summary_list(page)["PPON"].startswith(stored)
    event = db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "ppon_set"))
    assert f"GB-PPON-{stored}" in event.detail


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your Public Procurement Organisation Number"),
        ("   ", "Enter your Public Procurement Organisation Number"),
        ("AWLK-4821-TRNV", ppon.FORMAT_MESSAGE),  # not P first
        ("PWLK-482-TRNV", ppon.FORMAT_MESSAGE),  # a digit short
        ("PWLK-48211-TRNV", ppon.FORMAT_MESSAGE),  # a digit over: never cut
        ("PWLK-4821-TRN1", ppon.FORMAT_MESSAGE),  # a digit where a letter goes
        ("PWLK_4821_TRNV", ppon.FORMAT_MESSAGE),
        ("GB-COH-01234567", ppon.FORMAT_MESSAGE),  # another list's identifier
        ("PWLK-4821-TRNV" + "X" * 500, ppon.FORMAT_MESSAGE),
        ("ＰＷＬＫ-4821-TRNV", ppon.FORMAT_MESSAGE),  # full-width letters are not converted
    ],
    ids=[
        "empty",
        "spaces",
        "not-p",
        "short",
        "long",
        "digit-for-letter",
        "underscores",
        "other-list",
        "huge",
        "full-width",
    ],
)
def test_bad_input_is_refused_with_the_format_and_nothing_saved(
    db, client_request, member, supplier, typed, message
):
    client_request.sign_in(member)
    page = _save(client_request, supplier, typed, _expected_status=200)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("title").get_text().startswith("Error: ")
    _db.session.expire_all()
    assert _db.session.get(Organisation, supplier.id).ppon is None
    assert db.session.scalar(select(NoticeEvent.id)) is None


def test_a_nul_character_is_a_bad_request_and_saves_nothing(db, client_request, member, supplier):
    client_request.sign_in(member)
    _save(client_request, supplier, "PWLK\x00-4821-TRNV", _expected_status=400)
    _db.session.expire_all()
    assert _db.session.get(Organisation, supplier.id).ppon is None


def test_one_ppon_names_one_organisation(db, client_request, scheme, member, supplier):
    other_owner = make_user(email="other@example.com")
    other = make_organisation(owner=other_owner, scheme=scheme, status="signatory")
    other.ppon = "PWLK-4821-TRNV"
    db.session.commit()
    client_request.sign_in(member)

    page = _save(client_request, supplier, "pwlk 4821 trnv", _expected_status=200)

    assert "Another organisation has recorded this" in page.get_text()
    _db.session.expire_all()
    assert _db.session.get(Organisation, supplier.id).ppon is None


def test_only_its_members_can_change_it(db, client_request, scheme, supplier):
    stranger = make_user(email="stranger@example.com")
    client_request.sign_in(stranger)
    client_request.get("organisation.edit_ppon", slug=supplier.slug, _expected_status=404)
    _save(client_request, supplier, "PWLK-4821-TRNV", _expected_status=404)
    assert _db.session.get(Organisation, supplier.id).ppon is None


def _fts_award(tmp_path) -> str:
    """An award as Find a Tender publishes one: the supplier named only by its PPON."""
    package = {
        "uri": "https://www.find-tender.service.gov.uk/Notice/invented-ppon-award",
        "version": "1.1",
        "publishedDate": "2027-02-01T09:00:00Z",
        "publisher": {"name": "Charter Mark tests (invented)"},
        "releases": [
            {
                "ocid": "ocds-h6vhtk-0ppon1",
                "id": "ocds-h6vhtk-0ppon1-award-1",
                "date": "2027-02-01T09:00:00Z",
                "tag": ["award"],
                "initiationType": "tender",
                "parties": [
                    {
                        "id": "GB-PPON-PTFW-1111-BCDF",
                        "name": "Telford and Wrekin Council",
                        "identifier": {"scheme": "GB-PPON", "id": "PTFW-1111-BCDF"},
                        "roles": ["buyer"],
                    },
                    {
                        "id": "GB-PPON-PWLK-4821-TRNV",
                        "name": "Somebody Trading As",
                        "identifier": {"scheme": "GB-PPON", "id": "PWLK-4821-TRNV"},
                        "roles": ["supplier"],
                    },
                ],
                "buyer": {"id": "GB-PPON-PTFW-1111-BCDF", "name": "Telford and Wrekin Council"},
                "awards": [
                    {
                        "id": "1",
                        "title": "Grounds maintenance",
                        "status": "active",
                        "value": {"amount": 52000, "currency": "GBP"},
                        "suppliers": [{"id": "GB-PPON-PWLK-4821-TRNV", "name": "Somebody"}],
                        "contractPeriod": {
                            "startDate": "2027-03-01T00:00:00Z",
                            "endDate": "2028-02-29T00:00:00Z",
                        },
                    }
                ],
            }
        ],
    }
    path = tmp_path / "ppon-award.json"
    path.write_text(json.dumps(package))
    return str(path)


def test_recording_it_proposes_the_awards_that_name_it(
    db, client_request, member, supplier, tmp_path
):
    make_commissioner("Telford and Wrekin Council", org_id="GB-PPON-PTFW-1111-BCDF")
    published_notices.import_file(_fts_award(tmp_path), actor_label="test")
    db.session.commit()
    row = db.session.scalar(select(AwardedSupplier))
    assert row.status == "unmatched"
    client_request.sign_in(member)

    page = _save(
        client_request, supplier, "PWLK-4821-TRNV", _follow_redirects=True, _expected_status=200
    )

    assert "1 contract from published notices is now proposed" in page.get_text()
    _db.session.expire_all()
    row = _db.session.get(AwardedSupplier, row.id)
    assert (row.status, row.organisation_id) == ("proposed", supplier.id)
    page = client_request.get("organisation.list_contracts", slug=supplier.slug)
    assert "Grounds maintenance" in page.get_text()


def test_removing_it_keeps_matches_and_is_audited(db, client_request, member, supplier):
    supplier.ppon = "PWLK-4821-TRNV"
    db.session.commit()
    client_request.sign_in(member)

    client_request.post(
        "organisation.remove_ppon",
        slug=supplier.slug,
        _form_page=PAGE.format(slug=supplier.slug),
    )

    _db.session.expire_all()
    assert _db.session.get(Organisation, supplier.id).ppon is None
    assert db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "ppon_removed"))
