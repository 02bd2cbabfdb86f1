"""What every scheduled review shares: notices given once, per-organisation isolation, and the
set-based helpers the newer jobs use.

Set-based jobs select the organisations they act on with one query, then work in batches:
the batch's organisations are loaded in one query, its notices inserted in one statement
(``INSERT … ON CONFLICT DO NOTHING RETURNING``, so a notice given before is never given twice),
its emails inserted in one statement, its transitions fired in Python and flushed together, and
the batch committed once. If the commit fails (someone changed an organisation meanwhile), the
batch is rolled back and done again one organisation at a time, so one failure costs only that
organisation.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from flask import url_for
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from charter.extensions import db
from charter.models import Organisation, Scheme
from charter.models.schedule import ScheduledNotice
from workflows.lifecycle import TransitionRefused

log = logging.getLogger("charter.services.domain.reviews")

BATCH_SIZE = 500


class Skip(Exception):
    """The organisation no longer qualifies when read afresh: nothing to do."""


# --- one at a time (the original jobs) --------------------------------------------------------


def give_notice(organisation_id: int, kind: str, subject_key: str) -> bool:
    """Record a notice; False if it was given before (by this run, an earlier one or another
    process at the same moment), in which case the caller sends nothing."""
    try:
        with db.session.begin_nested():
            db.session.add(
                ScheduledNotice(organisation_id=organisation_id, kind=kind, subject_key=subject_key)
            )
            db.session.flush()
    except IntegrityError:
        return False
    return True


def fresh_organisation(organisation_id: int, states: tuple[str, ...]) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id, populate_existing=True)
    if organisation is None or organisation.status not in states:
        raise Skip
    return organisation


def each(ids, work: Callable[[int], str | dict | None], counts: Counter) -> None:
    """Run ``work`` for each id in its own transaction; it returns the count to add one to
    (or a dict of counts to add), added only once the transaction has committed."""
    for item_id in ids:
        try:
            outcome = work(item_id)
            db.session.commit()
        except (StaleDataError, TransitionRefused, Skip) as exc:
            db.session.rollback()
            if isinstance(exc, StaleDataError):
                log.warning("Skipped %s: changed by someone else during the review", item_id)
            counts["skipped"] += 1
            continue
        if isinstance(outcome, dict):
            counts.update(outcome)
        elif outcome:
            counts[outcome] += 1


def dashboard_url(organisation: Organisation) -> str:
    return url_for("organisation.show_dashboard", slug=organisation.slug, _external=True)


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def scheme_by_id(scheme_id: int | None) -> Scheme | None:
    return db.session.get(Scheme, scheme_id) if scheme_id is not None else None


# --- set-based --------------------------------------------------------------------------------


def batches(rows: Sequence, size: int = BATCH_SIZE) -> Iterable[Sequence]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def give_notices(rows: list[tuple[int, str, str]]) -> set[tuple[str, str]]:
    """Insert (organisation_id, kind, subject_key) notices in one statement; return the
    (kind, subject_key) pairs given now (not before, by this run or another)."""
    if not rows:
        return set()
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(ScheduledNotice)
        .values(
            [{"organisation_id": o, "kind": k, "subject_key": s} for o, k, s in dict.fromkeys(rows)]
        )
        .on_conflict_do_nothing(index_elements=["kind", "subject_key"])
        .returning(ScheduledNotice.kind, ScheduledNotice.subject_key)
    )
    return {(kind, key) for kind, key in db.session.execute(statement)}


def load_organisations(ids: Iterable[int]) -> dict[int, Organisation]:
    """The batch's organisations read afresh, in one query."""
    return {
        organisation.id: organisation
        for organisation in db.session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(list(ids)))
            .execution_options(populate_existing=True)
        )
    }


def run_in_batches(
    rows: Sequence,
    act: Callable[[Sequence], Counter],
    counts: Counter,
    *,
    key: Callable = lambda row: row,
) -> None:
    """Apply ``act`` to each batch of ``rows`` and commit; ``act`` adds to the session and
    returns its counts. A batch whose commit fails is redone one row at a time, so a single
    organisation changed by someone else meanwhile is skipped and the others still happen."""
    for batch in batches(rows):
        try:
            outcome = act(batch)
            db.session.commit()
            counts.update(outcome)
            continue
        except (StaleDataError, IntegrityError):
            db.session.rollback()
        for row in batch:
            try:
                outcome = act([row])
                db.session.commit()
            except (StaleDataError, IntegrityError):
                db.session.rollback()
                log.warning("Skipped %s: changed by someone else during the review", key(row))
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
