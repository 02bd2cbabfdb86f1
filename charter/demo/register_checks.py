"""The demo's new signatory awaiting an administrator's check: the most recently signed
signatory's entry is not yet on the public register, so the administrators' list of entries to
check has one to publish and its owner's dashboard says why it is not on the register yet.

Picked by query (the newest signing), so the demo has one whatever day it is built."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Organisation, Signature, Signing
from charter.models.signing import REGISTER_AWAITING_CHECK
from charter.services.domain import signings
from workflows import lifecycle


def leave_newest_signatory_awaiting_check() -> Counter:
    row = db.session.execute(
        select(Organisation, func.max(Signature.signed_at).label("signed_at"))
        .join(Signature, Signature.organisation_id == Organisation.id)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .where(Signing.status == lifecycle.SIGNATORY)
        .group_by(Organisation.id)
        .order_by(func.max(Signature.signed_at).desc(), Organisation.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return Counter()
    organisation, signed_at = row
    signing = signings.signing_of(organisation)
    signing.register_entry = REGISTER_AWAITING_CHECK
    signing.register_entry_changed_at = signed_at
    return Counter({"register entries awaiting a check": 1})
