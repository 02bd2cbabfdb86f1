"""How long the service keeps each kind of record: the retention schedule, as data.

The privacy notice promises these periods and the scheduled retention job keeps them, so both
read this one module and cannot drift apart. Each period is a setting with a default here (a
deployment changes ``RETENTION_*`` in its configuration, not the code); :func:`schedule` builds
the rules for the current configuration.

Nothing public or needed for a live Charter Mark decision goes early: an organisation's records
are kept while it takes part and for the whole period after it leaves, and a Charter Mark's
number, holder and dates are never erased (a certificate keeps verifying as "no longer held").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app

from charter.services.domain import periods

# Settings and their defaults. Years for what is counted in years, days for the rest.
DEFAULTS = {
    "RETENTION_ORGANISATION_YEARS": 6,
    "RETENTION_ACCOUNT_DAYS_AFTER_LEAVING": 365,
    "RETENTION_OUTBOX_DAYS": 90,
    "RETENTION_EXPORT_DAYS": 7,
    "RETENTION_LOG_DAYS": 90,
}

# The kinds the retention job counts, in the order it acts and reports.
ORGANISATION_RECORDS = "organisation_records"
EVIDENCE_FILES = "evidence_files"
ACCOUNTS = "accounts"
INVITATIONS = "invitations"
OUTBOX_EMAILS = "outbox_emails"
DATA_EXPORTS = "data_exports"
JOB_KINDS = (
    ORGANISATION_RECORDS,
    EVIDENCE_FILES,
    ACCOUNTS,
    INVITATIONS,
    OUTBOX_EMAILS,
    DATA_EXPORTS,
)


def setting(name: str) -> int:
    value = current_app.config.get(name, DEFAULTS[name])
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a whole number of at least 0, not {value!r}")
    return value


@dataclass(frozen=True)
class Rule:
    """One kind of record: what it is, how long it is kept and what then happens to it."""

    kind: str
    records: str
    # The sentence the privacy notice gives, after the records' name.
    kept: str
    # What the retention job does when the period is over.
    then: str
    # Records whose period started before this day are due, for a given ``today``; None when
    # the service itself does not delete them (server logs are the host's).
    years: int | None = None
    days: int | None = None
    by_the_job: bool = True

    def started_before(self, today: date) -> date:
        """Records whose period began before this day are due for the job running on ``today``."""
        if self.years is not None:
            return periods.add_years(today, -self.years)
        return today - timedelta(days=self.days or 0)


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _years(number: int) -> str:
    return _count(number, "year")


def _days(number: int) -> str:
    return _count(number, "day")


def schedule() -> list[Rule]:
    """Every rule, for the current configuration, in the order the privacy notice lists them."""
    org_years = setting("RETENTION_ORGANISATION_YEARS")
    account_days = setting("RETENTION_ACCOUNT_DAYS_AFTER_LEAVING")
    outbox_days = setting("RETENTION_OUTBOX_DAYS")
    export_days = setting("RETENTION_EXPORT_DAYS")
    log_days = setting("RETENTION_LOG_DAYS")
    invitation_days = current_app.config["INVITATION_MAX_AGE"] // (24 * 60 * 60)
    reset_minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    return [
        Rule(
            ORGANISATION_RECORDS,
            "Your organisation’s records (signatures, action plans, monitoring returns, "
            "Charter Mark decisions and the record of what was done)",
            f"for as long as your organisation takes part, then {_years(org_years)} after it "
            "leaves the charter (withdraws, or lapses and does not return), because they "
            "support decisions about public contracts",
            "the organisation leaves the public register and the names of the people who acted "
            "for it are removed (the record of what was done says “former member”); its figures "
            "stay, without anyone’s name, so published totals do not change, and a Charter "
            "Mark’s number and dates still verify, as no longer held",
            years=org_years,
        ),
        Rule(
            EVIDENCE_FILES,
            "Evidence files",
            f"with the return they support: {_years(org_years)} after your organisation leaves",
            "the files are deleted from our storage",
            years=org_years,
        ),
        Rule(
            ACCOUNTS,
            "Your account (name, email address and password)",
            "until you close it; or, once no organisation you act for takes part in the "
            f"charter, {_days(account_days)} after the last one left (or after the account was "
            "made, if it never acted for one)",
            "the account is closed: your name and email address are removed and nobody can sign "
            "in with it; the record of what you did stays with your organisation’s records as "
            "“former member”",
            days=account_days,
        ),
        Rule(
            INVITATIONS,
            "Invitations to join an organisation, and their email addresses",
            f"until the invitation expires, {_days(invitation_days)} after it was sent",
            "the invitation is deleted",
            days=invitation_days,
        ),
        Rule(
            "password_resets",
            "Password reset links",
            f"for {_count(reset_minutes, 'minute')}, in the link itself: we do not store them",
            "the link stops working by itself",
            by_the_job=False,
        ),
        Rule(
            OUTBOX_EMAILS,
            "Emails we send you",
            f"for {_days(outbox_days)} after they are delivered (or after we stop trying)",
            "the copy of the email is deleted",
            days=outbox_days,
        ),
        Rule(
            DATA_EXPORTS,
            "A copy of your information that you asked for",
            f"for {_days(export_days)}",
            "the download link stops working and the copy is deleted",
            days=export_days,
        ),
        Rule(
            "server_logs",
            "Server logs",
            f"for {_days(log_days)}",
            "they are deleted by our hosting provider",
            days=log_days,
            by_the_job=False,
        ),
    ]


def rule(kind: str) -> Rule:
    for each in schedule():
        if each.kind == kind:
            return each
    raise KeyError(kind)
