"""Emails about people's information: a copy of it ready to download, and the report of what the
retention schedule removed, sent to administrators."""

from __future__ import annotations

from datetime import date, datetime

from charter.formatting import format_date
from charter.services.notices.links import link
from charter.services.notices.outbox import queue_email


def copy_ready(requester, subject_user, token: str, valid_days: int, expires_at: datetime) -> None:
    """The copy someone asked for (of their own information, or an administrator of another
    person's) is built: the link works for whoever asked, signed in, until it expires."""
    queue_email(
        requester.email,
        "Your copy of the information is ready",
        "data-export-ready",
        recipient=requester,
        subject_user=subject_user,
        link=link("auth.download_data_export", token=token),
        valid_days=valid_days,
        expires_at=expires_at,
    )


def retention_applied(administrators, today: date, lines) -> None:
    """Per kind of record, how many the retention schedule removed or anonymised today."""
    for administrator in administrators:
        queue_email(
            administrator.email,
            f"Retention schedule applied on {format_date(today)}",
            "retention-report",
            recipient=administrator,
            today=today,
            lines=lines,
        )
