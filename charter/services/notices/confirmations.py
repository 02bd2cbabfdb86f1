"""Notices about the annual confirmation of the charter commitment, from the scheduled
reviews: for a batch's members, queued by the caller in one statement."""

from __future__ import annotations

from datetime import date, timedelta

from charter.formatting import format_date
from charter.services.notices.bulk import email_members_bulk
from charter.services.notices.links import link
from charter.services.notices.recipients import Recipient


def _confirm_url(organisation) -> str:
    return link("organisation.confirm_commitment", slug=organisation.slug)


def _confirm_by(organisation, closes_on: date) -> str:
    return f"{organisation.name}: confirm your charter commitment by {format_date(closes_on)}"


def due(
    recipients: list[Recipient], organisation, anniversary: date, closes_on: date
) -> list[dict]:
    """A reminder: those who turned reminders off are not sent it."""
    return email_members_bulk(
        recipients,
        _confirm_by(organisation, closes_on),
        "duty-confirmation-due",
        reminder=True,
        organisation=organisation,
        anniversary=anniversary,
        closes_on=closes_on,
        confirm_url=_confirm_url(organisation),
    )


def _not_confirmed(recipients, organisation, closes_on, subject, template, holder, step):
    return email_members_bulk(
        recipients,
        subject,
        template,
        reminder=False,
        organisation=organisation,
        closes_on=closes_on,
        sanction_on=closes_on + timedelta(days=1),
        holder=holder,
        step=step,
        confirm_url=_confirm_url(organisation),
    )


def warning(
    recipients: list[Recipient], organisation, closes_on: date, *, holder: bool
) -> list[dict]:
    return _not_confirmed(
        recipients,
        organisation,
        closes_on,
        _confirm_by(organisation, closes_on),
        "duty-confirmation-warning",
        holder,
        "warning",
    )


def missed(
    recipients: list[Recipient], organisation, closes_on: date, *, holder: bool, step: str
) -> list[dict]:
    """The confirmation window closed: ``step`` is what the review did (``noted``, …)."""
    return _not_confirmed(
        recipients,
        organisation,
        closes_on,
        f"{organisation.name}: the annual confirmation was not given",
        "duty-confirmation-missed",
        holder,
        step,
    )
