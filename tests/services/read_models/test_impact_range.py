"""The impact figures never overflow their columns: a total the cells cannot hold stops the
rebuild with a message, writes nothing, and leaves the figures published before (a figure
times its proxy value can pass Numeric(18, 2) long before any one figure can)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import ImpactCell, Measure
from charter.services.domain import proxy_values
from charter.services.read_models.impact import build
from tests.services.read_models.impact_helpers import contributor, rebuild, verified


def _proxy(scheme, admin_user, code: str, value: str) -> None:
    measure = db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == code)
    )
    proxy_values.set_proxy_value(
        measure,
        Decimal(value),
        effective_from=date(2026, 1, 1),
        today=date(2026, 1, 1),
        set_by_id=admin_user.id,
    )
    db.session.commit()


def _cells() -> int:
    return db.session.scalar(select(func.count()).select_from(ImpactCell))


@pytest.mark.parametrize(
    ("figures", "proxy", "fits"),
    [
        # 999,999.9 FTE-weeks at the largest proxy the column takes: pounds past 10^16.
        ((999_999, 999_999), "9999999999.99", False),
        # The same figures at £1,000 a week fit easily.
        ((999_999, 999_999), "1000.00", True),
    ],
)
def test_a_total_beyond_the_cells_stops_the_rebuild_and_keeps_what_was_published(
    app, scheme, admin_user, figures, proxy, fits
):
    a, measures = contributor(scheme, "Shrewsbury")
    verified(a, measures, 1, LE1=1000)
    rebuild()
    published = _cells()
    assert published > 0

    _proxy(scheme, admin_user, "LE5", proxy)
    verified(a, measures, 2, LE5=figures[0])
    verified(a, measures, 3, LE5=figures[1])
    if fits:
        rebuild()
        assert _cells() > published
        return
    with pytest.raises(build.ImpactOutOfRange, match=r"more than the 9,999,999,999,999,999\.99"):
        build.rebuild()
    db.session.rollback()
    assert _cells() == published
