"""Dated warnings for the organisation dashboard, shown before anything happens: a return that
would lapse the organisation or suspend its Charter Mark, the annual confirmation waiting,
a system suspension in force and what lifts it, an audit in progress. A fixed number of
queries, whatever the organisation has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import select

from charter.extensions import db
from charter.formatting import format_date
from charter.models import MonitoringReturn, Organisation
from charter.models.duties import AUDIT_DOCUMENTS_REQUESTED, AUDIT_DOCUMENTS_SENT, MarkAudit
from charter.models.monitoring import RETURN_DRAFT, RETURN_QUERIED, RETURN_VERIFIED
from charter.models.schedule import ScheduledNotice
from charter.services.domain import confirmations, duties, minimum_standards, periods, signings
from charter.services.domain.audits import OPEN_AUDIT_STATUSES
from charter.services.domain.schemes import scheme_of
from workflows import lifecycle


@dataclass(frozen=True)
class DatedWarning:
    title: str
    text: str
    link_text: str | None = None
    href: str | None = None
    important: bool = True


def for_organisation(organisation: Organisation, today: date | None = None) -> list[DatedWarning]:
    """Every warning for the organisation's dashboard, most pressing first."""
    today = today or date.today()
    scheme = scheme_of(organisation)
    if scheme is None:
        return []
    out: list[DatedWarning] = []
    if organisation.mark_status == lifecycle.MARK_SUSPENDED:
        out += _mark_suspended(organisation)
    if lifecycle.missed_duty_sanction(organisation.status, organisation.mark_status):
        out += _returns_overdue(organisation, scheme, today)
    out += _confirmation_waiting(organisation, today)
    out += _standards_declaration(organisation, today)
    out += _audit_in_progress(organisation)
    return out


def _mark_suspended(organisation: Organisation) -> list[DatedWarning]:
    """A system suspension in force, and the returns whose verification lifts it."""
    out: list[DatedWarning] = []
    missed = (
        db.session.execute(
            select(MonitoringReturn)
            .join(
                ScheduledNotice,
                (ScheduledNotice.organisation_id == MonitoringReturn.organisation_id)
                & (ScheduledNotice.subject_key == duties.return_key(MonitoringReturn.id))
                & (ScheduledNotice.kind == duties.MISSED_RETURN_NOTICE),
            )
            .where(
                signings.belongs(MonitoringReturn, organisation),
                MonitoringReturn.status != RETURN_VERIFIED,
            )
            .order_by(MonitoringReturn.due_date)
        )
        .scalars()
        .all()
    )
    labels = ", ".join(periods.Period(r.period_start, r.period_end).label for r in missed)
    text = "Your Charter Mark is suspended because a reporting duty was missed. "
    if labels:
        text += (
            f"Send the monitoring returns for {labels}: once they are verified, the "
            "suspension is lifted. "
        )
    text += "Your organisation is still a charter signatory."
    out.append(
        DatedWarning(
            "Your Charter Mark is suspended",
            text,
            "Go to your monitoring returns",
            url_for("organisation.list_returns", slug=organisation.slug),
        )
    )
    return out


def _returns_overdue(organisation: Organisation, scheme, today: date) -> list[DatedWarning]:
    """Each return not sent after its due date, with the day it costs the organisation its
    standing (periods.sanction_date, the day the scheduled review acts)."""
    out: list[DatedWarning] = []
    holder = (
        lifecycle.missed_duty_sanction(organisation.status, organisation.mark_status)
        == lifecycle.SUSPEND_MARK
    )
    overdue = db.session.scalars(
        select(MonitoringReturn)
        .where(
            signings.belongs(MonitoringReturn, organisation),
            MonitoringReturn.status.in_((RETURN_DRAFT, RETURN_QUERIED)),
            MonitoringReturn.first_submitted_at.is_(None),
            MonitoringReturn.due_date < today,
        )
        .order_by(MonitoringReturn.due_date)
    ).all()
    for r in overdue:
        sanction_on = periods.sanction_date(r.due_date, scheme.grace_period_days)
        last_day = sanction_on - timedelta(days=1)
        label = periods.Period(r.period_start, r.period_end).label
        consequence = (
            f"your Charter Mark will be suspended on {format_date(sanction_on)}"
            if holder
            else f"{organisation.name} will lapse from the charter on {format_date(sanction_on)}"
        )
        out.append(
            DatedWarning(
                f"Send your return for {label} by {format_date(last_day)}",
                f"It was due on {format_date(r.due_date)}. If it is not sent by "
                f"{format_date(last_day)}, {consequence}.",
                "Fill in the return",
                url_for("organisation.show_return", slug=organisation.slug, return_id=r.id),
            )
        )
    return out


