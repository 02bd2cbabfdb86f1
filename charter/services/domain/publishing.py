"""An organisation's consent to publish its verified figures on the register: its signing's
(charter.models.signing), since each charter's register asks for itself.

The answer is asked when it signs, at the annual confirmation if it never answered, and can be
changed at any time. Each new answer is written to the organisation's audit trail with who gave
it and when (a row whose state does not change, as the data corrections are), so the council
can show on what basis a figure was published, or withdrawn, on a given day.
"""

from __future__ import annotations

from datetime import datetime

from charter.extensions import db
from charter.models import AuditEvent, Organisation
from charter.services.domain import signings

AGREED = "agree_to_publish_figures"
DECLINED = "decline_to_publish_figures"
AUDIT_LABELS = {
    AGREED: "Agreed to publish its verified figures on the register",
    DECLINED: "Chose not to publish its verified figures on the register",
}


def decide(
    organisation: Organisation,
    publish: bool,
    now: datetime,
    *,
    actor_id: int | None,
    actor_label: str,
) -> None:
    """Record the organisation's choice (not committed); an audit row when it is a new answer
    (the first, or a change), none when the same answer is given again."""
    signing = signings.required_signing_of(organisation)
    new_answer = (
        signing.publishes_figures_decided_at is None or signing.publishes_figures != publish
    )
    signing.publishes_figures = publish
    signing.publishes_figures_decided_at = now
    if new_answer:
        db.session.add(
            AuditEvent(
                organisation_id=organisation.id,
                signing_id=signing.id,
                actor_id=actor_id,
                actor_label=actor_label,
                trigger=AGREED if publish else DECLINED,
                from_state=organisation.status,
                to_state=organisation.status,
                created_at=now,
            )
        )
