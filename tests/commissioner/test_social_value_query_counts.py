"""The administrators' contract social value report, and a contract's page with its
alternatives and service credits, take the same number of queries whatever the number of
contracts, commitments, alternatives and credits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from charter.extensions import db
from charter.models import CommitmentAlternative, ContractCommitment, ServiceCredit
from charter.services.domain.charter_commissioners import set_taking_part
from tests.commissioner.monitoring_helpers import make_manager, measures_by_code
from tests.commissioner.social_value_helpers import load_cheshire_west
from tests.factories import make_commissioner, make_contract, make_organisation, make_user, sign_in


def _contract_with_record(supplier, council, measures, n: int, items: int):
    contract = make_contract(supplier, council, title=f"Contract {n}", value="150000")
    contract.award_weighting = Decimal("10")
    codes = ["CW1", "CW2", "CW3", "CW4", "CW5"][: items + 1]
    commitments = [
        ContractCommitment(contract_id=contract.id, measure_id=measures[c].id, target_value=5)
        for c in codes
    ]
    db.session.add_all(commitments)
    db.session.flush()
    for i in range(items):
        db.session.add(
            CommitmentAlternative(
                contract_id=contract.id,
                original_id=commitments[i].id,
                measure_id=measures[codes[i + 1]].id,
                target_value=3,
                reason="Cannot",
                status=("proposed", "refused")[i % 2],
            )
        )
        db.session.add(
            ServiceCredit(
                contract_id=contract.id,
                amount=Decimal("100"),
                reason="Missed",
                period_start=date(2026, 4, 1),
                period_end=date(2026, 6, 30),
            )
        )
    db.session.commit()
    return contract


def _count(query_counter, http, url, text):
    http.get(url)
    with query_counter() as counter:
        response = http.get(url)
    assert response.status_code == 200
    assert text in response.get_data(as_text=True)
    return counter.value


def test_query_counts_do_not_grow_with_contracts_alternatives_and_credits(app, query_counter):
    scheme = load_cheshire_west()
    measures = measures_by_code(scheme)
    owner = make_user(email="owner@supplier.example")
    small_council = make_commissioner("Small Council")
    large_council = make_commissioner("Large Council")
    small_supplier = make_organisation(owner=owner, scheme=scheme, status="monitoring")
    large_supplier = make_organisation(owner=owner, scheme=scheme, status="monitoring")
    small = [_contract_with_record(small_supplier, small_council, measures, n, 1) for n in (1, 2)]
    large = [
        _contract_with_record(large_supplier, large_council, measures, n, 4) for n in range(3, 11)
    ]
    make_manager(small_council, "small@council.example")
    make_manager(large_council, "large@council.example")

    manager_small, manager_large = app.test_client(), app.test_client()
    sign_in(manager_small, "small@council.example")
    sign_in(manager_large, "large@council.example")
    one = _count(
        query_counter, manager_small, f"/commissioner/contracts/{small[0].id}", "Service credits"
    )
    many = _count(
        query_counter, manager_large, f"/commissioner/contracts/{large[0].id}", "Service credits"
    )
    assert many == one

    admin = app.test_client()
    make_user(email="ada@council.example", role="admin")
    sign_in(admin, "ada@council.example")
    # Two contracts counting for the charter, then ten: the same number of queries.
    set_taking_part(large_council, scheme.charter_id, False)
    db.session.commit()
    two = _count(query_counter, admin, "/admin/contract-social-value", "Contract 2")
    set_taking_part(large_council, scheme.charter_id, True)
    db.session.commit()
    assert _count(query_counter, admin, "/admin/contract-social-value", "Contract 10") == two
