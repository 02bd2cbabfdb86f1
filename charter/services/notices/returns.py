"""Notices about a monitoring return: sent, verified or queried (one at a time, as a person
acts), and from the scheduled reviews: due soon, overdue, lapsed, the warning before a sanction
(for a batch's members, queued by the review in one statement)."""

from __future__ import annotations

from datetime import timedelta

from charter.formatting import format_date
from charter.services.domain import periods
from charter.services.notices.bulk import email_members_bulk
from charter.services.notices.links import dashboard, return_page
from charter.services.notices.outbox import email_members
from charter.services.notices.recipients import Recipient


def _tell_members(organisation, monitoring_return, subject: str, template: str, **context):
    period = periods.Period(monitoring_return.period_start, monitoring_return.period_end)
    email_members(
        organisation,
        subject,
        template,
        monitoring_return=monitoring_return,
        period_label=period.label,
        return_url=return_page(organisation, monitoring_return.id),
        **context,
    )


def submitted(organisation, monitoring_return, by) -> None:
    _tell_members(
        organisation,
        monitoring_return,
        f"{organisation.name}: monitoring return sent for verification",
        "return-submitted",
        submitted_by=by,
    )


def decided(organisation, monitoring_return, *, verified: bool, queried: list) -> None:
    _tell_members(
        organisation,
        monitoring_return,
        f"{organisation.name}: your monitoring return has been "
        + ("verified" if verified else "queried"),
        "return-decided",
        verified=verified,
        queried=queried,
    )


# --- from the scheduled reviews: for a batch's members, queued by the caller in one statement --


def _about_return(
    recipients: list[Recipient],
    organisation,
    monitoring_return,
    subject: str,
    template: str,
    *,
    reminder: bool,
    **context,
) -> list[dict]:
    period = periods.Period(monitoring_return.period_start, monitoring_return.period_end)
    return email_members_bulk(
        recipients,
        subject,
        template,
        reminder=reminder,
        organisation=organisation,
        monitoring_return=monitoring_return,
        period_label=period.label,
        return_url=return_page(organisation, monitoring_return.id),
        **context,
    )


def _reminder(
    recipients, organisation, monitoring_return, scheme, subject, template, is_holder, longer=()
):
    """A reminder: not sent to those who turned reminders off, with one-click unsubscribe.
    ``longer``: (code, title, period) of its lines covering more than its period (a pledge
    reported once a year is due in this return)."""
    due = monitoring_return.due_date
    return _about_return(
        recipients,
        organisation,
        monitoring_return,
        subject,
        template,
        reminder=True,
        grace_period_days=scheme.grace_period_days,
        lapses_on=periods.sanction_date(due, scheme.grace_period_days),
        is_holder=is_holder,
        longer=list(longer),
    )


def due_soon(
    recipients: list[Recipient],
    organisation,
    monitoring_return,
    scheme,
    *,
    is_holder: bool,
    longer=(),
) -> list[dict]:
    subject = (
        f"{organisation.name}: your monitoring return is due on "
        f"{format_date(monitoring_return.due_date)}"
    )
    return _reminder(
        recipients,
        organisation,
        monitoring_return,
        scheme,
        subject,
        "review-return-due-soon",
        is_holder,
        longer,
    )


def overdue(
    recipients: list[Recipient],
    organisation,
    monitoring_return,
    scheme,
    *,
    is_holder: bool,
    longer=(),
) -> list[dict]:
    return _reminder(
        recipients,
        organisation,
        monitoring_return,
        scheme,
        f"{organisation.name}: your monitoring return is overdue",
        "review-return-overdue",
        is_holder,
        longer,
    )


def lapsed(recipients: list[Recipient], organisation, monitoring_return, reason: str) -> list[dict]:
    return _about_return(
        recipients,
        organisation,
        monitoring_return,
        f"{organisation.name} has lapsed from the Social Value Charter",
        "review-lapsed",
        reminder=False,
        reason=reason,
        dashboard_url=dashboard(organisation),
    )


def sanction_warning(
    recipients: list[Recipient], organisation, missed, *, holder: bool
) -> list[dict]:
    """A return still missing shortly before the organisation lapses or its mark is suspended
    (``missed``: the review's ``MissedReturn``)."""
    sanction_on = format_date(missed.sanction_on)
    consequence = (
        f"your Charter Mark will be suspended on {sanction_on}"
        if holder
        else f"{organisation.name} will lapse on {sanction_on}"
    )
    return email_members_bulk(
        recipients,
        f"{organisation.name}: send your return for {missed.period_label} or {consequence}",
        "duty-return-warning",
        reminder=False,
        organisation=organisation,
        missed=missed,
        holder=holder,
        consequence=consequence,
        last_day=missed.sanction_on - timedelta(days=1),
        return_url=return_page(organisation, missed.return_id),
    )
