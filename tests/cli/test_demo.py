from collections import defaultdict

import pytest
from sqlalchemy import func, select

from charter.demo.builder import DEMO_PASSWORD, JOURNEYS, demo_organisations
from charter.demo.other_charters import OTHER_STAFF
from charter.models import (
    Application,
    AuditEvent,
    Charter,
    CharterMark,
    Commissioner,
    Contract,
    EvidenceFile,
    InformationRequest,
    Membership,
    MonitoringReturn,
    Organisation,
    Scheme,
    Signature,
    Signing,
    StaffRole,
    User,
)
from charter.models.base import utcnow
from charter.models.duties import AnnualConfirmation
from charter.organisation.forms.publishing import PUBLISH_QUESTION
from charter.services.domain import staff
from charter.services.domain.identifiers import normalise_identifier, normalise_postcode
from charter.services.domain.signings import signing_of
from tests.cli.demo_story import CHECKS
from tests.factories import sign_in


def _counts(db) -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (
            User,
            Organisation,
            Membership,
            AuditEvent,
            Signature,
            Commissioner,
            Contract,
            MonitoringReturn,
            EvidenceFile,
            Application,
            CharterMark,
        )
    }


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_the_demo_tells_its_story_today(check):
    """The checks that must hold on every date the demo is built (tests/cli/demo_story.py),
    on today's build; test_demo_dates.py runs them on builds dated across two years."""
    check(utcnow())


@pytest.mark.usefixtures("demo")
def test_the_commissioners_are_the_managed_list(db):
    council = db.session.scalar(
        select(Commissioner).where(Commissioner.name == "Shropshire Council")
    )
    assert council.org_id == "GB-LAE-SHR"
    assert db.session.scalar(select(func.count()).select_from(Commissioner)) >= 8


@pytest.mark.usefixtures("demo")
def test_evidence_files_are_stored(app, db):
    from charter.services.infrastructure.evidence import evidence_path

    files = db.session.scalars(select(EvidenceFile)).all()
    assert files and all(evidence_path(f).is_file() for f in files)


def test_demo_data_needs_a_scheme(app, db):
    result = app.test_cli_runner().invoke(args=["charter", "demo-data"])

    assert result.exit_code == 1
    assert "flask charter load-scheme" in result.output
    assert _counts(db)["User"] == 0


def test_without_the_other_scheme_files_the_demo_is_shropshires_alone(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["charter", "load-scheme"]).exit_code == 0
    result = runner.invoke(args=["charter", "demo-data"])

    assert result.exit_code == 0, result.output
    assert "Loaded the demo data: 40 organisations." in result.output
    assert "charters are not loaded, so the demo is Shropshire's alone" in result.output
    assert "schemes/worcestershire.toml and schemes/cheshire-west-and-chester.toml" in result.output
    assert db.session.scalar(select(func.count()).select_from(Charter)) == 1
    assert "admin@worcestershire.demo.example" not in result.output


def test_demo_data_prints_the_accounts_and_the_password(demo):
    output = demo.output
    assert "Loaded the demo data: 42 organisations." in output
    for email in ("admin@demo.example", "assessor1@demo.example", "assessor2@demo.example"):
        assert email in output
    for email, _, _, what, _ in OTHER_STAFF:
        assert f"{email}  " in output and what in output
    assert "owner@severn-valley-builders-ltd.demo.example" in output
    # An organisation that signed several charters: where it stands in each.
    assert (
        "Severn Valley Builders Ltd (Shropshire: Charter Mark holder; Worcestershire: "
        "Charter signatory; Cheshire West and Chester: Monitoring)"
    ) in output
    assert "Owner, Malvern Hills Catering Ltd (Monitoring)" in output
    assert "Owner, Arden Print and Signs Ltd (Charter signatory)" in output
    for council in ("cheshire-west-and-chester-council", "worcestershire-county-council"):
        assert f"contracts@{council}.demo.example  " in output
    assert f"Every demo account has the password: {DEMO_PASSWORD}" in output


@pytest.mark.usefixtures("demo")
def test_staff_and_system_actors_fire_their_own_triggers(db):
    roles = defaultdict(set)
    staff_role = (
        select(StaffRole.role)
        .where(StaffRole.user_id == User.id, StaffRole.removed_at.is_(None))
        .limit(1)
        .scalar_subquery()
    )
    for trigger, user_id, role, label in db.session.execute(
        select(AuditEvent.trigger, User.id, staff_role, AuditEvent.actor_label).outerjoin(
            User, User.id == AuditEvent.actor_id
        )
    ):
        roles[trigger].add(role or ("member" if user_id else label))
    assert roles["sign"] == roles["submit_plan"] == roles["apply_for_mark"] == {"member"}
    assert roles["approve_plan"] == roles["award_mark"] == {"assessor"}
    assert roles["suspend"] == roles["revoke_mark"] == {"administrator"}
    assert roles["open_renewal"] == roles["lapse"] == {"Scheduled review"}


