"""What every scheduled review shares: notices given once, per-organisation isolation, and the
set-based helpers every job uses.

Each job selects the organisations it acts on with one query, then works in batches: the
batch's organisations are loaded in one query, its notices inserted in one statement
(``INSERT … ON CONFLICT DO NOTHING RETURNING``, so a notice given before is never given twice),
its emails inserted in one statement (each body rendered once per organisation), its
transitions fired in Python and written in one UPDATE checked against each row's version
(``bulk_insert.update_versioned``), and the batch committed once. If a write or the commit fails
(someone changed an organisation meanwhile), the batch is rolled back and done again one
organisation at a time, so one failure costs only that organisation.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from charter.extensions import db
from charter.models import MonitoringReturn, Organisation, Scheme
from charter.models.monitoring import RETURN_DRAFT, RETURN_QUERIED
from charter.models.schedule import ScheduledNotice
from charter.models.signing import Signing
from charter.services.domain import duties, periods, signings
from charter.services.infrastructure.bulk_insert import among, insert_ignoring
from workflows import lifecycle
from workflows.lifecycle import TransitionRefused

log = logging.getLogger("charter.services.domain.reviews")

BATCH_SIZE = 500
OPEN_RETURN_STATUSES = (RETURN_DRAFT, RETURN_QUERIED)


# --- writing in bulk --------------------------------------------------------------------------


def batches(rows: Sequence, size: int | None = None) -> Iterable[Sequence]:
    size = size or BATCH_SIZE
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def give_notices(rows: Iterable[tuple[int, str, str]]) -> set[tuple[str, str]]:
    """Insert (organisation_id, kind, subject_key) notices; return the (kind, subject_key)
    pairs given now (not before, by this run or another)."""
    given = insert_ignoring(
        ScheduledNotice,
        [{"organisation_id": o, "kind": k, "subject_key": s} for o, k, s in dict.fromkeys(rows)],
        ["kind", "subject_key"],
        (ScheduledNotice.kind, ScheduledNotice.subject_key),
    )
    return {(kind, key) for kind, key in given}


def load_organisations(ids: Iterable[int]) -> dict[int, Organisation]:
    """The batch's organisations read afresh with their signings (their lifecycles, with the
    versions a transition is checked against), in two queries."""
    return {
        organisation.id: organisation
        for organisation in db.session.scalars(
            select(Organisation)
            .where(among(Organisation.id, ids))
            .options(selectinload(Organisation.signings))
            .execution_options(populate_existing=True)
        )
    }


def lifecycles(organisations: Iterable[Organisation]) -> list[Signing]:
    """The signings of a batch's organisations, as loaded: what its transitions changed, for
    ``update_versioned`` to write in one statement."""
    return [signing for organisation in organisations for signing in organisation.signings]


def run_in_batches(
    rows: Sequence,
    act: Callable[[Sequence], Counter],
    counts: Counter,
    *,
    key: Callable = lambda row: row,
    size: int | None = None,
) -> None:
    """Apply ``act`` to each batch of ``rows`` and commit; ``act`` adds to the session and
    returns its counts. A batch whose commit fails is redone one organisation at a time (rows
    sharing a ``key`` stay together), so a single organisation changed by someone else
    meanwhile is skipped and the others still happen."""
    for batch in batches(rows, size):
        try:
            outcome = act(batch)
            db.session.commit()
            counts.update(outcome)
            continue
        except (StaleDataError, IntegrityError):
            db.session.rollback()
        by_key: dict = {}
        for row in batch:
            by_key.setdefault(key(row), []).append(row)
        for item, group in by_key.items():
            try:
                outcome = act(group)
                db.session.commit()
            except (StaleDataError, IntegrityError):
                db.session.rollback()
                log.warning("Skipped %s: changed by someone else during the review", item)
                counts["skipped"] += 1
                continue
            counts.update(outcome)


def try_transition(fire: Callable[[], object], counts: Counter) -> bool:
    """Fire one organisation's transition inside a batch; a refusal (its state moved on)
    changes nothing on it, counts as skipped and the batch carries on."""
    try:
        fire()
    except TransitionRefused:
        counts["skipped"] += 1
        return False
    return True


# --- returns never sent -----------------------------------------------------------------------


class MissedReturn(NamedTuple):
    return_id: int
    organisation_id: int
    period_start: date
    period_end: date
    due_date: date
    sanction_on: date  # the day the organisation lapses or its Charter Mark is suspended
    warning_days: int

    @property
    def key(self) -> str:
        return f"return:{self.return_id}"

    @property
    def period_label(self) -> str:
        return periods.Period(self.period_start, self.period_end).label


def scheme_bounds() -> tuple[int, int, int]:
    """The shortest and longest grace period, and the longest warning, of any scheme."""
    low, high, warn = db.session.execute(
        select(
            func.min(Scheme.grace_period_days),
            func.max(Scheme.grace_period_days),
            func.max(Scheme.warning_days_before_sanction),
        )
    ).one()
    return low or 0, high or 0, warn or 0


def never_sent(
    signings_in: ColumnElement[bool],
    *,
    due_after: date,
    due_before: date,
    notice: str | None = None,
    organisation_ids: Sequence[int] | None = None,
) -> list[MissedReturn]:
    """Open returns never sent, of signings ``signings_in`` (of those given, if given), due
    in the window, with no ``notice`` given yet for them: one query (the exact dates are
    checked per scheme after). In order of organisation, then due date."""
    query = (
        select(
            MonitoringReturn.id,
            MonitoringReturn.organisation_id,
            MonitoringReturn.period_start,
            MonitoringReturn.period_end,
            MonitoringReturn.due_date,
            Scheme.grace_period_days,
            Scheme.warning_days_before_sanction,
        )
        .join(Signing, Signing.id == MonitoringReturn.signing_id)
        .join(Scheme, Scheme.id == Signing.scheme_id)
        .where(
            signings_in,
            signings.in_acting_charter(),
            MonitoringReturn.status.in_(OPEN_RETURN_STATUSES),
            MonitoringReturn.first_submitted_at.is_(None),
            MonitoringReturn.submitted_at.is_(None),
            MonitoringReturn.due_date > due_after,
            MonitoringReturn.due_date < due_before,
        )
        .order_by(MonitoringReturn.organisation_id, MonitoringReturn.due_date, MonitoringReturn.id)
    )
    if notice is not None:
        query = query.where(
            ~exists().where(
                ScheduledNotice.kind == notice,
                ScheduledNotice.subject_key == duties.return_key(MonitoringReturn.id),
            )
        )
    if organisation_ids is not None:
        query = query.where(among(MonitoringReturn.organisation_id, organisation_ids))
    return [
        MissedReturn(rid, oid, start, end, due, periods.sanction_date(due, grace), warn)
        for rid, oid, start, end, due, grace, warn in db.session.execute(query)
    ]


def at_risk(sanction: str | None = None) -> ColumnElement[bool]:
    """SQL: signings a missed duty sanctions (``workflows.states.missed_duty_sanction``):
    those whose Mark it suspends (``lifecycle.SUSPEND_MARK``), those it lapses
    (``lifecycle.LAPSE``), or either (None)."""
    suspends = and_(
        Signing.status == lifecycle.MONITORING, Signing.mark_status.in_(lifecycle.MARK_AT_RISK)
    )
    lapses = and_(
        Signing.status.in_(lifecycle.LAPSABLE), Signing.mark_status.in_(lifecycle.NOT_HELD)
    )
    if sanction == lifecycle.SUSPEND_MARK:
        return suspends
    if sanction == lifecycle.LAPSE:
        return lapses
    return or_(suspends, lapses)
