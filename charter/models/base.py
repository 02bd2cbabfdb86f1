"""What every model shares: timestamps are naive UTC, stored the same way on SQLite and
PostgreSQL."""

from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy.orm import Mapped, declared_attr, mapped_column

# The largest value of a 32-bit signed INTEGER column (ids, versions), as PostgreSQL and most
# databases hold it: a larger number from a URL, a form or a token names no row.
INTEGER_COLUMN_MAX = 2**31 - 1


def utcnow() -> datetime:
    """Naive UTC timestamp: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class Versioned:
    """A row two people may change at once: SQLAlchemy's version counter makes every UPDATE
    check the version it read (``UPDATE ... WHERE version_id = :read``), so the slower of two
    writers fails (StaleDataError) instead of overwriting; pages that change it post back the
    version they showed, checked by charter.services.domain.versions.check_version."""

    version_id: Mapped[int] = mapped_column(default=1)
    # What the 409 page says when a page showing this row was out of date
    # (charter.services.domain.versions.check_version); None: the general words.
    stale_message: ClassVar[str | None] = None

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version_id}