@pytest.mark.usefixtures("demo")
def test_signatures_are_kept_and_back_dated(db):
    signed = db.session.scalars(select(AuditEvent).where(AuditEvent.trigger == "sign")).all()
    signatures = db.session.scalars(select(Signature)).all()
    assert len(signatures) == len(signed)
    assert {s.signed_at for s in signatures} == {e.created_at for e in signed}
    assert all(s.has_authority and s.accepted_principles for s in signatures)


@pytest.mark.usefixtures("demo")
def test_every_signatory_answered_the_publishing_question_when_it_signed(db):
    """Issue 10: a mix of yes and no, each decided at the latest signature of each charter the
    organisation signed."""
    latest = dict(
        (tuple(key), signed_at)
        for *key, signed_at in db.session.execute(
            select(Signature.organisation_id, Scheme.charter_id, func.max(Signature.signed_at))
            .join(Scheme, Scheme.id == Signature.scheme_id)
            .group_by(Signature.organisation_id, Scheme.charter_id)
        )
    )
    records = demo_organisations()
    not_asked = {r["name"] for r in records if r.get("publishes_figures") == "not asked"}
    answers = {}
    for organisation in db.session.scalars(select(Organisation)):
        if organisation.name in not_asked:  # signed before the question was asked
            assert signing_of(organisation).publishes_figures_decided_at is None
            continue
        for signing in db.session.scalars(
            select(Signing).where(Signing.organisation_id == organisation.id)
        ):
            key = (organisation.id, signing.charter_id)
            assert signing.publishes_figures_decided_at == latest.get(key), organisation.name
            if key in latest:
                answers[organisation.slug, signing.charter_id] = signing.publishes_figures
    # The mix is Shropshire's; the further signings (Warwickshire's one too) all said yes.
    shropshire = db.session.scalar(select(Charter.id).where(Charter.slug == "shropshire"))
    further = [answer for (_, charter_id), answer in answers.items() if charter_id != shropshire]
    assert further == [True] * 5
    answers = {slug: yes for (slug, charter_id), yes in answers.items() if charter_id == shropshire}
    assert 5 <= list(answers.values()).count(False) < len(answers) / 2
    assert answers["severn-valley-builders-ltd"] is True
    assert answers["ludlow-larder-catering-ltd"] is False


def test_an_annual_confirmation_waits_with_the_publishing_question(app, db, demo):
    """One organisation that signed before the publishing question was asked has this year's
    confirmation open: its owner is warned on the dashboard and asked both on its page."""
    [(slug, confirmation)] = db.session.execute(
        select(Organisation.slug, AnnualConfirmation)
        .join(AnnualConfirmation, AnnualConfirmation.organisation_id == Organisation.id)
        .where(AnnualConfirmation.confirmed_at.is_(None))
    ).all()
    today = utcnow().date()
    assert confirmation.anniversary <= today < confirmation.closes_on
    client = app.test_client()
    sign_in(client, f"owner@{slug}.demo.example", DEMO_PASSWORD)
    dashboard = client.get(f"/organisations/{slug}").get_data(as_text=True)
    assert f"/organisations/{slug}/confirm-commitment" in dashboard
    page = client.get(f"/organisations/{slug}/confirm-commitment").get_data(as_text=True)
    assert PUBLISH_QUESTION in page


@pytest.mark.usefixtures("demo")
def test_rerunning_changes_nothing(app, db):
    before = _counts(db)

    again = app.test_cli_runner().invoke(args=["charter", "demo-data"])

    assert again.exit_code == 0
    assert "already loaded" in again.output and "nothing changed" in again.output
    assert "admin@demo.example" in again.output
    assert _counts(db) == before


