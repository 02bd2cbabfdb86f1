"""What the demo data holds, read from the served app's own database, so that a journey names
what is there (built relative to today) rather than a date that drifts when the demo moves."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.cli.demo_story import return_to_send as _return_to_send


def return_to_send(database_url: str) -> tuple[str, str, str]:
    """(name, slug, period label) of an organisation with a return to send (Wem Community Food
    Hub on most days: tests/cli/demo_story.py says which), the period as the returns page shows
    it ("1 July to 30 September 2026")."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            organisation, period = _return_to_send(session)
            return organisation.name, organisation.slug, period.label
    finally:
        engine.dispose()
