"""Email: queued in the outbox with the change that caused it (``charter.services.notices``),
delivered by a worker.

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

__all__ = ["DeliveryCounts", "deliver_due", "deliver_pending"]
