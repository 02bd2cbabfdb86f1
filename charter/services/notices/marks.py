"""Notices about a Charter Mark: suspended, reinstated, revoked, in force again."""

from __future__ import annotations

from charter.formatting import format_date
from charter.services.notices.bulk import email_members_bulk
from charter.services.notices.links import dashboard
from charter.services.notices.outbox import email_members, queue_bulk
from charter.services.notices.recipients import Recipient, recipients_of


def _tell_members(organisation, subject: str, template: str, **context) -> None:
    email_members(organisation, subject, template, dashboard_url=dashboard(organisation), **context)


def suspended(organisation, reason: str, mark) -> None:
    _tell_members(
        organisation,
        f"{organisation.name} has been suspended",
        "mark-suspended",
        reason=reason,
        mark=mark,
    )


def suspension_lifted(organisation, mark) -> None:
    """``mark`` is the mark back in force, or None when it stays suspended."""
    _tell_members(
        organisation,
        f"The suspension of {organisation.name} has been lifted",
        "mark-reinstated",
        mark=mark,
    )


def revoked(organisation, reason: str, mark) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: your Charter Mark has been revoked",
        "mark-revoked",
        reason=reason,
        mark=mark,
    )


def in_force_again(organisations) -> None:
    """A suspension for a missed duty lifts once the duty is met: each organisation told."""
    recipients = recipients_of(o.id for o in organisations)
    messages = []
    for organisation in organisations:
        messages += email_members_bulk(
            recipients[organisation.id],
            f"{organisation.name}: your Charter Mark is in force again",
            "duty-mark-reinstated",
            reminder=False,
            organisation=organisation,
            dashboard_url=dashboard(organisation),
        )
    queue_bulk(messages)


# --- from the scheduled reviews: for a batch's members, queued by the caller in one statement --


def _about_mark(recipients: list[Recipient], organisation, mark, subject: str, template: str):
    return email_members_bulk(
        recipients,
        subject,
        template,
        reminder=False,
        organisation=organisation,
        mark=mark,
        dashboard_url=dashboard(organisation),
    )


def renewal_open(recipients: list[Recipient], organisation, mark) -> list[dict]:
    return _about_mark(
        recipients,
        organisation,
        mark,
        f"{organisation.name}: renew your Charter Mark before {format_date(mark.expires_on)}",
        "review-renewal-open",
    )


def expired(recipients: list[Recipient], organisation, mark) -> list[dict]:
    return _about_mark(
        recipients,
        organisation,
        mark,
        f"{organisation.name}: your Charter Mark has expired",
        "review-mark-expired",
    )


def suspended_for_missed_returns(
    recipients: list[Recipient], organisation, missed: list, *, already: bool
) -> list[dict]:
    """``already``: the mark was suspended before (for another reason), and stays so."""
    return email_members_bulk(
        recipients,
        f"{organisation.name}: your Charter Mark has been suspended",
        "duty-mark-suspended",
        reminder=False,
        organisation=organisation,
        missed=missed,
        already=already,
        dashboard_url=dashboard(organisation),
    )
