"""The retention job on the demo data, seven years on: it removes exactly what the schedule says
(counted here independently, per kind), and nothing else; a second run changes nothing; evidence
files leave the local directory and the S3 store with their rows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from charter import formatting
from charter.models import (
    AuditEvent,
    CharterMark,
    ContractManager,
    EvidenceFile,
    Invitation,
    JobRun,
    Membership,
    Organisation,
    OutboxEmail,
    Signing,
    StaffRole,
    User,
)
from charter.models.mail import MAIL_FAILED, MAIL_SENT
from charter.services.domain import lifecycle, periods, reviews
from charter.services.domain.account_closing import FORMER_MEMBER
from charter.services.domain.retention_schedule import JOB_KINDS
from charter.services.infrastructure.mail import deliver_pending
from charter.services.infrastructure.storage import evidence_storage
from charter.services.read_models import register_query
from workflows.lifecycle import LAPSED, PUBLIC_STATES, WITHDRAWN

RETENTION = "apply_retention_schedule"
TRAVEL = periods.add_years(date.today(), 7)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min)


def _load_demo(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["charter", "load-scheme"]).exit_code == 0
    result = runner.invoke(args=["charter", "demo-data"])
    assert result.exit_code == 0, result.output
    return runner


def _expected(db) -> tuple[dict[str, int], set[int], set[str], set[int]]:
    """The schedule's rules, applied by hand: counts per kind, the organisations and evidence
    files due, and the accounts due."""
    org_cutoff = _midnight(periods.add_years(TRAVEL, -6))
    account_cutoff = _midnight(TRAVEL - timedelta(days=365))
    left = (WITHDRAWN, LAPSED)
    organisations = db.session.scalars(select(Organisation)).all()
    due_orgs = {
        o.id for o in organisations if o.status in left and o.status_changed_at < org_cutoff
    }
    evidence = db.session.scalars(
        select(EvidenceFile).where(EvidenceFile.organisation_id.in_(due_orgs))
    ).all()
    by_id = {o.id: o for o in organisations}
    managers = set(
        db.session.scalars(
            select(ContractManager.user_id).where(ContractManager.removed_at.is_(None))
        )
    )
    due_accounts = set()
    for user in db.session.scalars(select(User).where(User.id.not_in(select(StaffRole.user_id)))):
        orgs = [
            by_id[m]
            for m in db.session.scalars(
                select(Membership.organisation_id).where(Membership.user_id == user.id)
            )
        ]
        acting = any(
            o.id not in due_orgs and (o.status not in left or o.status_changed_at >= account_cutoff)
            for o in orgs
        )
        if not acting and user.id not in managers and user.created_at < account_cutoff:
            due_accounts.add(user.id)
    invitation_cutoff = _midnight(TRAVEL - timedelta(days=14))
    invitations = db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.created_at < invitation_cutoff)
    )
    outbox_cutoff = _midnight(TRAVEL - timedelta(days=90))
    emails = sum(
        1
        for e in db.session.scalars(select(OutboxEmail))
        if e.status in (MAIL_SENT, MAIL_FAILED)
        and (e.sent_at or e.last_attempt_at or e.created_at) < outbox_cutoff
    )
    counts = {
        "organisation_records": len(due_orgs),
        "evidence_files": len(evidence),
        "accounts": len(due_accounts),
        "invitations": invitations,
        "outbox_emails": emails,
        "data_exports": 0,
    }
    return counts, due_orgs, {e.stored_name for e in evidence}, due_accounts


def _table_counts(db) -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Organisation, User, Membership, EvidenceFile, AuditEvent, OutboxEmail)
    }


def _retention_summary(db) -> dict:
    run = db.session.scalar(
        select(JobRun).where(JobRun.job == RETENTION).order_by(JobRun.id.desc()).limit(1)
    )
    return run.summary


def _withdraw_a_holder_with_evidence(db) -> None:
    """The demo's evidence belongs to Charter Mark holders; one of them withdraws today."""
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == "Wrekin Care Partnership CIC")
    )
    owner = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id, Membership.role == "owner")
    )
    lifecycle.transition(
        organisation, "withdraw", lifecycle.actor_for(owner, organisation), reason="Closing down"
    )
    db.session.commit()


def _settle_the_other_reviews(db) -> None:
    """The other reviews, as the travel day, until a pass changes nothing: seven years in one
    step, a warning given today makes the lapse it announced due on the next pass. Then the
    run below does only the retention job's work, which is counted here beforehand."""
    for _ in range(8):
        before = (
            _table_counts(db),
            sorted(db.session.execute(select(Signing.organisation_id, Signing.status)).all()),
        )
        for name in reviews.JOBS:
            if name != RETENTION:
                reviews.run_job(name, TRAVEL)
        db.session.expire_all()
        if (
            _table_counts(db),
            sorted(db.session.execute(select(Signing.organisation_id, Signing.status)).all()),
        ) == before:
            return
    raise AssertionError("the other reviews never settled")


