"""Commitments at tender against what was delivered (charter.services.read_models.commitments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import MonitoringReturn
from charter.services.read_models import commitments
from tests.factories import make_organisation
from tests.organisation.commitment_helpers import history


def _rows(report, contract_index=0):
    return {row.measure.code: row for row in report.contracts[contract_index].rows}


def test_delivered_counts_verified_figures_of_the_contract_against_the_term_elapsed(app, scheme):
    org = make_organisation(scheme=scheme, status="monitoring")
    (contract,) = history(org, scheme, contracts=1, periods=4)
    latest = db.session.scalar(
        select(MonitoringReturn).order_by(MonitoringReturn.period_start.desc()).limit(1)
    )
    latest.status = "submitted"  # January to March 2027: not verified, not counted
    db.session.commit()

    report = commitments.for_organisation(org, at=date(2027, 4, 1))
    assert report.at == date(2027, 4, 1)
    (item,) = report.contracts
    # 1 April 2026 to 31 March 2028: 365 of 730 days gone.
    assert item.contract.id == contract.id and item.share_elapsed == 50
    rows = _rows(report)
    assert (rows["LE1"].committed, rows["LE1"].delivered, rows["LE1"].figures) == (
        100_000,
        30_000,
        3,
    )
    assert rows["LE1"].share_delivered == 30 and item.behind(rows["LE1"])
    # A stock: the latest verified figure (October to December 2026), not a sum.
    assert rows["LE4"].delivered == Decimal("2.2") and rows["LE4"].share_delivered == 44
    assert rows["LE4"].latest.label == "1 October to 31 December 2026"
    # Prompt payment is reported for the whole organisation: not attributed to the contract.
    assert rows["LE9"].delivered is None and not rows["LE9"].is_followed

    # Figures for periods ending after the report's date are not "to date".
    early = _rows(commitments.for_organisation(org, at=date(2026, 9, 29)))
    assert early["LE1"].delivered == 10_000


def test_the_term_share_is_0_before_the_start_and_100_after_the_end(app, scheme):
    org = make_organisation(scheme=scheme, status="monitoring")
    (contract,) = history(org, scheme, contracts=1, periods=0)
    assert commitments.share_of_term(contract, date(2026, 1, 1)) == 0
    assert commitments.share_of_term(contract, date(2026, 4, 1)) == 0
    assert commitments.share_of_term(contract, date(2028, 3, 31)) == 100
    assert commitments.share_of_term(contract, date(2030, 1, 1)) == 100
    report = commitments.for_contract(contract, at=date(2026, 5, 1))
    assert report.single_contract and _rows(report)["LE1"].delivered == 0


def test_two_queries_whatever_the_number_of_contracts_and_periods(app, scheme, query_counter):
    small = make_organisation(scheme=scheme, status="monitoring")
    large = make_organisation(scheme=scheme, status="monitoring")
    history(small, scheme, contracts=1, periods=1)
    history(large, scheme, contracts=5, periods=6)
    counts = []
    for org in (small, large):
        db.session.expire_all()
        db.session.refresh(org)
        with query_counter() as counter:
            report = commitments.for_organisation(org, at=date(2028, 1, 1))
        counts.append(counter.value)
    assert counts == [2, 2]
    assert len(report.contracts) == 5 and _rows(report, 4)["LE1"].delivered == 60_000
