"""Bad answers to the social value pages after award (issue 21) get a clear message and change
nothing: a service credit's amount and period, an alternative commitment's measure, target and
reason; and the weighting at award at the edges of Cheshire West's bands, and when two charters'
bands disagree."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import CommitmentAlternative, ContractCommitment, OutboxEmail, ServiceCredit
from charter.services.domain.charter_commissioners import set_taking_part
from charter.services.domain.schemes import load_scheme_text
from tests.commissioner.social_value_helpers import (
    SCHEME_FILE,
    add_commitment,
    load_cheshire_west,
    record_contract,
    set_proxies,
    supplier_and_council,
)
from tests.factories import submit


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


CREDIT = {
    "amount": "1500",
    "reason": "Placements not delivered",
    "period_start": ["1", "4", "2026"],
    "period_end": ["30", "6", "2026"],
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": ""}, "Enter the amount of the service credit"),
        ({"amount": "0"}, "The amount must be more than £0"),
        ({"amount": "-5"}, "The amount must be 0 or more"),
        ({"amount": "12.345"}, "the amount"),  # pence at most, never rounded
        ({"amount": "lots"}, "Enter the amount as"),
        ({"amount": "120000.01"}, "The amount must be £120,000 or less"),
        ({"reason": "  "}, "Enter why you are applying the service credit"),
        ({"period_start": ["", "", ""]}, "Enter the start of the period"),
        ({"period_end": ["31", "2", "2026"]}, "The end of the period must be a real date"),
        (
            {"period_start": ["1", "7", "2026"], "period_end": ["30", "6", "2026"]},
            "The end of the period must be the same as or after its start",
        ),
        (
            {"period_start": ["1", "1", "2026"]},
            "The period must be within the contract’s dates, 1 April 2026 to 31 March 2029",
        ),
        (
            {"period_start": ["1", "1", "2029"], "period_end": ["31", "3", "2029"]},
            "The period must have started by today",
        ),
    ],
)
def test_a_bad_service_credit_is_refused_and_nothing_is_recorded(app, changes, message):
    scheme = load_cheshire_west()
    supplier, member, council, manager = supplier_and_council(app, scheme)
    contract = record_contract(member, supplier, council, "120000")
    emails = _count(OutboxEmail)
    response = submit(
        manager, f"/commissioner/contracts/{contract.id}/service-credits/new", CREDIT | changes
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "There is a problem" in text
    assert message in text
    assert _count(ServiceCredit) == 0
    assert _count(OutboxEmail) == emails


def test_a_credit_cannot_take_more_than_is_left_of_the_contract(app):
    scheme = load_cheshire_west()
    supplier, member, council, manager = supplier_and_council(app, scheme)
    contract = record_contract(member, supplier, council, "120000")
    url = f"/commissioner/contracts/{contract.id}/service-credits/new"
    assert submit(manager, url, CREDIT | {"amount": "100000"}).status_code == 302
    response = submit(manager, url, CREDIT | {"amount": "20000.01"})
    assert (
        "The amount must be £20,000 or less: the contract is worth £120,000 and £100,000 has "
        "already been credited"
    ) in response.get_data(as_text=True)
    assert _count(ServiceCredit) == 1


@pytest.mark.parametrize(
    ("original", "changes", "message"),
    [
        ("CW1", {"measure": "CW1"}, "Select a different measure from the commitment it replaces"),
        ("CW1", {"measure": "CW3"}, "This contract already has a commitment for CW3"),
        ("CW1", {"measure": ""}, "Select a measure"),
        ("CW1", {"measure": "LE1"}, "Select a measure"),
        ("CW1", {"target_value": "0"}, "The alternative target must be more than 0"),
        ("CW1", {"target_value": ""}, "Enter the target you committed to"),
        ("CW1", {"reason": ""}, "Enter why you cannot deliver the original commitment"),
        ("CW1", {"measure": "CW6", "target_value": "101"}, "The target must be 100% or less"),
    ],
)
def test_a_bad_alternative_is_refused_and_nothing_is_proposed(app, original, changes, message):
    scheme = load_cheshire_west()
    supplier, member, council, _manager = supplier_and_council(app, scheme)
    contract = record_contract(member, supplier, council, "120000")
    add_commitment(member, supplier, contract, "CW1", "20")
    add_commitment(member, supplier, contract, "CW3", "5")
    commitment_id = db.session.scalar(
        select(ContractCommitment.id).where(ContractCommitment.measure.has(code=original))
    )
    url = (
        f"/organisations/{supplier.slug}/contracts/{contract.id}/commitments/"
        f"{commitment_id}/alternative"
    )
    data = {"measure": "CW2", "target_value": "40", "reason": "No vacancies"} | changes
    response = submit(member, url, data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(CommitmentAlternative) == 0


def test_a_second_alternative_waits_for_the_first_and_a_decided_one_stays_decided(app):
    scheme = load_cheshire_west()
    set_proxies(scheme)
    supplier, member, council, manager = supplier_and_council(app, scheme)
    contract = record_contract(member, supplier, council, "120000")
    add_commitment(member, supplier, contract, "CW1", "20")
    commitment_id = db.session.scalar(select(ContractCommitment.id))
    url = (
        f"/organisations/{supplier.slug}/contracts/{contract.id}/commitments/"
        f"{commitment_id}/alternative"
    )
    data = {"measure": "CW2", "target_value": "40", "reason": "No vacancies"}
    assert submit(member, url, data).status_code == 302
    again = submit(member, url, data | {"target_value": "50"})
    assert "already waiting for the contract manager" in again.get_data(as_text=True)
    alternative_id = db.session.scalar(select(CommitmentAlternative.id))
    page = f"/commissioner/contracts/{contract.id}"
    accept = f"{page}/alternatives/{alternative_id}/accept"
    assert submit(manager, accept, form_url=page).status_code == 302
    submit(manager, accept, form_url=page)
    assert "This alternative was already accepted: nothing changed" in manager.get(page).get_data(
        as_text=True
    )
    assert _count(ContractCommitment) == 2
    # The supplier cannot remove what is on the record.
    removed = submit(
        member,
        f"/organisations/{supplier.slug}/contracts/{contract.id}/commitments/{commitment_id}"
        "/remove",
        form_url=f"/organisations/{supplier.slug}/contracts/{contract.id}",
    )
    assert removed.status_code == 409
    assert _count(ContractCommitment) == 2


@pytest.mark.parametrize(
    ("value", "weighting"),
    [
        ("49999.99", None),
        ("50000", Decimal("5")),
        ("100000", Decimal("5")),
        ("100000.01", Decimal("10")),
        ("2500000", Decimal("10")),
    ],
)
def test_the_weighting_at_award_follows_the_bands_of_the_scheme_file(app, value, weighting):
    scheme = load_cheshire_west()
    supplier, member, council, _manager = supplier_and_council(app, scheme)
    contract = record_contract(member, supplier, council, value)
    assert contract.award_weighting == weighting
    assert contract.award_weighting_charter_id == (scheme.charter_id if weighting else None)


def _other_charter(percent: int):
    """Cheshire West's file as another council's, whose top band weights ``percent``."""
    text = SCHEME_FILE.read_text(encoding="utf-8")
    text = text.replace('slug = "cheshire-west-social-value-policy"', 'slug = "other-policy"')
    text = text.replace('slug = "cheshire-west-and-chester"', 'slug = "other-council"')
    text = text.replace(
        'name = "Cheshire West and Chester Council Social Value Policy 2021-25"',
        'name = "Other Council Social Value Policy"',
    )
    text = text.replace("over = 100000\npercent = 10", f"over = 100000\npercent = {percent}")
    scheme = load_scheme_text(text).scheme
    db.session.commit()
    return scheme


def test_when_charters_bands_disagree_the_charter_it_was_recorded_in_decides(app):
    scheme = load_cheshire_west()
    supplier, member, council, manager = supplier_and_council(app, scheme)
    other = _other_charter(15)
    set_taking_part(council, other.charter_id, True)
    db.session.commit()
    # Recorded in Cheshire West's charter (the supplier's signing): its bands.
    contract = record_contract(member, supplier, council, "120000")
    assert (contract.award_weighting, contract.award_weighting_charter_id) == (
        Decimal("10"), scheme.charter_id
    )  # fmt: skip
    # Changing the value sets it again; the band the value falls in now.
    edit = f"/organisations/{supplier.slug}/contracts/{contract.id}/edit"
    from tests.commissioner.monitoring_helpers import contract_answers

    response = submit(member, edit, contract_answers(contract, council, 1, value="60000"))
    assert response.status_code == 302
    db.session.expire_all()
    assert contract.award_weighting == Decimal("5")
    page = manager.get(f"/commissioner/contracts/{contract.id}").get_data(as_text=True)
    assert "<strong>5%</strong>" in page


def test_a_commissioner_outside_the_supplier_charter_gets_a_weighting_only_if_all_agree(app):
    from charter.services.domain.award_weighting import weighting_of

    scheme = load_cheshire_west()
    _supplier, _member, council, _manager = supplier_and_council(app, scheme)
    other = _other_charter(15)
    set_taking_part(council, other.charter_id, True)
    db.session.commit()
    # Recorded in neither charter: the two disagree above £100,000, so nothing is guessed...
    assert weighting_of(Decimal("120000"), council.id, None) == (None, None)
    # ...and agree between £50,000 and £100,000.
    assert weighting_of(Decimal("75000"), council.id, None) == (Decimal("5"), scheme.charter_id)


def test_an_alternative_whose_measure_was_committed_since_cannot_be_accepted(app):
    scheme = load_cheshire_west()
    set_proxies(scheme)
    supplier, member, council, manager = supplier_and_council(app, scheme)
    contract = record_contract(member, supplier, council, "120000")
    add_commitment(member, supplier, contract, "CW1", "20")
    commitment_id = db.session.scalar(select(ContractCommitment.id))
    url = (
        f"/organisations/{supplier.slug}/contracts/{contract.id}/commitments/"
        f"{commitment_id}/alternative"
    )
    data = {"measure": "CW2", "target_value": "40", "reason": "No vacancies"}
    assert submit(member, url, data).status_code == 302
    add_commitment(member, supplier, contract, "CW2", "10")  # the supplier adds it meanwhile
    alternative_id = db.session.scalar(select(CommitmentAlternative.id))
    page = f"/commissioner/contracts/{contract.id}"
    submit(manager, f"{page}/alternatives/{alternative_id}/accept", form_url=page)
    assert "the contract now has a commitment for CW2 already" in manager.get(page).get_data(
        as_text=True
    )
    assert _count(ContractCommitment) == 2
    db.session.expire_all()
    assert db.session.get(CommitmentAlternative, alternative_id).status == "proposed"
