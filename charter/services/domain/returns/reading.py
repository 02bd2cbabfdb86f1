"""Reading monitoring returns, their lines and evidence, for the organisation's and the
assessor's pages: each a fixed number of queries, whatever the number of lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import (
    EvidenceFile,
    EvidenceLink,
    Measure,
    MonitoringReturn,
    Organisation,
    PlanTarget,
    ReturnLine,
)
from charter.models.monitoring import (
    RETURN_DRAFT,
    RETURN_QUERIED,
    RETURN_SUBMITTED,
    RETURN_VERIFIED,
)
from charter.services.domain import periods, signings

WAITING_LIMIT = 100


def returns_of(organisation: Organisation) -> list[MonitoringReturn]:
    return list(
        db.session.scalars(
            select(MonitoringReturn)
            .where(signings.belongs(MonitoringReturn, organisation))
            .order_by(MonitoringReturn.period_start.desc())
        )
    )


def return_for(organisation: Organisation, return_id: int) -> MonitoringReturn | None:
    return db.session.scalar(
        select(MonitoringReturn).where(
            MonitoringReturn.id == return_id, signings.belongs(MonitoringReturn, organisation)
        )
    )


def return_by_id(return_id: int) -> MonitoringReturn | None:
    return db.session.get(MonitoringReturn, return_id)


def lines_of(monitoring_return: MonitoringReturn) -> list[ReturnLine]:
    return list(
        db.session.scalars(
            select(ReturnLine)
            .join(Measure, Measure.id == ReturnLine.measure_id)
            .options(joinedload(ReturnLine.measure))
            .where(ReturnLine.return_id == monitoring_return.id)
            .order_by(Measure.position)
        )
    )


def line_for(monitoring_return: MonitoringReturn, measure_code: str) -> ReturnLine | None:
    return db.session.scalar(
        select(ReturnLine)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .options(joinedload(ReturnLine.measure))
        .where(ReturnLine.return_id == monitoring_return.id, Measure.code == measure_code)
    )


@dataclass
class Evidence:
    files: dict[int, list[EvidenceFile]]
    links: dict[int, list[EvidenceLink]]

    def count(self, line: ReturnLine) -> int:
        return len(self.files.get(line.id, [])) + len(self.links.get(line.id, []))


def evidence_for(lines: list[ReturnLine]) -> Evidence:
    """Every line's files and links in two queries."""
    ids = [line.id for line in lines]
    evidence = Evidence({i: [] for i in ids}, {i: [] for i in ids})
    if not ids:
        return evidence
    for file in db.session.scalars(
        select(EvidenceFile)
        # Source documents sent for an audit are the audit's, not part of the return.
        .where(EvidenceFile.return_line_id.in_(ids), EvidenceFile.audit_id.is_(None))
        .order_by(EvidenceFile.uploaded_at, EvidenceFile.id)
    ):
        evidence.files[file.return_line_id].append(file)
    for link in db.session.scalars(
        select(EvidenceLink)
        .where(EvidenceLink.return_line_id.in_(ids))
        .order_by(EvidenceLink.added_at, EvidenceLink.id)
    ):
        evidence.links[link.return_line_id].append(link)
    return evidence


def targets_for(monitoring_return: MonitoringReturn) -> dict[int, PlanTarget]:
    """The plan's target for each measure, by measure id (none for a retrospective return)."""
    if monitoring_return.plan_id is None:
        return {}
    targets = db.session.scalars(
        select(PlanTarget).where(PlanTarget.plan_id == monitoring_return.plan_id)
    )
    return {t.measure_id: t for t in targets}


def is_overdue(monitoring_return: MonitoringReturn, today: date | None = None) -> bool:
    return monitoring_return.status in (RETURN_DRAFT, RETURN_QUERIED) and periods.is_overdue(
        monitoring_return.due_date, today or date.today()
    )


def summary(organisation: Organisation) -> dict[str, int]:
    """How many returns are in each status, for the dashboard."""
    rows = db.session.execute(
        select(MonitoringReturn.status, func.count(MonitoringReturn.id))
        .where(signings.belongs(MonitoringReturn, organisation))
        .group_by(MonitoringReturn.status)
    ).all()
    counts = dict(rows)
    return {
        "due": counts.get(RETURN_DRAFT, 0) + counts.get(RETURN_QUERIED, 0),
        "waiting": counts.get(RETURN_SUBMITTED, 0),
        "verified": counts.get(RETURN_VERIFIED, 0),
    }


def evidence_file_for(monitoring_return, evidence_id: int) -> EvidenceFile | None:
    return db.session.scalar(
        select(EvidenceFile)
        .join(ReturnLine, ReturnLine.id == EvidenceFile.return_line_id)
        .where(
            EvidenceFile.id == evidence_id,
            ReturnLine.return_id == monitoring_return.id,
            EvidenceFile.audit_id.is_(None),
        )
    )


def evidence_link_for(monitoring_return, link_id: int) -> EvidenceLink | None:
    return db.session.scalar(
        select(EvidenceLink)
        .join(ReturnLine, ReturnLine.id == EvidenceLink.return_line_id)
        .where(EvidenceLink.id == link_id, ReturnLine.return_id == monitoring_return.id)
    )


def line_by_id(line_id: int) -> ReturnLine | None:
    return db.session.scalar(
        select(ReturnLine).options(joinedload(ReturnLine.measure)).where(ReturnLine.id == line_id)
    )
