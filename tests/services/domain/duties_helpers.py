"""Helpers for the tests of holders' duties: a holder with a return, travelling in time through
`flask charter run-reviews`, verifying a return as an assessor would."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from charter.extensions import db
from charter.models import MonitoringReturn, Organisation, Signature, Signing
from charter.models.base import utcnow
from charter.services.domain import return_review
from charter.services.domain.signings import signing_of
from tests.factories import make_mark, make_user, set_stage
from tests.services.domain.review_helpers import monitored, open_return
from workflows.states import stage

AWARDED = date(2026, 1, 10)
DUE = date(2026, 4, 30)  # the return for 1 January to 22 March 2026
SANCTION_ON = date(2026, 6, 30)  # 60 days' grace after the due date, then the next day


def holder_with_return(organisation, scheme, due: date = DUE, status: str = "accredited"):
    """An accredited organisation with a valid mark (awarded 10 January 2026) and an open
    return never sent, due on ``due``."""
    measures = monitored(organisation, scheme, status=status)
    mark = make_mark(organisation, scheme, awarded_on=AWARDED)
    monitoring_return = open_return(organisation, measures, due)
    return mark, monitoring_return


def travel(app, day: date, job: str | None = None):
    args = ["charter", "run-reviews", "--today", day.isoformat()]
    if job:
        args += ["--job", job]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def send_and_verify(monitoring_return: MonitoringReturn):
    """The organisation sends the return and an assessor verifies every line."""
    monitoring_return = db.session.get(MonitoringReturn, monitoring_return.id)
    monitoring_return.status = "submitted"
    monitoring_return.submitted_at = monitoring_return.first_submitted_at = utcnow()
    db.session.commit()
    assessor = make_user(role="assessor")
    lines = return_review.lines_of(monitoring_return)
    return_review.decide_return(
        monitoring_return,
        assessor,
        {line.id: ("accepted", "") for line in lines},
        monitoring_return.version_id,
    )
    db.session.commit()
    db.session.expire_all()


def signed(organisation, when: datetime, status: str = "signatory") -> Organisation:
    set_stage(organisation, status)
    db.session.add(
        Signature(
            organisation_id=organisation.id,
            scheme_id=signing_of(organisation).scheme_id,
            signatory_name="Sam Signer",
            signatory_role="Director",
            has_authority=True,
            route="working_towards",
            accepted_principles=[],
            signed_at=when,
        )
    )
    db.session.commit()
    return organisation


def status_of(organisation) -> str:
    """Its stage (workflows.states.stage), read afresh."""
    duties, mark = db.session.execute(
        select(Signing.status, Signing.mark_status).where(
            Signing.organisation_id == organisation.id
        )
    ).one()
    return stage(duties, mark)
