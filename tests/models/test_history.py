import pytest
from sqlalchemy import func, select

from charter.models import AuditEvent
from charter.models.history import AppendOnlyError
from charter.services.domain.lifecycle import system_actor, transition
from charter.services.domain.signings import signing_of
from tests.factories import make_organisation


def _audited_organisation(db, scheme):
    org = make_organisation(scheme=scheme, status="monitoring")
    transition(org, "lapse", system_actor())
    db.session.commit()
    return org


def test_a_transition_writes_one_audit_row_with_its_state_change(db, scheme):
    org = _audited_organisation(db, scheme)
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.organisation_id == org.id)).all()
    assert [(r.trigger, r.from_state, r.to_state, r.actor_label) for r in rows] == [
        ("lapse", "monitoring", "lapsed", "Scheduled review")
    ]
    assert org.status == "lapsed" and signing_of(org).version_id == 2


def test_audit_rows_cannot_be_changed_or_deleted(db, scheme):
    org = _audited_organisation(db, scheme)
    row = db.session.scalar(select(AuditEvent).where(AuditEvent.organisation_id == org.id))

    row.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()

    db.session.delete(row)
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_a_refused_transition_leaves_no_audit_row_and_no_change(db, scheme):
    org = make_organisation(scheme=scheme, status="registered")
    from workflows.lifecycle import InvalidTransition

    with pytest.raises(InvalidTransition, match="while the organisation is ‘Registered’"):
        transition(org, "lapse", system_actor())
    db.session.commit()
    assert org.status == "registered" and signing_of(org).version_id == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
