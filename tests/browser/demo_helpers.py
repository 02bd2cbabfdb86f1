"""What the demo data holds, read from the served app's own database, so that a journey names
what is there (built relative to today) rather than a date that drifts when the demo moves."""

from __future__ import annotations

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from charter.models import MonitoringReturn, Organisation
from charter.models.monitoring import RETURN_DRAFT
from charter.services.domain.periods import Period


def return_to_send(database_url: str, organisation_name: str) -> str:
    """The period label ("1 July to 30 September 2026") of the organisation's oldest return
    not sent yet, as the returns page shows it."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            row = session.execute(
                select(MonitoringReturn.period_start, MonitoringReturn.period_end)
                .join(Organisation, Organisation.id == MonitoringReturn.organisation_id)
                .where(
                    Organisation.name == organisation_name,
                    MonitoringReturn.status == RETURN_DRAFT,
                )
                .order_by(MonitoringReturn.period_start)
                .limit(1)
            ).first()
    finally:
        engine.dispose()
    assert row is not None, f"the demo data has no return for {organisation_name} to send"
    return Period(row.period_start, row.period_end).label
