"""Email: queued in the outbox with the change that caused it, delivered by a worker.

- queueing.py: ``queue_email`` and ``email_members``, which every part of the service calls;
- delivery.py: claiming, sending once, retrying with back-off, recording delivery state;
- worker.py: the long-running ``flask charter mail-worker`` loop;
- status.py: what administrators see of the queue, and retrying a failed email;
- backends/: the log (development), SMTP and GOV.UK Notify.
"""

from charter.services.infrastructure.mail.delivery import (
    DeliveryCounts,
    deliver_due,
    deliver_pending,
)
from charter.services.infrastructure.mail.queueing import email_members, queue_email

__all__ = ["DeliveryCounts", "deliver_due", "deliver_pending", "email_members", "queue_email"]
