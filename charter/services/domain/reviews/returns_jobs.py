"""The monitoring-return jobs: open periods, remind, lapse a signatory that stops reporting.

Set-based, as every scheduled review: one query selects what the job acts on, then each batch
of organisations is read in one query, its draft returns (and their lines), notices, audit rows
and emails are inserted in one statement each, and the batch is committed once. A batch that
fails at commit is redone one organisation at a time (see ``common.run_in_batches``). At
100,000 organisations these three jobs took 18 minutes one organisation at a time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import and_, case, exists, func, not_, select

from charter.extensions import db
from charter.formatting import format_date
from charter.models import Measure, MonitoringReturn, ReturnLine, Scheme, Signing
from charter.models.schedule import ScheduledNotice
from charter.services import notices
from charter.services.domain import duties, periods, signings
from charter.services.domain import returns as returns_service
from charter.services.domain.lifecycle import AuditRows, system_actor, transition
from charter.services.domain.reviews.common import (
    OPEN_RETURN_STATUSES,
    at_risk,
    give_notices,
    lifecycles,
    load_organisations,
    never_sent,
    run_in_batches,
    scheme_bounds,
    try_transition,
)
from charter.services.infrastructure.bulk_insert import among, update_versioned
from workflows import lifecycle

# Who is still expected to send the returns they have open (retrospective ones included).
REMINDED_STATES = returns_service.MONITORED_STATES + returns_service.RETROSPECTIVE_STATES
DUE_SOON, OVERDUE = "return_due_soon", "return_overdue"


def open_monitoring_periods(today: date) -> dict:
    """Open a draft return for every ended monitoring period that has none yet."""
    counts: Counter = Counter()
    ids = db.session.scalars(
        select(Signing.organisation_id)
        .where(Signing.status.in_(returns_service.MONITORED_STATES), signings.in_acting_charter())
        .order_by(Signing.organisation_id)
    ).all()

    def act(batch: Sequence[int]) -> Counter:
        monitored, openings = returns_service.returns_missing(batch, today)
        opened = returns_service.open_returns(openings)
        return Counter(
            organisations_checked=len(monitored),
            returns_opened=len(opened),
            skipped=len(batch) - len(monitored),  # no longer monitored when read afresh
        )

    run_in_batches(ids, act, counts)
    return {"organisations_checked": 0, "returns_opened": 0, "skipped": 0, **counts}


def _load_returns(ids) -> dict[int, MonitoringReturn]:
    return {
        r.id: r
        for r in db.session.scalars(
            select(MonitoringReturn)
            .where(among(MonitoringReturn.id, ids))
            .execution_options(populate_existing=True)
        )
    }


def _longer_lines(returns) -> dict[int, list[tuple[str, str, str]]]:
    """Each return's lines covering a longer period than it (a pledge reported once a year,
    pledge_periods): (code, title, the period covered), for its reminders. One query, none
    without returns."""
    by_id = {r.id: r for r in returns}
    found: dict[int, list[tuple[str, str, str]]] = {}
    if not by_id:
        return found
    for return_id, code, title, start in db.session.execute(
        select(ReturnLine.return_id, Measure.code, Measure.title, ReturnLine.covers_start)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .where(among(ReturnLine.return_id, list(by_id)), ReturnLine.covers_start.is_not(None))
        .order_by(ReturnLine.return_id, Measure.position)
    ):
        covers = periods.Period(start, by_id[return_id].period_end).label
        found.setdefault(return_id, []).append((code, title, covers))
    return found


def _schemes_of(organisations) -> dict[int, Scheme]:
    """Each organisation's signed scheme version, by organisation id (two queries a batch)."""
    scheme_ids = signings.scheme_ids_of(o.id for o in organisations)
    found = {
        s.id: s
        for s in db.session.scalars(select(Scheme).where(Scheme.id.in_(set(scheme_ids.values()))))
    }
    return {oid: found[sid] for oid, sid in scheme_ids.items()}


