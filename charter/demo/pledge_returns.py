"""Malvern Hills Catering's monitoring returns under Worcestershire's charter (issue 21): what
its pledges at tender report, sent and verified by the charter's own assessor, so the
supplier's, the contract manager's and the administrators' pages show a count, a percentage,
a pair and an achievement with its evidence.

The returns are those the service opens (``ensure_returns`` on the demo's day, acting in the
charter): one a quarter since its plan was approved, each asking for the pledges due in it
(pledge_periods: the quarterly pledge in every return, the yearly ones in the year's last
quarter, covering the year). Each is filled in, sent a few days after its period ends and
verified a few days later; a period that ended less than three days before the demo's day is
still being written (not due for weeks). The figures are fixed, so the demo is the same on
every date; the dates are relative to it. Not committed.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from charter.demo.evidence_files import simple_pdf
from charter.extensions import db
from charter.models import (
    Charter,
    Contract,
    ContractFigure,
    EvidenceLink,
    Measure,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    User,
)
from charter.models.monitoring import LINE_ACCEPTED, RETURN_SUBMITTED, RETURN_VERIFIED
from charter.models.signing import acting_in
from charter.models.staff import ASSESSOR, StaffRole
from charter.services.domain.returns import ensure_returns
from charter.services.infrastructure.evidence import store_evidence

SENT_DAYS_AFTER = 6  # the return is sent this many days after its period ends
VERIFIED_DAYS_AFTER_SENT = 4
# What each pledge reports in a return that asks for it: (figure, a pair's second figure,
# narrative). A count and a pair per contract, a percentage for the whole organisation.
FIGURES = {
    "CD2": (
        Decimal(1),
        None,
        "One more member of staff trained as a Mental Health First Aider this quarter.",
    ),
    "ES1": (
        Decimal(2),
        Decimal(24),
        "Two Carbon Literacy sessions over the year, for 24 kitchen and delivery staff.",
    ),
    "EE1": (
        Decimal(43),
        None,
        "43% of the year's spend on food and supplies went to Worcestershire producers.",
    ),
}
# The achievement: Disability Confident (level 1) completed this many days before its year's
# return's period ended, with the certificate as evidence.
ACHIEVEMENT = "DI2"
ACHIEVED_DAYS_BEFORE_END = 45
ACHIEVEMENT_NARRATIVE = (
    "We completed the Disability Confident assessment and are now a Disability Confident "
    "Committed employer; the certificate is attached."
)


def build_pledge_returns(
    now: datetime,
    charter: Charter,
    organisation: Organisation,
    owner: User,
    contract: Contract,
    counts: Counter,
) -> None:
    assessor = db.session.scalar(
        select(User)
        .join(StaffRole, StaffRole.user_id == User.id)
        .where(StaffRole.charter_id == charter.id, StaffRole.role == ASSESSOR)
    )
    with acting_in(charter.id):
        opened = ensure_returns(organisation, today=now.date())
    codes = dict(db.session.execute(select(Measure.id, Measure.code)).all())
    for monitoring_return in sorted(opened, key=lambda r: r.period_end):
        monitoring_return.created_at = datetime.combine(
            monitoring_return.period_end + timedelta(days=1), time(2, 0)
        )
        if (now.date() - monitoring_return.period_end).days < 3:
            continue  # still being written: due in a month
        lines = db.session.scalars(
            select(ReturnLine).where(ReturnLine.return_id == monitoring_return.id)
        ).all()
        sent = _sent_at(monitoring_return.period_end, now)
        for line in lines:
            _fill(line, codes[line.measure_id], monitoring_return, contract)
            line.review_status = LINE_ACCEPTED
        db.session.flush()
        for line in lines:
            _evidence(line, codes[line.measure_id], monitoring_return, organisation, owner, sent)
        monitoring_return.first_submitted_at = monitoring_return.submitted_at = sent
        monitoring_return.submitted_by_id = owner.id
        monitoring_return.is_late = False
        monitoring_return.status = RETURN_SUBMITTED
        verified = sent + timedelta(days=VERIFIED_DAYS_AFTER_SENT)
        if verified < now:
            monitoring_return.status = RETURN_VERIFIED
            monitoring_return.verified_at = verified
            monitoring_return.verified_by_id = assessor.id
            counts["pledge returns verified"] += 1
        else:
            counts["pledge returns waiting for the assessor"] += 1
    db.session.flush()


def _sent_at(period_end: date, now: datetime) -> datetime:
    day = min(period_end + timedelta(days=SENT_DAYS_AFTER), (now - timedelta(days=1)).date())
    return datetime.combine(day, time(11, 15))


def _fill(line: ReturnLine, code: str, monitoring_return: MonitoringReturn, contract) -> None:
    if code == ACHIEVEMENT:
        line.achieved = True
        line.achieved_on = monitoring_return.period_end - timedelta(days=ACHIEVED_DAYS_BEFORE_END)
        line.narrative = ACHIEVEMENT_NARRATIVE
        return
    value, second, narrative = FIGURES[code]
    line.actual_value, line.second_value, line.narrative = value, second, narrative
    measure = db.session.get(Measure, line.measure_id)
    if measure.is_per_contract:
        db.session.add(
            ContractFigure(
                return_line_id=line.id, contract_id=contract.id, value=value, second_value=second
            )
        )


def _evidence(line, code, monitoring_return, organisation, owner, sent: datetime) -> None:
    added_at = sent - timedelta(hours=1)
    if code == ACHIEVEMENT:
        name = f"disability-confident-certificate-{line.achieved_on:%Y-%m}.pdf"
        data = simple_pdf(f"{organisation.name}: Disability Confident Committed employer")
        upload = FileStorage(stream=io.BytesIO(data), filename=name)
        store_evidence(
            upload, organisation=organisation, line=line, user=owner
        ).uploaded_at = added_at
        return
    month = monitoring_return.period_start.strftime("%Y-%m")
    db.session.add(
        EvidenceLink(
            return_line_id=line.id,
            url=f"https://example.org/{organisation.slug}/{month}/{code.lower()}.pdf",
            description=f"Records for {code}, {monitoring_return.period_start:%B %Y} quarter",
            added_by_id=owner.id,
            added_at=added_at,
        )
    )
