"""Each rule of the retention schedule, on the day its period ends and the day before: the
job acts only on what is due, counts it under its own kind, reports to administrators only
when it did something, and a second run does nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import (
    ContractManager,
    DataExport,
    Invitation,
    Membership,
    Organisation,
    OutboxEmail,
    User,
)
from charter.services.domain.account_closing import FORMER_MEMBER
from charter.services.domain.retention_schedule import JOB_KINDS
from charter.services.domain.reviews.retention_jobs import apply_retention_schedule, due
from tests.factories import make_commissioner, make_organisation, make_user

TODAY = date(2030, 6, 15)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12))


def _counts(**nonzero) -> dict:
    return {kind: nonzero.get(kind, 0) for kind in JOB_KINDS}


@pytest.fixture
def admin(app):
    return make_user(email="admin@example.com", full_name="Ada Admin", role="admin")


def test_invitations_emails_and_copies_go_when_their_period_is_over(app, scheme, admin):
    owner = make_user(email="olive@example.com")
    organisation = make_organisation(owner, scheme, status="signatory")
    commissioner = make_commissioner()
    fifteen_days, thirteen_days = TODAY - timedelta(days=15), TODAY - timedelta(days=13)
    for when in (fifteen_days, thirteen_days):
        db.session.add(
            Invitation(
                kind="member",
                organisation_id=organisation.id,
                email=f"{when}@example.com",
                invited_by_id=owner.id,
                created_at=_at(when),
            )
        )
        db.session.add(
            Invitation(
                kind="contract_manager",
                commissioner_id=commissioner.id,
                email=f"cm-{when}@example.com",
                invited_by_id=admin.id,
                created_at=_at(when),
            )
        )
    old, recent = TODAY - timedelta(days=91), TODAY - timedelta(days=89)
    for status, sent in (("sent", old), ("sent", recent), ("failed_permanently", old)):
        db.session.add(
            OutboxEmail(
                to_address="someone@example.com",
                subject=f"{status} {sent}",
                body="Hi",
                status=status,
                created_at=_at(sent),
                sent_at=_at(sent) if status == "sent" else None,
                last_attempt_at=_at(sent),
            )
        )
    db.session.add(  # queued long ago and never sent: not delivered, so kept
        OutboxEmail(to_address="x@example.com", subject="queued", body="Hi", created_at=_at(old))
    )
    for made in (TODAY - timedelta(days=8), TODAY - timedelta(days=6)):
        db.session.add(
            DataExport(subject_id=owner.id, requested_by_id=owner.id, created_at=_at(made))
        )
    db.session.commit()

    expected = _counts(invitations=2, outbox_emails=2, data_exports=1)
    assert due(TODAY).counts() == expected
    assert apply_retention_schedule(TODAY) == expected
    assert set(db.session.scalars(select(Invitation.kind))) == {"member", "contract_manager"}
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2
    assert set(db.session.scalars(select(OutboxEmail.subject))) >= {f"sent {recent}", "queued"}
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 1
    report = db.session.scalar(
        select(OutboxEmail).where(
            OutboxEmail.subject == "Retention schedule applied on 15 June 2030"
        )
    )
    assert report.to_address == "admin@example.com"
    assert "Invitations to join an organisation, and their email addresses: 2" in report.body

    emails = db.session.scalar(select(func.count()).select_from(OutboxEmail))
    assert apply_retention_schedule(TODAY) == _counts()
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == emails  # no report


def test_an_account_closes_a_year_after_its_last_organisation_left(app, scheme, admin):
    long_ago = _at(TODAY - timedelta(days=400))
    left_long_ago = make_user(email="gone@example.com", full_name="Gina Gone")
    left_recently = make_user(email="recent@example.com", full_name="Rob Recent")
    still_in = make_user(email="still@example.com", full_name="Sam Still")
    manager = make_user(email="manager@example.com", full_name="Mo Manager")
    never_joined = make_user(email="never@example.com", full_name="Nell Never")
    for user in (left_long_ago, left_recently, still_in, manager, never_joined):
        user.created_at = long_ago
    gone = make_organisation(left_long_ago, scheme, status="withdrawn")
    gone.status_changed_at = _at(TODAY - timedelta(days=366))
    recent = make_organisation(left_recently, scheme, status="lapsed")
    recent.status_changed_at = _at(TODAY - timedelta(days=364))
    active = make_organisation(still_in, scheme, status="monitoring")
    db.session.add(Membership(user_id=still_in.id, organisation_id=gone.id))
    db.session.add(ContractManager(commissioner_id=make_commissioner().id, user_id=manager.id))
    db.session.commit()

    assert apply_retention_schedule(TODAY) == _counts(accounts=2)
    closed = {u.id for u in db.session.scalars(select(User).where(User.closed_at.is_not(None)))}
    assert closed == {left_long_ago.id, never_joined.id}
    assert db.session.get(User, left_long_ago.id).full_name == FORMER_MEMBER
    # The organisations themselves stay until their own six years are over.
    assert db.session.get(Organisation, gone.id).records_erased_at is None
    assert db.session.get(Organisation, active.id).status == "monitoring"
    assert apply_retention_schedule(TODAY) == _counts()
