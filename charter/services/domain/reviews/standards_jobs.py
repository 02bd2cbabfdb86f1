"""The minimum standards declaration's job (charter.services.domain.minimum_standards).

- warn_before_standards_lapse: from ``WARN_DAYS`` before a signing's latest declaration lapses,
  a dated warning to every member, once per declaration, naming the charter. A lapse itself
  changes no lifecycle (it stops the next action plan until renewed), so there is nothing more
  to do on the day: the dashboard says when it lapsed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from charter.branding import charter_with_id
from charter.extensions import db
from charter.models.declarations import StandardsDeclaration
from charter.models.signing import Signing
from charter.services import notices
from charter.services.domain import signings
from charter.services.domain.confirmations import CONFIRMING_STATES
from charter.services.domain.minimum_standards import WARN_DAYS
from charter.services.domain.reviews.common import give_notices, load_organisations, run_in_batches

NOTICE = "standards_lapsing"


def warn_before_standards_lapse(today: date) -> dict:
    """Warn the members of each signatory whose declaration lapses within ``WARN_DAYS``."""
    counts: Counter = Counter()
    later = aliased(StandardsDeclaration)
    rows = db.session.execute(
        select(
            StandardsDeclaration.id,
            StandardsDeclaration.organisation_id,
            StandardsDeclaration.lapses_on,
            Signing.charter_id,
        )
        .join(Signing, Signing.id == StandardsDeclaration.signing_id)
        .where(
            StandardsDeclaration.lapses_on > today,
            StandardsDeclaration.lapses_on <= today + timedelta(days=WARN_DAYS),
            Signing.status.in_(CONFIRMING_STATES),
            signings.in_acting_charter(),
            # Only a signing's latest declaration: one made since replaces it.
            ~exists().where(
                later.signing_id == StandardsDeclaration.signing_id,
                later.lapses_on > StandardsDeclaration.lapses_on,
            ),
        )
        .order_by(StandardsDeclaration.organisation_id, StandardsDeclaration.id)
    ).all()

    def act(batch) -> Counter:
        given = give_notices([(oid, NOTICE, f"declaration:{did}") for did, oid, _, _ in batch])
        warned = [row for row in batch if (NOTICE, f"declaration:{row[0]}") in given]
        organisations = load_organisations(oid for _, oid, _, _ in warned)
        recipients = notices.recipients_of(list(organisations))
        messages = []
        for _did, oid, lapses_on, charter_id in warned:
            charter = charter_with_id(charter_id)
            messages += notices.standards.lapsing(
                recipients[oid],
                organisations[oid],
                charter.name if charter else "charter",
                lapses_on,
            )
        notices.queue_bulk(messages)
        return Counter(warned=len(warned))

    run_in_batches(rows, act, counts, key=lambda row: row[1])
    return {"warned": 0, "skipped": 0, **counts}