def _confirmation_waiting(organisation: Organisation, today: date) -> list[DatedWarning]:
    """The annual confirmation of the commitment, open or late."""
    out: list[DatedWarning] = []
    mark = organisation.mark_status
    holder = mark in lifecycle.MARK_AT_RISK
    pending = confirmations.open_confirmation(organisation)
    if pending is None or organisation.status not in confirmations.CONFIRMING_STATES:
        return out
    after = pending.closes_on + timedelta(days=1)
    # Under assessment nothing happens until the assessment ends (the scheduled review
    # waits for the outcome): then it lapses, or its new Charter Mark is suspended.
    assessing = mark in lifecycle.ASSESSING
    if holder or mark == lifecycle.MARK_SUSPENDED:
        consequence = f"your Charter Mark will be suspended on {format_date(after)}"
    elif assessing:
        consequence = (
            f"then once the assessment of your application ends {organisation.name} will "
            "lapse from the charter (or, if it is awarded the Charter Mark, the Charter Mark "
            "will be suspended until an owner confirms)"
        )
    else:
        consequence = f"{organisation.name} will lapse from the charter on {format_date(after)}"
    late = pending.closes_on < today
    out.append(
        DatedWarning(
            "Confirm your charter commitment"
            + ("" if late else f" by {format_date(pending.closes_on)}"),
            f"Once a year an owner confirms that {organisation.name} still commits to the "
            "charter's principles. "
            + (
                (
                    "It was not confirmed in time: confirm now, before the assessment of "
                    "your application ends."
                    if assessing
                    else "It was not confirmed in time: confirm now to lift the suspension."
                )
                if late
                else f"If nobody confirms by {format_date(pending.closes_on)}, {consequence}."
            ),
            "Confirm the commitment",
            url_for("organisation.confirm_commitment", slug=organisation.slug),
        )
    )
    return out


def _standards_declaration(organisation: Organisation, today: date) -> list[DatedWarning]:
    """The minimum standards declaration, where the scheme has minimum standards: not made,
    lapsing within the warning days, or lapsed (and since when)."""
    if organisation.status not in confirmations.CONFIRMING_STATES:
        return []
    standing = minimum_standards.standing(organisation, today)
    if standing is None or standing.state == minimum_standards.IN_FORCE:
        return []
    href = url_for("organisation.declare_minimum_standards", slug=organisation.slug)
    if standing.state == minimum_standards.NONE:
        title = "Declare the minimum standards"
        text = (
            f"An owner must declare that {organisation.name} meets the charter's minimum "
            "standards before your action plan can be sent."
        )
    elif standing.state == minimum_standards.DUE:
        lapses_on = standing.latest.lapses_on
        last_day = lapses_on - timedelta(days=1)
        title = f"Declare the minimum standards again by {format_date(last_day)}"
        text = (
            f"Your declaration of the minimum standards lapses on {format_date(lapses_on)}. "
            "If an owner does not declare them again before then, your action plan cannot be "
            "sent until they do."
        )
    else:
        title = "Your minimum standards declaration has lapsed"
        text = (
            f"It lapsed on {format_date(standing.latest.lapses_on)}. An owner must declare the "
            "minimum standards again before your action plan can be sent."
        )
    return [DatedWarning(title, text, "Declare the minimum standards", href)]


def _audit_in_progress(organisation: Organisation) -> list[DatedWarning]:
    """The random audit of holders, while it waits on the organisation or the assessor."""
    out: list[DatedWarning] = []
    audit = db.session.scalar(
        select(MarkAudit).where(
            signings.belongs(MarkAudit, organisation),
            MarkAudit.status.in_(OPEN_AUDIT_STATUSES),
        )
    )
    if audit is not None:
        text = (
            f"{organisation.name} was drawn at random for the {audit.year} audit of Charter "
            "Mark holders. "
        )
        if audit.status == AUDIT_DOCUMENTS_REQUESTED:
            text += (
                "The assessor asks for the source documents behind some of your verified "
                f"figures ({audit.request_text.rstrip('.')}). Upload them and send them to "
                "the assessor."
            )
        elif audit.status == AUDIT_DOCUMENTS_SENT:
            text += "You have sent the documents; the assessor will record the outcome."
        else:
            text += (
                "An assessor will ask for the source documents behind some of your verified "
                "figures."
            )
        out.append(
            DatedWarning(
                "Your Charter Mark is being audited",
                text,
                "Go to your audit",
                url_for("organisation.show_audit", slug=organisation.slug, audit_id=audit.id),
                important=audit.status == AUDIT_DOCUMENTS_REQUESTED,
            )
        )
    return out
