"""A holder's and a signatory's continuing duties: what is outstanding, and the system's
suspension of a Charter Mark for a missed duty and its lifting once the duty is met.

A system suspension (state ``mark_suspended``) records its causes as scheduled notices: a
``mark_suspended`` notice per missed return, and the annual confirmation left unconfirmed past
its window. It lifts itself when every cause is met (the return verified, the confirmation
given). An administrator's suspension (state ``suspended``) is never lifted here.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import String, and_, cast, exists, literal, select, update

from charter.extensions import db
from charter.models import MonitoringReturn, Organisation, Signing
from charter.models.assessment import MARK_SUSPENDED, MARK_VALID, CharterMark
from charter.models.base import utcnow
from charter.models.duties import AnnualConfirmation
from charter.models.monitoring import RETURN_VERIFIED
from charter.models.schedule import ScheduledNotice
from charter.models.scheme import Scheme
from charter.services import notices
from charter.services.domain import signings
from charter.services.domain.lifecycle import system_actor, transition
from workflows import lifecycle

MISSED_RETURN_NOTICE = "mark_suspended"


def subject_key(prefix: str, id_column):
    """'<prefix>:<id>' in SQL, as the notices' subject keys are written (|| on both databases)."""
    return literal(f"{prefix}:") + cast(id_column, String)


def return_key(return_id_column):
    return subject_key("return", return_id_column)


# A suspension is one charter's: its causes are the signing's own duties, so a duty missed
# under another charter the organisation signed does not keep this Mark suspended.
def has_missed_return(signing_id_column):
    """A return of the signing that caused a system suspension and is not verified yet."""
    return exists().where(
        MonitoringReturn.signing_id == signing_id_column,
        ScheduledNotice.organisation_id == MonitoringReturn.organisation_id,
        ScheduledNotice.kind == MISSED_RETURN_NOTICE,
        ScheduledNotice.subject_key == return_key(MonitoringReturn.id),
        MonitoringReturn.status != RETURN_VERIFIED,
    )


def has_missed_confirmation(signing_id_column, today: date):
    return exists().where(
        AnnualConfirmation.signing_id == signing_id_column,
        AnnualConfirmation.confirmed_at.is_(None),
        AnnualConfirmation.closes_on < today,
    )


def reinstatable(today: date):
    """(organisation id, mark expiry, renewal window days) of each system-suspended
    organisation whose duties are all met and whose mark has not expired: one query."""
    return (
        select(Organisation.id, CharterMark.expires_on, Scheme.renewal_window_days)
        .join(
            CharterMark,
            and_(
                CharterMark.organisation_id == Organisation.id,
                CharterMark.status == MARK_SUSPENDED,
                CharterMark.expires_on >= today,
            ),
        )
        .join(Scheme, Scheme.id == CharterMark.scheme_id)
        .join(Signing, Signing.id == CharterMark.signing_id)
        .where(
            Signing.status == lifecycle.MONITORING,
            Signing.mark_status == lifecycle.MARK_SUSPENDED,
            signings.in_acting_charter(),
            ~has_missed_return(Signing.id),
            ~has_missed_confirmation(Signing.id, today),
        )
    )


def reinstate(
    organisation: Organisation, expires_on: date, window_days: int, today: date, record=None
):
    """Fire reinstate_mark (the renewal window decides where to); the caller sets the mark
    valid again (set_marks) and commits."""
    in_window = today >= expires_on - timedelta(days=window_days)
    transition(
        organisation,
        "reinstate_mark",
        system_actor(),
        renewal_window_open=in_window,
        reason="The missed duty has been met.",
        record=record,
    )


def set_marks(organisation_ids: list[int], from_status: str, to_status: str) -> None:
    """Suspend or reinstate the marks of many organisations in one statement: their Marks of
    the charter acting only (a duty missed under one charter leaves another's Mark as it is)."""
    if organisation_ids:
        acting = select(Signing.id).where(
            Signing.organisation_id.in_(organisation_ids), signings.in_acting_charter()
        )
        db.session.execute(
            update(CharterMark)
            .where(
                CharterMark.organisation_id.in_(organisation_ids),
                CharterMark.signing_id.in_(acting),
                CharterMark.status == from_status,
            )
            .values(status=to_status, status_changed_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def reinstate_if_met(organisation: Organisation, today: date | None = None) -> bool:
    """Straight after a return is verified or a confirmation given: lift a system suspension
    whose causes are all met. Not committed. An administrator's suspension is untouched."""
    today = today or date.today()
    if organisation.mark_status != lifecycle.MARK_SUSPENDED:
        return False
    row = db.session.execute(reinstatable(today).where(Organisation.id == organisation.id)).first()
    if row is None:
        return False
    _, expires_on, window = row
    reinstate(organisation, expires_on, window, today)
    set_marks([organisation.id], MARK_SUSPENDED, MARK_VALID)
    notices.marks.in_force_again([organisation])
    return True
