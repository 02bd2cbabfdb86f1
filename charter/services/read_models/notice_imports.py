"""What the administrators' page of imports and the poll shows (issue 22; docs/ocds.md): where
each Find a Tender poll has got to, the recent imports with what became of their awards, the
files refused, and the awards waiting for a match.

A charter's administrators see their own commissioners' part: the awards counted and listed
are those whose buyer is a commissioner taking part in their charter (``commissioner_ids``). The
imports and the poll are the service's, and what a file or a page held is public (published
notices), so they are listed for everyone; a service administrator sees every award
(``commissioner_ids`` None), those whose buyer is no commissioner's included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select

from charter.extensions import db
from charter.models.notice_poll import NoticePoll
from charter.models.published_notice import (
    AWARD_NAME_MATCH,
    AWARD_UNMATCHED,
    AwardedSupplier,
    NoticeEvent,
    NoticeImport,
    NoticeRelease,
)
from charter.services.domain import published_notices

RECENT = 20
REFUSED = published_notices.REFUSED_ACTION
WAITING = (AWARD_UNMATCHED, AWARD_NAME_MATCH)


@dataclass(frozen=True)
class ImportRow:
    at: datetime
    source: str
    actor_label: str
    releases: int | None = None
    new_releases: int | None = None
    matched: int = 0  # awards of the import's processes proposed, accepted or declined
    waiting: int = 0  # awards of the import's processes waiting for a match
    refused: str | None = None  # why the whole file was refused


def polls() -> list[NoticePoll]:
    return list(db.session.scalars(select(NoticePoll).order_by(NoticePoll.source)))


def _award_scope(commissioner_ids: set[int] | None):
    if commissioner_ids is None:
        return True
    return AwardedSupplier.commissioner_id.in_(sorted(commissioner_ids) or [-1])


def recent_imports(commissioner_ids: set[int] | None, limit: int = RECENT) -> list[ImportRow]:
    """The latest imports and refusals, newest first, each import with its processes' awards
    (those of ``commissioner_ids``' buyers, or all) matched and waiting."""
    imports = list(
        db.session.scalars(
            select(NoticeImport).order_by(NoticeImport.created_at.desc(), NoticeImport.id.desc())
        ).fetchmany(limit)
    )
    counts = _award_counts([row.id for row in imports], commissioner_ids)
    rows = [
        ImportRow(
            at=row.created_at,
            source=row.source,
            actor_label=row.actor_label,
            releases=row.release_count,
            new_releases=row.new_release_count,
            matched=counts.get(row.id, (0, 0))[0],
            waiting=counts.get(row.id, (0, 0))[1],
        )
        for row in imports
    ]
    refusals = db.session.scalars(
        select(NoticeEvent)
        .where(NoticeEvent.action == REFUSED)
        .order_by(NoticeEvent.created_at.desc(), NoticeEvent.id.desc())
    ).fetchmany(limit)
    rows += [_refusal(event) for event in refusals]
    return sorted(rows, key=lambda row: row.at, reverse=True)[:limit]


def _refusal(event: NoticeEvent) -> ImportRow:
    """A refusal's row: its message is "<file or URL>: <why>" (NoticesRefused)."""
    source, _, why = (event.detail or "").partition(": ")
    return ImportRow(
        at=event.created_at, source=source, actor_label=event.actor_label, refused=why or source
    )


def _award_counts(
    import_ids: list[int], commissioner_ids: set[int] | None
) -> dict[int, tuple[int, int]]:
    if not import_ids:
        return {}
    processes = (
        select(NoticeRelease.import_id, NoticeRelease.ocid)
        .where(NoticeRelease.import_id.in_(import_ids))
        .distinct()
        .subquery()
    )
    waiting = AwardedSupplier.status.in_(WAITING)
    found = db.session.execute(
        select(
            processes.c.import_id,
            func.count(case((~waiting, AwardedSupplier.id))),
            func.count(case((waiting, AwardedSupplier.id))),
        )
        .join(
            AwardedSupplier,
            and_(AwardedSupplier.ocid == processes.c.ocid, _award_scope(commissioner_ids)),
        )
        .group_by(processes.c.import_id)
    )
    return {import_id: (matched, waits) for import_id, matched, waits in found}


def waiting_awards(commissioner_ids: set[int] | None, limit: int = 100) -> list[AwardedSupplier]:
    """Awards waiting for a match, newest first: for a charter's administrators, those whose
    buyer is one of its commissioners (the supplier unknown, or matched by name only)."""
    return list(
        db.session.scalars(
            select(AwardedSupplier)
            .where(AwardedSupplier.status.in_(WAITING), _award_scope(commissioner_ids))
            .order_by(AwardedSupplier.created_at.desc(), AwardedSupplier.id.desc())
            .limit(limit)
        )
    )


def count_waiting(commissioner_ids: set[int] | None) -> int:
    return db.session.scalar(
        select(func.count(AwardedSupplier.id)).where(
            AwardedSupplier.status.in_(WAITING), _award_scope(commissioner_ids)
        )
    )
