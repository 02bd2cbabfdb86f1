"""Where the scheduled Find a Tender poll has got to (docs/ocds.md, "A scheduled poll"): one row
per stage it asks for.

``updated_from`` is the high-water mark: the UK wall-clock time (``YYYY-MM-DDTHH:MM:SS``, as
the API reads ``updatedFrom``) from which the next walk asks. A walk asks for the window from
the mark to the time it started (``window_to``) and follows the API's ``links.next`` page by
page; ``next_url`` is the page it asks next, kept between runs so that a walk longer than one
run's pages, or broken off by a failed page, carries on where it stopped. The mark moves to
``window_to`` only when the walk reaches its last page, so nothing published in the window is
skipped.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from charter.extensions import db

WALL_CLOCK_LENGTH = 19  # 2026-12-06T19:30:00


class NoticePoll(db.Model):
    """The high-water mark and the walk in progress of one polled source and stage."""

    __tablename__ = "notice_polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "find-a-tender/award": the source and the stage asked for.
    source: Mapped[str] = mapped_column(String(100), unique=True)
    updated_from: Mapped[str] = mapped_column(String(WALL_CLOCK_LENGTH))
    window_to: Mapped[str | None] = mapped_column(String(WALL_CLOCK_LENGTH))
    next_url: Mapped[str | None] = mapped_column(Text)
    last_run_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    # Why the last run stopped short (a page refused), cleared by a run that reaches the end.
    last_error: Mapped[str | None] = mapped_column(Text)
    # What the last run did, page by page as it went (None: not run since they were added):
    # pages fetched, releases on them, those kept for commissioners' buyers, and new ones.
    last_run_pages: Mapped[int | None]
    last_run_releases: Mapped[int | None]
    last_run_kept: Mapped[int | None]
    last_run_new_releases: Mapped[int | None]
