"""The demo's open annual confirmation: one signatory (``annual_confirmation = "open"`` in
organisations.toml) whose anniversary of signing has come, so its owner's dashboard warns of the
confirmation and its page asks for it, with the publishing question for an organisation that
signed before that question was asked.

The row is written as the scheduled job writes it (anniversary, and a window from the day the
owner is asked), without the job's email: the demo sends none for its histories.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Organisation, Scheme, Signature
from charter.models.duties import AnnualConfirmation
from charter.models.signing import Signing
from charter.services.domain import signings
from charter.services.domain.confirmations import last_anniversary


def open_confirmations(records: list[dict], now: datetime) -> Counter:
    counts: Counter = Counter()
    names = [r["name"] for r in records if r.get("annual_confirmation") == "open"]
    rows = db.session.execute(
        select(Organisation.id, func.max(Signature.signed_at), Scheme.confirmation_window_days)
        .join(Signature, Signature.organisation_id == Organisation.id)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .join(Scheme, Scheme.id == Signing.scheme_id)
        .where(Organisation.name.in_(names))
        .group_by(Organisation.id, Scheme.confirmation_window_days)
    ).all()
    today = now.date()
    signing_of = signings.signing_ids_of(organisation_id for organisation_id, _, _ in rows)
    for organisation_id, signed_at, window in rows:
        anniversary = last_anniversary(signed_at.date(), today)
        if anniversary is None or anniversary + timedelta(days=window) <= today:
            continue  # no anniversary yet, or its window has closed: nothing is waiting
        db.session.add(
            AnnualConfirmation(
                organisation_id=organisation_id,
                signing_id=signing_of[organisation_id],
                anniversary=anniversary,
                closes_on=anniversary + timedelta(days=window),
                created_at=datetime.combine(anniversary, now.time()),
            )
        )
        counts["annual confirmations waiting"] += 1
    return counts
