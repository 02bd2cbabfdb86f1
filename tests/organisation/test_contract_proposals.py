"""Proposed contracts from published notices, through HTTP: a real Contracts Finder tender and
its (invented) award are imported; the award to the organisation's Companies House number from
a commissioner on the list is proposed on its contracts page; a member accepts it (an ordinary
contract, which the commissioner's contract manager confirms) or declines it; both audited."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from charter.models import AwardedSupplier, Contract, NoticeEvent
from charter.services.domain import published_notices
from tests.client_request import ClientRequest
from tests.commissioner.monitoring_helpers import make_manager
from tests.factories import make_commissioner, make_organisation, make_user

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ocds"
OCID = "ocds-b5fd17-3699858f-adc8-11e6-9901-0019b9f3037b"


def _import(*names: str) -> None:
    for name in names:
        published_notices.import_file(str(FIXTURES / name), actor_label="test")
    from charter.extensions import db

    db.session.commit()


@pytest.fixture
def telford(app):
    return make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")


@pytest.fixture
def supplier(app, scheme, member):
    return make_organisation(
        owner=member,
        scheme=scheme,
        name="Severn Valley Security",
        identifier="09876543",
        status="signatory",
    )


@pytest.fixture
def proposed(db, telford, supplier):
    _import("cf-telford-and-wrekin.json", "invented-telford-award.json")
    return db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.organisation_id == supplier.id)
    )


def _cards(page) -> list[str]:
    return [
        card.select_one("h3").get_text(strip=True) for card in page.select(".govuk-summary-card")
    ]


def test_the_proposal_shows_on_the_contracts_page(client_request, member, supplier, proposed):
    client_request.sign_in(member)
    page = client_request.get("organisation.list_contracts", slug=supplier.slug)

    assert _cards(page) == ["Security services for council buildings"]
    assert client_request.summary_list(page) == {
        "Commissioner": "Telford and Wrekin Council",
        "Value": "£184,250.50",
        "Dates": "1 January 2027 to 31 December 2028",
        "Notice": f"{OCID} View the published notice for Security services for council buildings",
    }
    link = page.select_one(".govuk-summary-card a.govuk-link")
    assert (
        link["href"] == "https://www.contractsfinder.service.gov.uk/Notice/invented-telford-award"
    )
    assert [b.get_text(" ", strip=True) for b in page.select(".govuk-summary-card button")] == [
        "Accept Security services for council buildings",
        "Decline Security services for council buildings",
    ]


def test_accepting_makes_a_contract_the_contract_manager_confirms(
    app, db, client_request, member, supplier, telford, proposed
):
    client_request.sign_in(member)
    client_request.post(
        "organisation.accept_proposed_contract",
        slug=supplier.slug,
        proposal_id=proposed.id,
        _form_page=f"/organisations/{supplier.slug}/contracts",
    )

    contract = db.session.scalar(select(Contract).where(Contract.organisation_id == supplier.id))
    assert contract.title == "Security services for council buildings"
    assert contract.reference == OCID
    assert contract.value == Decimal("184250.50")
    assert contract.commissioner_id == telford.id
    assert contract.confirmation_status == "unconfirmed"
    db.session.expire_all()
    accepted = db.session.get(AwardedSupplier, proposed.id)
    assert accepted.status == "accepted" and accepted.contract_id == contract.id
    event = db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "accepted"))
    assert event.actor_id == member.id and event.organisation_id == supplier.id
    page = client_request.get("organisation.list_contracts", slug=supplier.slug)
    assert _cards(page) == [], "an answered proposal is not offered again"

    # The existing flow: the commissioner's contract manager sees it and confirms it.
    manager = make_manager(telford, email="cara@telford.example")
    as_manager = ClientRequest(app.test_client())
    as_manager.sign_in(manager)
    work = as_manager.get("commissioner.list_work")
    assert "Security services for council buildings" in work.get_text()
    shown = as_manager.get("commissioner.show_contract", contract_id=contract.id)
    inset = " ".join(shown.select_one(".govuk-inset-text").get_text(" ").split())
    assert inset == (
        f"Recorded from a notice Telford and Wrekin Council published: {OCID}, award 1. "
        "View the published notice The value and dates are the notice’s."
    )
    as_manager.post(
        "commissioner.confirm_contract",
        contract_id=contract.id,
        _data={"version": str(contract.version_id)},
        _form_page=f"/commissioner/contracts/{contract.id}",
    )
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).confirmation_status == "confirmed"


def test_declining_records_nothing_and_is_audited(db, client_request, member, supplier, proposed):
    client_request.sign_in(member)
    client_request.post(
        "organisation.decline_proposed_contract",
        slug=supplier.slug,
        proposal_id=proposed.id,
        _form_page=f"/organisations/{supplier.slug}/contracts",
    )

    assert db.session.scalar(select(Contract.id)) is None
    db.session.expire_all()
    assert db.session.get(AwardedSupplier, proposed.id).status == "declined"
    event = db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "declined"))
    assert event.actor_id == member.id
    # Importing the notices again does not propose it again.
    _import("invented-telford-award.json")
    assert db.session.get(AwardedSupplier, proposed.id).status == "declined"


def test_a_proposal_lacking_a_value_is_refused_with_a_reason(
    db, client_request, member, supplier, proposed
):
    proposed.value = None
    db.session.commit()
    client_request.sign_in(member)
    page = client_request.post(
        "organisation.accept_proposed_contract",
        slug=supplier.slug,
        proposal_id=proposed.id,
        _form_page=f"/organisations/{supplier.slug}/contracts",
        _follow_redirects=True,
        _expected_status=200,
    )

    assert "The notice gives no value in pounds" in page.get_text()
    assert db.session.scalar(select(Contract.id)) is None
    assert db.session.get(AwardedSupplier, proposed.id).status == "proposed"


def test_another_organisations_member_cannot_answer_it(
    db, client_request, supplier, proposed, scheme
):
    stranger = make_user(email="stranger@example.com", full_name="Sam Stranger")
    theirs = make_organisation(owner=stranger, scheme=scheme, status="signatory")
    client_request.sign_in(stranger)
    client_request.post(
        "organisation.accept_proposed_contract",
        slug=theirs.slug,
        proposal_id=proposed.id,
        _form_page=f"/organisations/{theirs.slug}/contracts",
        _expected_status=404,
    )
    assert db.session.get(AwardedSupplier, proposed.id).status == "proposed"


# --- a name-only near match -------------------------------------------------------------------


@pytest.fixture
def patrols(app, scheme, member, telford):
    """Named as the notice names a supplier that has no identifier in it ("Ironbridge
    Patrols"), with a Companies House number of its own."""
    organisation = make_organisation(
        owner=member,
        scheme=scheme,
        name="Ironbridge Patrols Limited",
        identifier="04440444",
        status="signatory",
    )
    _import("invented-telford-award.json")
    return organisation


def test_a_name_only_match_is_offered_to_claim_with_a_warning(db, client_request, member, patrols):
    client_request.sign_in(member)
    page = client_request.get("organisation.list_contracts", slug=patrols.slug)

    assert _cards(page) == ["Security services: out-of-hours patrols"]
    warning = " ".join(page.select_one(".govuk-warning-text__text").get_text(" ").split())
    assert warning == (
        "Warning Only the name matched: the notice names the supplier ‘Ironbridge Patrols’ "
        "with no identifier. Claim it only if Ironbridge Patrols Limited won this contract."
    )
    assert [b.get_text(" ", strip=True) for b in page.select(".govuk-summary-card button")] == [
        "Claim Security services: out-of-hours patrols",
        "Not ours Security services: out-of-hours patrols",
    ]

    offer = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.organisation_id == patrols.id)
    )
    client_request.post(
        "organisation.accept_proposed_contract",
        slug=patrols.slug,
        proposal_id=offer.id,
        _form_page=f"/organisations/{patrols.slug}/contracts",
    )
    contract = db.session.scalar(select(Contract).where(Contract.organisation_id == patrols.id))
    assert contract.title == "Security services: out-of-hours patrols"
    assert contract.value == Decimal("42000.00")
    event = db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "claimed"))
    assert event.detail.endswith("(matched by name only: Ironbridge Patrols)")


def test_a_name_match_waits_for_administrators_too(client_request, admin_user, patrols):
    client_request.sign_in(admin_user)
    page = client_request.get("admin.list_waiting_awards")
    reasons = [" ".join(td.get_text(" ").split()) for td in page.select("tbody tr td:last-child")]
    assert (
        "Offered to Ironbridge Patrols Limited to claim: only the name matched. The notice "
        "gives no identifier for the supplier"
    ) in reasons
