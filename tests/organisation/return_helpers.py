"""Shared steps and data for test_returns.py and its sibling."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import (
    ActionPlan,
    Measure,
    MonitoringReturn,
    PlanTarget,
    ReturnLine,
)
from charter.models.base import utcnow
from charter.services.domain import returns
from charter.services.domain.periods import next_period, period_containing
from charter.services.domain.signings import signing_of
from tests.factories import csrf_token, signing_id_for, submit
from tests.organisation.plan_helpers import core_codes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def two_periods_later() -> date:
    """A day on which the current quarter and the next one have both ended."""
    return next_period(period_containing(date.today(), 3), 3).end + timedelta(days=1)


def make_monitored(organisation, scheme, *, decided_at=None) -> ActionPlan:
    """An organisation in monitoring with an approved plan: a target per core measure."""
    organisation.status = "monitoring"
    signing_of(organisation).route = signing_of(organisation).route or "working_towards"
    decided_at = decided_at or utcnow()
    plan = ActionPlan(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        scheme_id=scheme.id,
        revision=1,
        status="approved",
        submitted_at=decided_at - timedelta(days=7),
        decided_at=decided_at,
    )
    db.session.add(plan)
    db.session.flush()
    for measure in db.session.scalars(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.is_core.is_(True))
    ):
        db.session.add(
            PlanTarget(
                plan_id=plan.id,
                measure_id=measure.id,
                baseline=10,
                target_value=50,
                target_date=date.today() + timedelta(days=400),
                approach="Buy locally.",
            )
        )
    db.session.commit()
    return plan


def open_returns(organisation, scheme, today=None, **kwargs) -> list[MonitoringReturn]:
    make_monitored(organisation, scheme, **kwargs)
    returns.ensure_returns(organisation, today or two_periods_later())
    db.session.commit()
    return returns_of(organisation)


def returns_of(organisation) -> list[MonitoringReturn]:
    """Oldest period first, fresh from the database."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(MonitoringReturn)
            .where(MonitoringReturn.organisation_id == organisation.id)
            .order_by(MonitoringReturn.period_start)
        )
    )


def return_url(organisation, monitoring_return=None, rest: str = "") -> str:
    base = f"/organisations/{organisation.slug}/returns"
    return f"{base}/{monitoring_return.id}{rest}" if monitoring_return else base + rest


def line_url(organisation, monitoring_return, code: str) -> str:
    return return_url(organisation, monitoring_return, f"/measures/{code}")


# Reported per contract in the default scheme: the figure goes in per contract (or, with no
# contract active, as the one "not on a listed contract").
PER_CONTRACT = {f"LE{n}" for n in range(1, 8)}


# A plausible figure for each unit: 1,200 FTE in a small organisation would be flagged as out
# of line (charter.services.domain.plausibility) and need an explanation before sending.
PLAUSIBLE = {"LE4": "12", "LE8": "75", "LE9": "75"}


def fill_line(client, organisation, monitoring_return, code: str, **changes):
    data = {
        "actual_value": PLAUSIBLE.get(code, "1200"),
        "narrative": "Bought from 12 local suppliers.",
    }
    data.update(changes)
    if code in PER_CONTRACT and "actual_value" in data:
        data["figure_none"] = data.pop("actual_value")
    return submit(client, line_url(organisation, monitoring_return, code), data)


def add_link(client, organisation, monitoring_return, code: str, **changes):
    data = {"url": "https://example.com/report", "description": "Supplier spend report"}
    data.update(changes)
    return submit(
        client,
        line_url(organisation, monitoring_return, code) + "/links",
        data,
        form_url=line_url(organisation, monitoring_return, code),
    )


def upload(client, organisation, monitoring_return, code: str, content=PDF, name="report.pdf"):
    page = line_url(organisation, monitoring_return, code)
    return client.post(
        page + "/evidence",
        data={"csrf_token": csrf_token(client, page), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def complete(client, organisation, monitoring_return, scheme) -> None:
    for code in core_codes(scheme):
        value = PLAUSIBLE.get(code, "1200")
        assert (
            fill_line(client, organisation, monitoring_return, code, actual_value=value).status_code
            == 302
        )
        assert add_link(client, organisation, monitoring_return, code).status_code == 302


def send(client, organisation, monitoring_return, version=None):
    check = return_url(organisation, monitoring_return, "/check-your-answers")
    data = {"version": str(version if version is not None else monitoring_return.version_id)}
    return submit(client, check, data)


def line_of(monitoring_return, code: str) -> ReturnLine:
    db.session.expire_all()
    return db.session.scalar(
        select(ReturnLine)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .where(ReturnLine.return_id == monitoring_return.id, Measure.code == code)
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))
