"""Helpers shared by the tests of register and the modules that build on them."""

from __future__ import annotations

from datetime import datetime

from charter.extensions import db
from charter.models import AuditEvent, Signature
from tests.factories import (
    make_mark,
    make_organisation,
)


def audit(organisation, trigger, from_state, to_state, when: datetime, reason=None):
    db.session.add(
        AuditEvent(
            organisation_id=organisation.id,
            actor_label="Test",
            trigger=trigger,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            created_at=when,
        )
    )
    db.session.commit()


def add_signature(organisation, scheme, signed_at: datetime) -> None:
    """Sam Signer's signature of ``scheme`` for the organisation, at ``signed_at``."""
    db.session.add(
        Signature(
            organisation_id=organisation.id,
            scheme_id=scheme.id,
            signatory_name="Sam Signer",
            signatory_role="Director",
            has_authority=True,
            route="working_towards",
            accepted_principles=[],
            signed_at=signed_at,
        )
    )


def signed_in_may_and_october(organisation, first_scheme, second_scheme) -> None:
    """Signatures of two charters' schemes: the first on 1 May 2026, the second on 2 October."""
    add_signature(organisation, first_scheme, datetime(2026, 5, 1, 9))
    add_signature(organisation, second_scheme, datetime(2026, 10, 2, 9))


def make_signatory(scheme, name: str, status: str = "signatory", *, signed_at=None, **fields):
    """An organisation in ``status`` that signed the charter, with its signature and audit row."""
    organisation = make_organisation(scheme=scheme, name=name, status=status, **fields)
    signed_at = signed_at or datetime(2026, 5, 1, 10, 30)
    add_signature(organisation, scheme, signed_at)
    audit(organisation, "sign", "registered", "signatory", signed_at)
    return organisation


def make_holder(scheme, name: str, status: str = "accredited", **fields):
    organisation = make_signatory(scheme, name, status=status, **fields)
    mark = make_mark(organisation, scheme)
    audit(organisation, "award_mark", "under_assessment", "accredited", datetime(2026, 9, 1, 9))
    return organisation, mark
