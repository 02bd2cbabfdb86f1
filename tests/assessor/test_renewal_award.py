"""An assessor awards a renewal before the current Mark expires, through HTTP: the new Mark runs
from the old expiry date and the email says so; with the scheme's setting off it runs from the
award."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.formatting import format_date
from charter.models import OutboxEmail
from charter.services.domain import marks
from tests.assessor.application_helpers import applied, award, fresh, judge_all
from tests.factories import make_mark


@pytest.mark.parametrize("runs_from_expiry", [True, False], ids=["setting-on", "setting-off"])
def test_an_early_renewal_loses_no_days(
    assessor_client, organisation, scheme, member, runs_from_expiry
):
    today = date.today()
    old_expiry = today + timedelta(days=60)
    current = make_mark(
        organisation, scheme, awarded_on=marks.add_months(old_expiry, -scheme.validity_months)
    )
    assert current.expires_on == old_expiry
    scheme.renewal_runs_from_expiry = runs_from_expiry
    db.session.commit()
    application = applied(organisation, scheme, member)
    judge_all(assessor_client, application)

    assert award(assessor_client, application).status_code == 302

    application, organisation = fresh(application, organisation)
    renewal = marks.current_mark(organisation)
    assert renewal.id != current.id and renewal.awarded_on == today
    start = old_expiry if runs_from_expiry else today
    assert renewal.expires_on == marks.add_months(start, scheme.validity_months)
    email = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.subject.contains("awarded the Charter Mark"))
    )
    assert f"Valid until: {format_date(renewal.expires_on)}" in email.body
    promise = (
        f"This renewal runs for {scheme.validity_months} months from the day your previous "
        f"Charter Mark was due to expire ({format_date(old_expiry)}), not from today, so you "
        "lose no days."
    )
    assert (promise in email.body) is runs_from_expiry
