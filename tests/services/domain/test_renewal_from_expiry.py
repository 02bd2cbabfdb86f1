"""A renewal awarded before the current Mark expires runs from that expiry date, so the holder
loses no days (the scheme's ``renewal_runs_from_expiry``, on by default)."""

from __future__ import annotations

from datetime import date

import pytest

from charter.extensions import db
from charter.services.domain import marks
from tests.factories import make_mark

FIRST_AWARD = date(2024, 3, 1)  # expires 1 March 2026 on the default 24 months

# (renewal awarded on, the earlier mark's status then, the scheme setting, expected expiry)
RENEWALS = [
    pytest.param(date(2026, 1, 1), "valid", True, date(2028, 3, 1), id="60-days-early"),
    pytest.param(date(2026, 3, 1), "valid", True, date(2028, 3, 1), id="on-the-expiry-day"),
    pytest.param(date(2025, 12, 15), "suspended", True, date(2028, 3, 1), id="while-suspended"),
    pytest.param(date(2026, 3, 2), "valid", True, date(2028, 3, 2), id="a-day-after-expiry"),
    pytest.param(date(2026, 2, 1), "expired", True, date(2028, 2, 1), id="after-it-expired"),
    pytest.param(date(2026, 1, 1), "revoked", True, date(2028, 1, 1), id="after-revocation"),
    pytest.param(date(2026, 1, 1), "valid", False, date(2028, 1, 1), id="setting-off"),
]


@pytest.mark.parametrize(("renewed_on", "status", "runs_from_expiry", "expires_on"), RENEWALS)
def test_a_renewal_runs_from_the_old_expiry_only_while_that_mark_is_in_force(
    app, organisation, scheme, renewed_on, status, runs_from_expiry, expires_on
):
    first = make_mark(organisation, scheme, awarded_on=FIRST_AWARD, status=status)
    assert first.expires_on == date(2026, 3, 1)
    scheme.renewal_runs_from_expiry = runs_from_expiry
    db.session.commit()

    renewal = make_mark(organisation, scheme, awarded_on=renewed_on)

    assert renewal.awarded_on == renewed_on
    assert renewal.expires_on == expires_on
    db.session.refresh(first)
    assert first.status == ("superseded" if status in ("valid", "suspended") else status)
    assert marks.current_mark(organisation).id == renewal.id


def test_the_expiry_keeps_to_calendar_months_from_the_old_expiry(app, organisation, scheme):
    make_mark(organisation, scheme, awarded_on=date(2024, 2, 29))  # expires 28 February 2026
    renewal = make_mark(organisation, scheme, awarded_on=date(2026, 1, 10))
    assert renewal.expires_on == date(2028, 2, 28)


def test_a_first_award_runs_from_the_award_date(app, organisation, scheme):
    assert marks.renewal_runs_from(organisation, scheme, date(2026, 1, 1)) is None
    mark = make_mark(organisation, scheme, awarded_on=date(2026, 1, 1))
    assert mark.expires_on == date(2028, 1, 1)