@pytest.mark.usefixtures("demo")
def test_demo_accounts_can_sign_in(app):
    client = app.test_client()
    sign_in(client, "admin@demo.example", DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


@pytest.mark.usefixtures("demo")
def test_each_charters_staff_act_in_their_own_charter_only(db):
    charters = {charter.slug: charter for charter in db.session.scalars(select(Charter))}
    for email, _, role, _, slug in OTHER_STAFF:
        user = db.session.scalar(select(User).where(User.email == email))
        for other in charters.values():
            expected = {role} if other.slug == slug else set()
            assert set(staff.roles_in(user, other.id)) == expected, (email, other.slug)
        assert not user.service_admin
    shropshire_admin = db.session.scalar(select(User).where(User.email == "admin@demo.example"))
    assert staff.roles_in(shropshire_admin, charters["worcestershire"].id) == set()


CW = "cheshire-west-and-chester"


@pytest.mark.usefixtures("demo")
def test_the_charters_share_a_commissioner_a_contract_and_their_own_assessors_plans(app, db):
    """West Mercia Police takes part in Shropshire's and Worcestershire's charters, and its
    contract with Severn Valley Builders counts in both; Cheshire West's assessor approved a
    plan under its charter, and Worcestershire's has one waiting."""
    from charter.models import Commissioner, Contract
    from charter.services.domain import charter_commissioners

    police = db.session.scalar(
        select(Commissioner).where(Commissioner.name == "West Mercia Police")
    )
    for slug, takes_part in (("shropshire", True), ("worcestershire", True), (CW, False)):
        charter = db.session.scalar(select(Charter).where(Charter.slug == slug))
        assert (police.id in charter_commissioners.taking_part(charter.id)) is takes_part, slug
    contract = db.session.scalar(select(Contract).where(Contract.reference == "WMP-2026-031"))
    assert contract.confirmation_status == "confirmed"
    from charter.models import ActionPlan

    waiting = db.session.scalar(
        select(ActionPlan)
        .join(Signing, Signing.id == ActionPlan.signing_id)
        .join(Charter, Charter.id == Signing.charter_id)
        .where(Charter.slug == "worcestershire", ActionPlan.status == "submitted")
    )
    link = f"/assessor/plans/{waiting.id}"
    client = app.test_client()
    sign_in(client, "assessor@worcestershire.demo.example", DEMO_PASSWORD)
    assert link in client.get("/assessor/").get_data(as_text=True)
    assert client.get(link).status_code == 200
    client = app.test_client()
    sign_in(client, "assessor1@demo.example", DEMO_PASSWORD)
    assert link not in client.get("/assessor/").get_data(as_text=True)
    assert client.get(link).status_code == 404


def test_demo_organisations_have_valid_postcodes_and_identifiers():
    records = demo_organisations()
    assert len({r["name"] for r in records}) == len(records)
    for record in records:
        assert normalise_postcode(record["postcode"]) == record["postcode"], record["name"]
        assert record["postcode"][:2] in ("SY", "TF", "WV"), record["name"]
        assert record["journey"] in JOURNEYS, record["name"]
        if record["id"]:
            scheme, _, identifier = record["id"].rpartition("-")
            assert normalise_identifier(scheme, identifier) == identifier, record["name"]
        else:
            assert record["no_identifier_reason"], record["name"]


def test_demo_organisations_past_submission_have_real_action_plans(db, demo):
    """Each plan waiting for review has a target per core measure of its own scheme, or, under
    a scheme with none (the other charters'), at least one."""
    from charter.models import ActionPlan, Measure, PlanTarget

    waiting = db.session.execute(
        select(Organisation, Signing.id)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .where(Signing.status == "plan_submitted")
    ).all()
    assert waiting
    for organisation, signing_id in waiting:
        plan = db.session.scalar(
            select(ActionPlan)
            .where(ActionPlan.signing_id == signing_id)
            .order_by(ActionPlan.revision.desc())
        )
        assert plan is not None and plan.status == "submitted", organisation.name
        core_measures = db.session.scalar(
            select(func.count())
            .select_from(Measure)
            .where(Measure.scheme_id == plan.scheme_id, Measure.is_core.is_(True))
        )
        targets = db.session.scalars(select(PlanTarget).where(PlanTarget.plan_id == plan.id)).all()
        assert len(targets) == (core_measures or 1), organisation.name
        assert all(t.target_value >= t.baseline for t in targets)
    approved = db.session.scalar(
        select(func.count()).select_from(ActionPlan).where(ActionPlan.status == "approved")
    )
    assert approved > 0


def _organisations_with(db, trigger: str) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.id.in_(
                    select(AuditEvent.organisation_id).where(AuditEvent.trigger == trigger)
                )
            )
            .order_by(Organisation.name)
        )
    )


@pytest.mark.usefixtures("demo")
def test_applications_follow_the_audit_trail(db):
    for organisation in _organisations_with(db, "apply_for_mark"):
        applications = db.session.scalars(
            select(Application).where(Application.organisation_id == organisation.id)
        ).all()
        applied = db.session.scalar(
            select(func.count()).where(
                AuditEvent.organisation_id == organisation.id,
                AuditEvent.trigger.in_(("apply_for_mark", "apply_for_renewal")),
            )
        )
        assert len(applications) == applied, organisation.name
        first = min(applications, key=lambda a: a.submitted_at)
        assert len(first.snapshot["verified_returns"]) >= 2 and first.snapshot["contracts"]
    requested = db.session.scalars(
        select(Application).where(Application.status == "information_requested")
    ).all()
    assert requested
    for application in requested:
        request = db.session.scalar(
            select(InformationRequest).where(InformationRequest.application_id == application.id)
        )
        reason = db.session.scalar(
            select(AuditEvent.reason).where(
                AuditEvent.organisation_id == application.organisation_id,
                AuditEvent.trigger == "request_information",
            )
        )
        assert request.questions == reason and request.answer is None
    refused = db.session.scalar(select(Application).where(Application.status == "refused"))
    assert refused.rationale.startswith("LE8 not met")


def test_demo_data_prints_what_it_made_and_the_certificates(demo, db):
    assert "9 commissioners" in demo.output and "Charter Marks" in demo.output
    for number in db.session.scalars(select(CharterMark.certificate_number)):
        assert number in demo.output
