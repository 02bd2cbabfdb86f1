"""A later change notice proposes an amendment to an accepted contract, through HTTP: the
contract does not change until a member accepts it, then goes back to the commissioner's
contract manager as a member's own edit does; a declined change is not proposed again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from charter.extensions import db as _db
from charter.models import AwardedSupplier, Contract, NoticeEvent
from charter.services.domain import contract_proposals, published_notices
from tests.factories import make_commissioner, make_organisation

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ocds"
CONTRACTS_PAGE = "/organisations/{slug}/contracts"


def _import(*names: str) -> None:
    for name in names:
        published_notices.import_file(str(FIXTURES / name), actor_label="test")
    _db.session.commit()


@pytest.fixture
def confirmed(db, app, scheme, member):
    """The Telford award accepted as a contract and confirmed by the commissioner."""
    make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")
    supplier = make_organisation(
        owner=member, scheme=scheme, identifier="09876543", status="signatory"
    )
    _import("cf-telford-and-wrekin.json", "invented-telford-award.json")
    proposal = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.organisation_id == supplier.id)
    )
    contract = contract_proposals.accept(supplier, proposal, member)
    contract.confirmation_status = "confirmed"
    db.session.commit()
    return supplier, contract.id


def _cards(page) -> list[str]:
    return [h.get_text(strip=True) for h in page.select(".govuk-summary-card h3")]


def test_a_change_notice_is_proposed_and_changes_nothing_by_itself(
    db, client_request, member, confirmed
):
    supplier, contract_id = confirmed
    _import("invented-telford-change.json")

    contract = db.session.get(Contract, contract_id)
    assert contract.value == Decimal("184250.50") and contract.end_date == date(2028, 12, 31)
    assert contract.confirmation_status == "confirmed"
    client_request.sign_in(member)
    page = client_request.get("organisation.list_contracts", slug=supplier.slug)
    assert _cards(page) == ["Security services for council buildings"]
    assert client_request.summary_list(page) == {
        "Value": "£184,250.50 now, £196,000 published",
        "Dates": "1 January 2027 to 31 December 2028 now, "
        "1 January 2027 to 31 March 2029 published",
        "Notice": "ocds-b5fd17-3699858f-adc8-11e6-9901-0019b9f3037b View the published notice "
        "for Security services for council buildings",
    }
    assert db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "amendment"))


def test_accepting_the_change_sends_the_contract_back_for_confirmation(
    db, client_request, member, confirmed
):
    supplier, contract_id = confirmed
    _import("invented-telford-change.json")
    row = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.contract_id == contract_id)
    )
    client_request.sign_in(member)

    client_request.post(
        "organisation.accept_contract_change",
        slug=supplier.slug,
        proposal_id=row.id,
        _data={"version": str(db.session.get(Contract, contract_id).version_id)},
        _form_page=CONTRACTS_PAGE.format(slug=supplier.slug),
    )

    db.session.expire_all()
    contract = db.session.get(Contract, contract_id)
    assert contract.value == Decimal("196000.00") and contract.end_date == date(2029, 3, 31)
    assert contract.confirmation_status == "unconfirmed"
    assert db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "amended"))
    page = client_request.get("organisation.list_contracts", slug=supplier.slug)
    assert _cards(page) == []
    # The same notice again proposes nothing.
    _import("invented-telford-change.json")
    assert contract_proposals.amendments_for(supplier) == []


def test_a_stale_page_changes_nothing(db, client_request, member, confirmed):
    supplier, contract_id = confirmed
    _import("invented-telford-change.json")
    row = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.contract_id == contract_id)
    )
    client_request.sign_in(member)

    client_request.post(
        "organisation.accept_contract_change",
        slug=supplier.slug,
        proposal_id=row.id,
        _data={"version": "0"},
        _form_page=CONTRACTS_PAGE.format(slug=supplier.slug),
        _expected_status=409,
    )

    db.session.expire_all()
    assert db.session.get(Contract, contract_id).value == Decimal("184250.50")


def test_a_declined_change_is_not_proposed_again(db, client_request, member, confirmed):
    supplier, contract_id = confirmed
    _import("invented-telford-change.json")
    row = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.contract_id == contract_id)
    )
    client_request.sign_in(member)

    client_request.post(
        "organisation.decline_contract_change",
        slug=supplier.slug,
        proposal_id=row.id,
        _data={"version": str(db.session.get(Contract, contract_id).version_id)},
        _form_page=CONTRACTS_PAGE.format(slug=supplier.slug),
    )

    db.session.expire_all()
    contract = db.session.get(Contract, contract_id)
    assert contract.value == Decimal("184250.50") and contract.confirmation_status == "confirmed"
    assert db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "not_amended"))
    published_notices.rematch(actor_label="test")
    assert contract_proposals.amendments_for(supplier) == []