def _travel_and_check(app, db):
    runner = _load_demo(app)
    _withdraw_a_holder_with_evidence(db)
    _settle_the_other_reviews(db)
    deliver_pending(limit=100_000)
    expected, due_orgs, due_files, due_accounts = _expected(db)
    assert expected["organisation_records"] > 0 and expected["evidence_files"] > 0
    assert expected["accounts"] > 0 and expected["outbox_emails"] > 0
    names_before = {u.id: u.full_name for u in db.session.scalars(select(User))}
    storage = evidence_storage()
    kept_files = set(db.session.scalars(select(EvidenceFile.stored_name))) - due_files
    assert all(storage.exists(name) for name in due_files | kept_files)

    result = runner.invoke(args=["charter", "run-reviews", "--today", TRAVEL.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _retention_summary(db) == expected
    assert "apply_retention_schedule: organisation records" in result.output

    # Files gone from the store with their rows; every other file still there.
    assert not any(storage.exists(name) for name in due_files)
    assert all(storage.exists(name) for name in kept_files)
    assert set(db.session.scalars(select(EvidenceFile.stored_name))) == kept_files
    # Off the register; a Mark still verifies, as no longer held, with its dates.
    for organisation in db.session.scalars(
        select(Organisation).where(Organisation.id.in_(due_orgs))
    ):
        assert organisation.records_erased_at is not None
        assert organisation.status == "withdrawn"
        # Through the lifecycle, as every change of state, with its audit row.
        latest = lifecycle.history(organisation)[0]
        assert (latest.trigger, latest.actor_label, latest.to_state) == (
            "erase_records",
            "Retention schedule",
            "withdrawn",
        )
        assert latest.from_state in ("lapsed", "withdrawn")
        assert organisation.status not in PUBLIC_STATES
        assert not register_query.is_public(organisation)
        assert (
            app.test_client().get(f"/c/shropshire/register/{organisation.slug}").status_code == 404
        )
    mark = db.session.scalar(
        select(CharterMark)
        .join(Organisation, Organisation.id == CharterMark.organisation_id)
        .where(Organisation.name == "Wrekin Care Partnership CIC")
        .order_by(CharterMark.id.desc())
        .limit(1)
    )  # held when it withdrew
    assert mark.status == "expired"
    page = app.test_client().get(f"/c/shropshire/verify/{mark.certificate_number}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "no longer held" in text and "Expired" in text
    assert formatting.format_date(mark.awarded_on) in text
    assert formatting.format_date(mark.expires_on) in text
    # People: closed, "Former member" in the audit trail, their names nowhere in it.
    closed = db.session.scalars(select(User).where(User.id.in_(due_accounts))).all()
    assert {u.full_name for u in closed} == {FORMER_MEMBER}
    labels = set(db.session.scalars(select(AuditEvent.actor_label)))
    assert not labels & {names_before[u] for u in due_accounts}
    assert (
        db.session.scalar(
            select(func.count()).select_from(Membership).where(Membership.user_id.in_(due_accounts))
        )
        == 0
    )
    # Administrators have the report.
    report = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.subject.like("Retention schedule applied%")).limit(1)
    )
    assert f"Evidence files: {expected['evidence_files']}" in report.body

    # A second run the same day does nothing at all.
    before = _table_counts(db)
    result = runner.invoke(args=["charter", "run-reviews", "--today", TRAVEL.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _retention_summary(db) == dict.fromkeys(JOB_KINDS, 0)
    assert _table_counts(db) == before


def test_seven_years_on_the_demo_data_local_store(app, db):
    _travel_and_check(app, db)


def test_seven_years_on_the_demo_data_s3_store(s3_app, db):
    _travel_and_check(s3_app, db)


def test_the_dry_run_lists_what_is_due_and_changes_nothing(app, db):
    runner = _load_demo(app)
    before = _table_counts(db)
    result = runner.invoke(
        args=["charter", "retention", "--today", TRAVEL.isoformat(), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing has been changed" in result.output
    assert "Organisations’ records" in result.output or "organisation" in result.output.lower()
    withdrawn = db.session.scalar(
        select(Organisation)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .where(Signing.status == WITHDRAWN)
        .limit(1)
    )
    assert withdrawn.name in result.output
    db.session.expire_all()
    assert _table_counts(db) == before
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0
