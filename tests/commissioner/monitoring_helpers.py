"""Contract managers, and returns holding per-contract figures, made directly for tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import (
    ContractFigure,
    ContractManager,
    ContractMonitoringEvent,
    Measure,
    MonitoringReturn,
    OutboxEmail,
    ReturnLine,
)
from tests.factories import make_user, signing_id_for


def make_manager(commissioner, email: str | None = None, full_name: str = "Cara Contracts"):
    user = make_user(email=email, full_name=full_name)
    db.session.add(ContractManager(commissioner_id=commissioner.id, user_id=user.id))
    db.session.commit()
    return user


def measures_by_code(scheme) -> dict[str, Measure]:
    return {
        m.code: m for m in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
    }


def period_start(index: int) -> date:
    """The first day of quarter ``index`` counted from January 2025."""
    year, quarter = divmod(index, 4)
    return date(2025 + year, 3 * quarter + 1, 1)


def make_period(organisation, scheme, index: int, figures: dict, status: str = "submitted"):
    """A return for quarter ``index`` with, per measure code, one figure per contract:
    ``figures`` is {contract: {code: value}}. The line's total is the sum of its figures."""
    measures = measures_by_code(scheme)
    start = period_start(index)
    end = period_start(index + 1) - timedelta(days=1)
    monitoring_return = MonitoringReturn(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        period_start=start,
        period_end=end,
        due_date=end + timedelta(days=30),
        status=status,
        submitted_at=None if status == "draft" else date_time(end + timedelta(days=10)),
    )
    lines: dict[str, ReturnLine] = {}
    for contract, values in figures.items():
        for code, value in values.items():
            line = lines.get(code)
            if line is None:
                line = lines[code] = ReturnLine(
                    measure_id=measures[code].id, actual_value=Decimal(0), narrative="Done"
                )
            line.actual_value += Decimal(str(value))
            line.figures.append(
                ContractFigure(contract_id=contract.id if contract else None, value=Decimal(value))
            )
    monitoring_return.lines = list(lines.values())
    db.session.add(monitoring_return)
    db.session.commit()
    return monitoring_return


def date_time(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day, 9, 0)


def figures_of(contract) -> list[ContractFigure]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ContractFigure)
            .where(ContractFigure.contract_id == contract.id)
            .order_by(ContractFigure.id)
        )
    )


def events(organisation_id: int) -> list[tuple[str, str]]:
    """(action, actor label) of the organisation's contract monitoring events, in order."""
    return [
        (e.action, e.actor_label)
        for e in db.session.scalars(
            select(ContractMonitoringEvent)
            .where(ContractMonitoringEvent.organisation_id == organisation_id)
            .order_by(ContractMonitoringEvent.id)
        )
    ]


def outbox(subject_contains: str = "") -> list[OutboxEmail]:
    return list(
        db.session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.subject.contains(subject_contains))
            .order_by(OutboxEmail.id)
        )
    )


def outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxEmail.id)))


def contract_answers(contract, commissioner, current_version, **changes) -> dict:
    """The supplier's change-contract form, as posted, with ``changes`` applied."""
    answers = {
        "commissioner": str(commissioner.id),
        "title": contract.title,
        "reference": contract.reference or "",
        "value": str(contract.value),
        "start_date": [
            str(contract.start_date.day),
            str(contract.start_date.month),
            str(contract.start_date.year),
        ],
        "end_date": [
            str(contract.end_date.day),
            str(contract.end_date.month),
            str(contract.end_date.year),
        ],
        "version": str(current_version),
    }
    answers.update(changes)
    return answers