def remind_returns_due(today: date) -> dict:
    """Remind members once when a return falls due within the scheme's reminder window, and
    once when it is overdue and has never been sent."""
    counts: Counter = Counter()
    longest_window = db.session.scalar(select(func.max(Scheme.reminder_days_before_due))) or 0
    overdue = MonitoringReturn.due_date < today
    candidates = db.session.execute(
        select(MonitoringReturn.id, MonitoringReturn.organisation_id)
        .join(Signing, Signing.id == MonitoringReturn.signing_id)
        .where(
            MonitoringReturn.status.in_(OPEN_RETURN_STATUSES),
            MonitoringReturn.due_date <= today + timedelta(days=longest_window),
            Signing.status.in_(REMINDED_STATES),
            signings.in_acting_charter(),
            # A queried return was sent on time once; it is being checked, not overdue.
            not_(and_(overdue, MonitoringReturn.first_submitted_at.is_not(None))),
            ~exists().where(
                ScheduledNotice.kind == case((overdue, OVERDUE), else_=DUE_SOON),
                ScheduledNotice.subject_key == duties.return_key(MonitoringReturn.id),
            ),
        )
        .order_by(MonitoringReturn.organisation_id, MonitoringReturn.due_date)
    ).all()

    def act(batch: Sequence[tuple[int, int]]) -> Counter:
        done: Counter = Counter()
        returns = _load_returns(rid for rid, _ in batch)
        organisations = load_organisations(oid for _, oid in batch)
        schemes = _schemes_of(organisations.values())
        due_now = []
        for rid, oid in batch:
            monitoring_return, organisation = returns.get(rid), organisations.get(oid)
            scheme = schemes.get(oid) if organisation else None
            if (
                scheme is None
                or monitoring_return is None
                or monitoring_return.status not in OPEN_RETURN_STATUSES
                or organisation.status not in REMINDED_STATES
            ):
                done["skipped"] += 1
                continue
            due = monitoring_return.due_date
            if periods.is_overdue(due, today):
                if monitoring_return.first_submitted_at is None:
                    due_now.append((OVERDUE, monitoring_return, organisation, scheme))
            elif due <= today + timedelta(days=scheme.reminder_days_before_due):
                due_now.append((DUE_SOON, monitoring_return, organisation, scheme))
        given = give_notices((o.id, kind, f"return:{r.id}") for kind, r, o, _ in due_now)
        recipients = notices.recipients_of(o.id for _, _, o, _ in due_now)
        longer = _longer_lines(r for _, r, _, _ in due_now)
        messages = []
        for kind, monitoring_return, organisation, scheme in due_now:
            if (kind, f"return:{monitoring_return.id}") not in given:
                continue
            message = notices.returns.overdue if kind == OVERDUE else notices.returns.due_soon
            messages += message(
                recipients[organisation.id],
                organisation,
                monitoring_return,
                scheme,
                is_holder=lifecycle.missed_duty_sanction(
                    organisation.status, organisation.mark_status
                )
                == lifecycle.SUSPEND_MARK,
                longer=longer.get(monitoring_return.id, []),
            )
            done["overdue_sent" if kind == OVERDUE else "due_soon_sent"] += 1
        notices.queue_bulk(messages)
        return done

    run_in_batches(candidates, act, counts, key=lambda row: row[1])
    return {"due_soon_sent": 0, "overdue_sent": 0, "skipped": 0, **counts}


def lapse_overdue(today: date) -> dict:
    """Lapse an organisation whose return is overdue by more than the grace period and was
    never sent (overdue by exactly the grace period is still within it)."""
    counts: Counter = Counter()
    low, _, _ = scheme_bounds()

    def oldest_missed(organisation_ids=None) -> dict:
        """Each organisation's oldest return past its scheme's grace period: one query."""
        oldest = {}
        for m in never_sent(
            at_risk(lifecycle.LAPSE),
            due_after=date.min,
            due_before=today - timedelta(days=low),
            organisation_ids=organisation_ids,
        ):
            if m.sanction_on <= today:
                oldest.setdefault(m.organisation_id, m)
        return oldest

    def act(batch: Sequence[int]) -> Counter:
        done: Counter = Counter()
        organisations = load_organisations(batch)
        missed = oldest_missed(batch)  # read afresh: a return sent meanwhile saves it
        returns = _load_returns(m.return_id for m in missed.values())
        audit_rows = AuditRows()
        lapsed = []
        for org_id in batch:
            organisation = organisations.get(org_id)
            if organisation is None or (
                lifecycle.missed_duty_sanction(organisation.status, organisation.mark_status)
                != lifecycle.LAPSE
            ):
                done["skipped"] += 1
                continue
            if org_id not in missed:
                continue
            m = missed[org_id]
            reason = (
                f"The monitoring return for {m.period_label} was due on "
                f"{format_date(m.due_date)} and was not sent within the grace period."
            )
            if try_transition(
                lambda o=organisation, r=reason: transition(
                    o, "lapse", system_actor(), reason=r, record=audit_rows
                ),
                done,
            ):
                lapsed.append((organisation, returns[m.return_id], reason))
        update_versioned(lifecycles(organisations.values()))  # one UPDATE, not one per organisation
        audit_rows.flush()
        give_notices((o.id, "lapsed", f"return:{r.id}") for o, r, _ in lapsed)
        recipients = notices.recipients_of(o.id for o, _, _ in lapsed)
        messages = []
        for organisation, monitoring_return, reason in lapsed:
            messages += notices.returns.lapsed(
                recipients[organisation.id], organisation, monitoring_return, reason
            )
        notices.queue_bulk(messages)
        done["lapsed"] += len(lapsed)
        return done

    run_in_batches(sorted(oldest_missed()), act, counts)
    return {"lapsed": 0, "skipped": 0, **counts}
