"""What every model shares: timestamps are naive UTC, stored the same way on SQLite and
PostgreSQL."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC timestamp: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)
