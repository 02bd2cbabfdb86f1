"""Notices: every email the service sends, out of the domain.

The domain decides what happened and calls one function per message here
(``notices.marks.suspended(organisation, reason, mark)``); this package knows who receives it
(``recipients``), renders it (``outbox``, and ``bulk`` for many members at once), queues it in the
outbox in the same transaction, carries the unsubscribe tokens of reminders (``tokens``) and
builds absolute links from ``SERVICE_URL`` without a request (``links``). One module per
subject; the scheduled reviews' notices are with their subject (``returns.due_soon``,
``confirmations.due``) and return outbox rows the review queues in one statement. The delivery
worker that sends the outbox is infrastructure (``infrastructure/mail``).
"""

from charter.services.notices import (
    accounts,
    applications,
    assessment,
    audits,
    confirmations,
    contract_social_value,
    contracts,
    marks,
    organisations,
    plans,
    privacy,
    returns,
    signing,
    staff,
    standards,
)
from charter.services.notices.outbox import queue_bulk
from charter.services.notices.recipients import Recipient, recipients_of

__all__ = [
    "Recipient",
    "accounts",
    "applications",
    "assessment",
    "audits",
    "confirmations",
    "contract_social_value",
    "contracts",
    "marks",
    "organisations",
    "plans",
    "privacy",
    "queue_bulk",
    "recipients_of",
    "returns",
    "signing",
    "staff",
    "standards",
]
