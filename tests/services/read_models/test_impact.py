"""The impact summary rows: flows add up, stocks take each organisation's latest figure, every
breakdown counts its organisations, and proxy values apply by date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import ImpactCell, Measure
from charter.services.domain import proxy_values
from charter.services.read_models.impact.periods import (
    latest_complete_year,
    parse_period,
    quarter_of,
    year_of,
)
from tests.factories import make_commissioner, make_contract
from tests.services.read_models.impact_helpers import contributor, rebuild, verified


def cell(period_key, code, dimension="all", value=""):
    return db.session.scalar(
        select(ImpactCell).where(
            ImpactCell.period_key == period_key,
            ImpactCell.measure_code == code,
            ImpactCell.dimension == dimension,
            ImpactCell.dimension_value == value,
        )
    )


def test_period_keys_follow_quarters_and_financial_years():
    assert quarter_of(date(2027, 3, 31)).key == "2027-Q1"
    assert quarter_of(date(2026, 10, 1)).key == "2026-Q4"
    assert year_of(date(2027, 3, 31)).key == "2026-27"
    assert year_of(date(2027, 4, 1)).key == "2027-28"
    assert latest_complete_year(date(2026, 11, 23)).key == "2025-26"
    assert latest_complete_year(date(2026, 3, 31)).key == "2024-25"
    assert parse_period("2026-27").start == date(2026, 4, 1)
    assert parse_period("2026-Q2").end == date(2026, 6, 30)
    assert parse_period("2026-28") is None
    assert parse_period("99999999999-Q1") is None
    assert parse_period("2026-Q5") is None
    assert parse_period("all").previous is None
    assert parse_period("2026-27").previous.key == "2025-26"


def test_flows_add_up_and_count_organisations_per_breakdown(app, scheme):
    a, measures_a = contributor(scheme, "Shrewsbury", sector="Construction")
    b, measures_b = contributor(scheme, "Shrewsbury", sector="Manufacturing")
    c, measures_c = contributor(scheme, "Oswestry", sector="Construction")
    verified(a, measures_a, 2, LE1=1000)
    verified(a, measures_a, 3, LE1=500)
    verified(b, measures_b, 2, LE1=2000)
    verified(c, measures_c, 3, LE1=4000)

    rebuild()

    total = cell("2026-27", "LE1")
    assert (total.total, total.organisations) == (Decimal("7500"), 3)
    assert cell("2026-Q2", "LE1").total == Decimal("3000")
    assert cell("2026-Q3", "LE1").organisations == 2
    shrewsbury = cell("2026-27", "LE1", "district", "Shrewsbury")
    assert (shrewsbury.total, shrewsbury.organisations) == (Decimal("3500"), 2)
    assert cell("2026-27", "LE1", "sector", "Construction").total == Decimal("5500")
    assert cell("all", "LE1").total == Decimal("7500")


def test_stocks_take_each_organisations_latest_figure(app, scheme):
    a, measures_a = contributor(scheme, "Shrewsbury")
    b, measures_b = contributor(scheme, "Shrewsbury")
    c, measures_c = contributor(scheme, "Shrewsbury")
    verified(a, measures_a, 2, LE4=5, LE8=80)
    verified(a, measures_a, 3, LE4=7, LE8=90)
    verified(b, measures_b, 3, LE4=2, LE8=70)
    verified(c, measures_c, 2, LE4="1.5", LE8=100)

    rebuild()

    assert cell("2026-27", "LE4").total == Decimal("10.5")  # 7 + 2 + 1.5
    assert cell("2026-Q2", "LE4").total == Decimal("6.5")  # 5 + 1.5
    assert cell("2026-27", "LE8").total == Decimal("86.67")  # (90 + 70 + 100) / 3
    assert cell("2026-27", "LE8").organisations == 3


def test_unverified_figures_never_count(app, scheme):
    a, measures = contributor(scheme, "Shrewsbury")
    verified(a, measures, 2, LE1=1000)
    from tests.factories import make_return

    make_return(a, measures, 3, {"LE1": "999"}, status="submitted")

    rebuild()

    assert cell("2026-27", "LE1").total == Decimal("1000")
    assert cell("2026-Q3", "LE1") is None


def test_commissioner_breakdown_from_per_contract_figures(app, scheme):
    from charter.models import ContractFigure

    council = make_commissioner("Shropshire Council")
    a, measures = contributor(scheme, "Shrewsbury")
    contract = make_contract(a, council)
    monitoring_return = verified(a, measures, 2, LE1=1500)
    line = next(line for line in _lines(monitoring_return) if line.measure_id == measures["LE1"].id)
    db.session.add_all(
        [
            ContractFigure(return_line_id=line.id, contract_id=contract.id, value=Decimal("1000")),
            ContractFigure(return_line_id=line.id, contract_id=None, value=Decimal("500")),
        ]
    )
    db.session.commit()

    rebuild()

    by_council = cell("2026-27", "LE1", "commissioner", "Shropshire Council")
    assert (by_council.total, by_council.organisations) == (Decimal("1000"), 1)


def _lines(monitoring_return):
    from charter.models import ReturnLine

    return db.session.scalars(
        select(ReturnLine).where(ReturnLine.return_id == monitoring_return.id)
    )


def test_a_new_proxy_value_leaves_past_years_unchanged(app, scheme, admin_user):
    le1 = db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == "LE1")
    )
    proxy_values.set_proxy_value(
        le1,
        Decimal("0.50"),
        effective_from=date(2026, 1, 1),
        today=date(2026, 1, 1),
        set_by_id=admin_user.id,
    )
    db.session.commit()
    a, measures = contributor(scheme, "Shrewsbury")
    verified(a, measures, 1, LE1=1000)  # ends in March 2026: financial year 2025-26
    verified(a, measures, 3, LE1=1000)  # ends in September 2026
    rebuild()
    assert cell("2025-26", "LE1").monetised == Decimal("500.00")

    proxy_values.set_proxy_value(
        le1,
        Decimal("2.00"),
        effective_from=date(2026, 7, 1),
        today=date(2026, 6, 15),
        set_by_id=admin_user.id,
    )
    db.session.commit()
    rebuild()

    assert cell("2025-26", "LE1").monetised == Decimal("500.00")
    assert cell("2026-Q3", "LE1").monetised == Decimal("2000.00")
    assert le1.proxy_value == Decimal("0.50")  # the new value is not in force yet on 15 June
    assert proxy_values.sync_current_values(date(2026, 7, 1)) == 1
    assert le1.proxy_value == Decimal("2.00")


def test_a_proxy_value_cannot_start_in_the_past(app, scheme):
    le1 = db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == "LE1")
    )
    import pytest

    with pytest.raises(proxy_values.ProxyDateRefused):
        proxy_values.set_proxy_value(
            le1,
            Decimal("1"),
            effective_from=date(2026, 1, 1),
            today=date(2026, 1, 2),
            set_by_id=None,
        )


def test_rebuild_twice_gives_the_same_rows(app, scheme):
    a, measures = contributor(scheme, "Shrewsbury")
    verified(a, measures, 2, LE1=1000, LE4=3)
    first = rebuild()
    second = rebuild()
    assert (
        first.cells
        == second.cells
        == db.session.scalar(select(db.func.count()).select_from(ImpactCell))
    )


def test_the_rebuild_runs_the_same_statements_at_any_size(app, scheme, query_counter):
    """Set-based: more organisations and lines mean bigger GROUP BYs, not more statements."""

    def add(count):
        for _ in range(count):
            organisation, measures = contributor(scheme, "Shrewsbury")
            verified(organisation, measures, 2, LE1=100, LE4=2)

    add(3)
    with query_counter() as small:
        rebuild()
    add(27)
    with query_counter() as large:
        rebuild()
    assert small.value == large.value
