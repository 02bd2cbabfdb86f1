"""An organisation with an annual confirmation waiting for its owner, and what the confirmation
page posts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import AuditEvent, Organisation
from charter.models.duties import AnnualConfirmation
from charter.services.domain.signings import signing_of
from tests.factories import signing_id_for
from tests.services.domain.duties_helpers import signed

DETAILS = {
    "size": "medium",
    "address_line_1": "2 New Street",
    "town": "Ludlow",
    "postcode": "SY8 1AA",
    "confirm": "y",
}


def url(organisation) -> str:
    return f"/organisations/{organisation.slug}/confirm-commitment"


def awaiting_confirmation(organisation, status: str = "signatory") -> AnnualConfirmation:
    """Signed two years ago; this year's confirmation open until a month from today."""
    signed(organisation, datetime.now() - timedelta(days=730), status)
    pending = AnnualConfirmation(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        anniversary=date.today() - timedelta(days=5),
        closes_on=date.today() + timedelta(days=30),
    )
    db.session.add(pending)
    db.session.commit()
    return pending


def decided(organisation, publishes: bool) -> None:
    signing_of(organisation).publishes_figures = publishes
    signing_of(organisation).publishes_figures_decided_at = datetime(2025, 4, 1, 9, 30)
    db.session.commit()


def state(organisation) -> dict:
    """What a confirmation may change: the consent, the confirmation and the details."""
    db.session.expire_all()
    org = db.session.get(Organisation, organisation.id)
    confirmed = db.session.scalars(
        select(AnnualConfirmation.confirmed_at).where(
            AnnualConfirmation.organisation_id == organisation.id
        )
    ).all()
    return {
        "publishes_figures": signing_of(org).publishes_figures,
        "decided_at": signing_of(org).publishes_figures_decided_at,
        "confirmed": [when is not None for when in confirmed],
        "town": org.town,
        "status": org.status,
        "audit_rows": db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.organisation_id == organisation.id)
        ),
    }
