"""The demo's random audits: two Charter Mark holders drawn this year, one waiting to send the
source documents its assessor asked for (so the organisation's audit page and the dashboard's
warning have something to show), one whose figures the audit confirmed.

Rows are written directly, as the demo's other histories are: the yearly draw itself is a
scheduled job that the demo does not run (its seed would be published 14 days ahead).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select

from charter.extensions import db
from charter.models import MonitoringReturn, Organisation, ReturnLine, User
from charter.models.assessment import MARK_VALID, CharterMark
from charter.models.duties import AUDIT_CONFIRMED, AUDIT_DOCUMENTS_REQUESTED, MarkAudit
from charter.models.monitoring import RETURN_VERIFIED

REQUEST = (
    "Invoices or purchase ledger entries for your spend with local suppliers in these periods, "
    "showing each supplier's postcode."
)


def _holders() -> list[tuple[Organisation, CharterMark]]:
    return list(
        db.session.execute(
            select(Organisation, CharterMark)
            .join(CharterMark, CharterMark.organisation_id == Organisation.id)
            .where(CharterMark.status == MARK_VALID)
            .order_by(Organisation.name)
        ).all()
    )


def _latest_verified_lines(organisation_id: int, count: int) -> list[int]:
    return list(
        db.session.scalars(
            select(ReturnLine.id)
            .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
            .where(
                MonitoringReturn.organisation_id == organisation_id,
                MonitoringReturn.status == RETURN_VERIFIED,
                ReturnLine.actual_value.is_not(None),
            )
            .order_by(MonitoringReturn.period_start.desc(), ReturnLine.id)
            .limit(count)
        )
    )


def build_audits(now: datetime, assessors: list[User]) -> Counter:
    counts: Counter = Counter()
    drawn = [(o, m) for o, m in _holders() if _latest_verified_lines(o.id, 1)][:2]
    for index, (organisation, mark) in enumerate(drawn):
        assessor = assessors[index % len(assessors)]
        audit = MarkAudit(
            organisation_id=organisation.id,
            signing_id=mark.signing_id,
            year=now.year,
            certificate_number=mark.certificate_number,
            assessor_id=assessor.id,
            created_at=now - timedelta(days=20),
            requested_line_ids=_latest_verified_lines(organisation.id, 2),
            request_text=REQUEST,
            requested_at=now - timedelta(days=12),
        )
        if index == 0:
            audit.status = AUDIT_DOCUMENTS_REQUESTED
            counts["audits waiting for documents"] += 1
        else:
            audit.status = AUDIT_CONFIRMED
            audit.outcome_reason = None
            audit.decided_at = now - timedelta(days=3)
            counts["audits confirmed"] += 1
        db.session.add(audit)
    return counts
