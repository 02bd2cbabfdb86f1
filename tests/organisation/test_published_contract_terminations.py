"""A later termination notice (Find a Tender's UK11) proposes the end of an accepted contract,
through HTTP: nothing changes until a member accepts it, then the contract ends on the date the
notice gives and goes back to the commissioner's contract manager as a member's own edit does;
a declined termination is not proposed again; each step is audited."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from charter.extensions import db as _db
from charter.models import AwardedSupplier, Contract, NoticeEvent
from charter.services.domain import contract_proposals, contract_terminations, published_notices
from tests.factories import make_commissioner, make_organisation, make_user

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ocds"
CONTRACTS_PAGE = "/organisations/{slug}/contracts"


def _import(*paths) -> None:
    for path in paths:
        published_notices.import_file(str(path), actor_label="test")
    _db.session.commit()


@pytest.fixture
def confirmed(db, app, scheme, member):
    """The Telford award accepted as a contract and confirmed by the commissioner."""
    make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")
    supplier = make_organisation(
        owner=member, scheme=scheme, identifier="09876543", status="signatory"
    )
    _import(FIXTURES / "cf-telford-and-wrekin.json", FIXTURES / "invented-telford-award.json")
    proposal = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.organisation_id == supplier.id)
    )
    contract = contract_proposals.accept(supplier, proposal, member)
    contract.confirmation_status = "confirmed"
    db.session.commit()
    return supplier, contract.id


def _row(db, contract_id) -> AwardedSupplier:
    return db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.contract_id == contract_id)
    )


def _answer(client_request, db, supplier, contract_id, verb, **kwargs):
    return client_request.post(
        f"organisation.{verb}_contract_termination",
        slug=supplier.slug,
        proposal_id=_row(db, contract_id).id,
        _data={"version": str(db.session.get(Contract, contract_id).version_id)},
        _form_page=CONTRACTS_PAGE.format(slug=supplier.slug),
        **kwargs,
    )


def _termination_file(tmp_path, end_date) -> Path:
    """The termination notice with another end date (or none), as a new release."""
    package = json.loads((FIXTURES / "invented-telford-termination.json").read_text())
    release = package["releases"][0]
    release["id"] += f"-{end_date}"
    release["date"] = "2027-09-02T09:00:00Z"
    if end_date is None:
        del release["contracts"][0]["implementation"]
    else:
        release["contracts"][0]["implementation"]["endDate"] = end_date
    path = tmp_path / "termination.json"
    path.write_text(json.dumps(package))
    return path


def test_a_termination_notice_is_proposed_and_changes_nothing_by_itself(
    db, client_request, member, confirmed
):
    supplier, contract_id = confirmed
    _import(FIXTURES / "invented-telford-termination.json")

    contract = db.session.get(Contract, contract_id)
    assert contract.end_date == date(2028, 12, 31)
    assert contract.confirmation_status == "confirmed"
    client_request.sign_in(member)
    page = client_request.get("organisation.list_contracts", slug=supplier.slug)
    cards = [h.get_text(strip=True) for h in page.select(".govuk-summary-card h3")]
    assert cards == ["Security services for council buildings"]
    assert client_request.summary_list(page) == {
        "Ends": "31 December 2028 now, 31 August 2027 published",
        "Reason published": "mutualAgreement",
        "Notice": "ocds-b5fd17-3699858f-adc8-11e6-9901-0019b9f3037b View the published notice "
        "for Security services for council buildings",
    }
    event = db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "termination"))
    assert "2027-08-31" in event.detail
    # The same notice again proposes nothing more.
    _import(FIXTURES / "invented-telford-termination.json")
    assert len(contract_terminations.terminations_for(supplier)) == 1


def test_accepting_the_termination_ends_the_contract_on_its_date(
    db, client_request, member, confirmed
):
    supplier, contract_id = confirmed
    _import(FIXTURES / "invented-telford-termination.json")
    client_request.sign_in(member)

    _answer(client_request, db, supplier, contract_id, "accept")

    db.session.expire_all()
    contract = db.session.get(Contract, contract_id)
    assert (contract.start_date, contract.end_date) == (date(2027, 1, 1), date(2027, 8, 31))
    assert contract.confirmation_status == "unconfirmed"
    assert _row(db, contract_id).termination_status == "accepted"
    assert db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "terminated"))
    page = client_request.get(
        "organisation.show_contract", slug=supplier.slug, contract_id=contract_id
    )
    assert "Ended on 31 August 2027, as a termination notice published it" in page.get_text()
    # Imported again, or matched again, it is not proposed again.
    _import(FIXTURES / "invented-telford-termination.json")
    published_notices.rematch(actor_label="test")
    assert contract_terminations.terminations_for(supplier) == []


def test_a_declined_termination_is_not_proposed_again(db, client_request, member, confirmed):
    supplier, contract_id = confirmed
    _import(FIXTURES / "invented-telford-termination.json")
    client_request.sign_in(member)

    _answer(client_request, db, supplier, contract_id, "decline")

    db.session.expire_all()
    contract = db.session.get(Contract, contract_id)
    assert contract.end_date == date(2028, 12, 31) and contract.confirmation_status == "confirmed"
    assert db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "not_terminated"))
    published_notices.rematch(actor_label="test")
    assert contract_terminations.terminations_for(supplier) == []


def test_a_stale_page_changes_nothing(db, client_request, member, confirmed):
    supplier, contract_id = confirmed
    _import(FIXTURES / "invented-telford-termination.json")
    client_request.sign_in(member)

    client_request.post(
        "organisation.accept_contract_termination",
        slug=supplier.slug,
        proposal_id=_row(db, contract_id).id,
        _data={"version": "0"},
        _form_page=CONTRACTS_PAGE.format(slug=supplier.slug),
        _expected_status=409,
    )

    db.session.expire_all()
    assert db.session.get(Contract, contract_id).end_date == date(2028, 12, 31)


@pytest.mark.parametrize(
    ("end_date", "message"),
    [
        (None, "The notice gives no date the contract ended"),
        ("2026-06-30T00:00:00Z", "The end date must be after the start date"),
    ],
    ids=["no-date", "before-start"],
)
def test_a_termination_that_cannot_be_accepted_is_refused_with_a_reason(
    db, client_request, member, confirmed, tmp_path, end_date, message
):
    supplier, contract_id = confirmed
    _import(_termination_file(tmp_path, end_date))
    client_request.sign_in(member)

    page = _answer(
        client_request,
        db,
        supplier,
        contract_id,
        "accept",
        _follow_redirects=True,
        _expected_status=200,
    )

    assert message in page.get_text()
    db.session.expire_all()
    assert db.session.get(Contract, contract_id).end_date == date(2028, 12, 31)
    assert _row(db, contract_id).termination_status == "proposed"


@pytest.mark.parametrize("verb", ["accept", "decline"])
def test_another_organisations_member_cannot_answer_it(
    db, client_request, scheme, member, confirmed, verb
):
    _supplier, contract_id = confirmed
    _import(FIXTURES / "invented-telford-termination.json")
    stranger = make_user(email="stranger@example.com", full_name="Sam Stranger")
    theirs = make_organisation(owner=stranger, scheme=scheme, status="signatory")
    client_request.sign_in(stranger)

    client_request.post(
        f"organisation.{verb}_contract_termination",
        slug=theirs.slug,
        proposal_id=_row(db, contract_id).id,
        _data={"version": "1"},
        _form_page=CONTRACTS_PAGE.format(slug=theirs.slug),
        _expected_status=404,
    )
    assert _row(db, contract_id).termination_status == "proposed"


def test_a_termination_published_before_acceptance_is_proposed_when_matched_again(
    db, app, scheme, member
):
    make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")
    supplier = make_organisation(
        owner=member, scheme=scheme, identifier="09876543", status="signatory"
    )
    _import(
        FIXTURES / "cf-telford-and-wrekin.json",
        FIXTURES / "invented-telford-award.json",
        FIXTURES / "invented-telford-termination.json",
    )
    proposal = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.organisation_id == supplier.id)
    )
    contract_proposals.accept(supplier, proposal, member)
    db.session.commit()
    assert contract_terminations.terminations_for(supplier) == []

    published_notices.rematch(actor_label="test")

    (row,) = contract_terminations.terminations_for(supplier)
    assert row.termination_date == date(2027, 8, 31)
