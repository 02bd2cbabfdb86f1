"""Notices about the minimum standards declaration (charter.services.domain.minimum_standards),
from the scheduled review: a warning before a declaration lapses, for a batch's members, queued
by the caller in one statement. It names the charter, since an organisation may have signed
several and only some ask for minimum standards."""

from __future__ import annotations

from datetime import date, timedelta

from charter.formatting import format_date
from charter.services.notices.bulk import email_members_bulk
from charter.services.notices.links import link
from charter.services.notices.recipients import Recipient


def lapsing(
    recipients: list[Recipient], organisation, charter_name: str, lapses_on: date
) -> list[dict]:
    """A warning to every member: the declaration lapses on ``lapses_on``."""
    last_day = lapses_on - timedelta(days=1)
    return email_members_bulk(
        recipients,
        f"{organisation.name}: declare the minimum standards again by {format_date(last_day)}",
        "duty-standards-lapsing",
        reminder=False,
        organisation=organisation,
        charter_name=charter_name,
        lapses_on=lapses_on,
        last_day=last_day,
        declare_url=link("organisation.declare_minimum_standards", slug=organisation.slug),
    )
