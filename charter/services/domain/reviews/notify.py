"""Emails from the scheduled reviews about one return: reminders (which a person may turn off,
and which carry a one-click unsubscribe link) and warnings or decisions (which everyone gets).
Rendered for a batch's members read in one query, and queued by the caller in one statement."""

from __future__ import annotations

from charter.models import MonitoringReturn, Organisation
from charter.services.domain import periods, preferences
from charter.services.domain.reviews.common import return_url


def about_return(
    recipients: list[preferences.Recipient],
    organisation: Organisation,
    monitoring_return: MonitoringReturn,
    subject: str,
    template: str,
    *,
    reminder: bool,
    **context,
) -> list[dict]:
    """The outbox rows for one organisation's members about one of its returns."""
    period = periods.Period(monitoring_return.period_start, monitoring_return.period_end)
    return preferences.email_members_bulk(
        recipients,
        subject,
        template,
        reminder=reminder,
        organisation=organisation,
        monitoring_return=monitoring_return,
        period_label=period.label,
        return_url=return_url(organisation, monitoring_return.id),
        **context,
    )
