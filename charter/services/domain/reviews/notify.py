"""Emails from the scheduled reviews: reminders (which a person may turn off, and which carry
a one-click unsubscribe link) and warnings or decisions (which everyone gets)."""

from __future__ import annotations

from flask import url_for

from charter.models import MonitoringReturn, Organisation
from charter.services.domain import periods, preferences


def remind_members(
    organisation: Organisation,
    monitoring_return: MonitoringReturn,
    subject: str,
    template: str,
    **context,
) -> int:
    """A reminder about one return to the members who receive reminders."""
    period = periods.Period(monitoring_return.period_start, monitoring_return.period_end)
    return_url = url_for(
        "organisation.show_return",
        slug=organisation.slug,
        return_id=monitoring_return.id,
        _external=True,
    )
    recipients = preferences.recipients_of([organisation.id])[organisation.id]
    rows = preferences.email_members_bulk(
        recipients,
        subject,
        template,
        reminder=True,
        organisation=organisation,
        monitoring_return=monitoring_return,
        period_label=period.label,
        return_url=return_url,
        **context,
    )
    return preferences.queue_bulk(rows)
