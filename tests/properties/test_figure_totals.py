"""A return line's total never overflows its column, on either database: figures each in range
(0 to £999,999,999,999.99) are driven through the returns service at their extremes; their sum is
either stored exactly or refused with a message (TotalTooLarge), and a refusal changes nothing.

On PostgreSQL a total beyond Numeric(14, 2) failed the flush (a 500 on the page); on SQLite it
was stored as £1.99 trillion."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from charter.extensions import db
from charter.models import ContractFigure, MonitoringReturn
from charter.services.domain import returns
from charter.services.domain.units import FIGURE_COLUMN_MAX, TotalTooLarge
from tests.factories import make_commissioner, make_contract
from tests.organisation.return_helpers import open_returns

EXTREMES = [Decimal(0), Decimal("0.01"), FIGURE_COLUMN_MAX, FIGURE_COLUMN_MAX - Decimal("0.01")]
FIGURES = st.one_of(
    st.sampled_from(EXTREMES),
    st.decimals(min_value=0, max_value=FIGURE_COLUMN_MAX, places=2),
    st.none(),
)


@pytest.fixture
def line_and_rows(organisation, scheme):
    council = make_commissioner("Shropshire Council")
    for title in ("Road gritting", "Hospital meals", "Library refit"):
        make_contract(organisation, council, title=title)
    first, _ = open_returns(organisation, scheme)
    return first.id


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(figures=st.lists(FIGURES, min_size=4, max_size=4))
def test_a_line_total_is_stored_exactly_or_refused(line_and_rows, figures):
    monitoring_return = db.session.get(MonitoringReturn, line_and_rows)
    line = returns.line_for(monitoring_return, "LE1")
    rows = returns.figure_rows(monitoring_return, line)
    values = {row.key: value for row, value in zip(rows, figures, strict=True)}
    given_ = [v for v in figures if v is not None]
    total = sum(given_, Decimal(0)) if given_ else None
    try:
        try:
            returns.save_figures(
                monitoring_return, line, rows, values, narrative="Spent locally.", response=None
            )
            db.session.flush()
        except TotalTooLarge as refusal:
            assert total is not None and total > FIGURE_COLUMN_MAX
            assert "more than the £999,999,999,999.99 a total can be" in str(refusal)
            assert line.actual_value is None
            assert db.session.scalars(select(ContractFigure)).all() == []
            return
        assert total is None or total <= FIGURE_COLUMN_MAX
        db.session.expire_all()
        assert returns.line_for(monitoring_return, "LE1").actual_value == total
    finally:
        db.session.rollback()
