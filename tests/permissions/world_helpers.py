"""The world the permission matrix runs in: the demo data, one client per role, real ids.

The demo data (charter/demo) has organisations in every state with plans, contracts, returns
with evidence, applications and Charter Marks, so each URL can be filled with ids that exist:
a 404 in the matrix then means "refused", not "there was nothing there".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    Appeal,
    Application,
    AwardedSupplier,
    BuyerIdentifier,
    Charter,
    CharterMark,
    Commissioner,
    CommitmentAlternative,
    Contract,
    ContractCommitment,
    ContractFigure,
    ContractManager,
    EvidenceFile,
    EvidenceLink,
    Invitation,
    Measure,
    Membership,
    MonitoringReturn,
    Organisation,
    OutboxEmail,
    PlanMilestone,
    ReturnLine,
    User,
)
from charter.models.duties import AUDIT_DOCUMENTS_REQUESTED, MarkAudit
from charter.models.organisation import CONTRIBUTOR, OWNER
from charter.models.plan import ActionPlan
from tests.factories import signing_id_for
from tests.permissions.second_world import second_charter, second_charters_rows, staff_of_both

# The organisation the members act for: a Charter Mark holder, so every page has something.
HOME_SLUG = "severn-valley-builders-ltd"
OTHER_SLUG = "marches-digital-ltd"


@dataclass
class World:
    users: dict[str, User | None]
    params: dict[str, str]
    # The same addresses with the second charter's rows (second_world.py).
    second_params: dict[str, str] | None = None


def build_world(app: Flask) -> World:
    from charter.demo.builder import load_demo_data
    from charter.services.domain.schemes import load_scheme_file

    scheme = load_scheme_file(app.config["DEFAULT_SCHEME_FILE"]).scheme
    db.session.commit()
    with app.test_request_context():
        load_demo_data(scheme)
    db.session.commit()

    home = _organisation(HOME_SLUG)
    other = _organisation(OTHER_SLUG)
    owner = _member(home, OWNER)
    contributor = _member(home, CONTRIBUTOR) or _add_member(home, "contributor@home.example")
    manager_user = _user("manager@commissioner.example", "Connie Contract-Manager")
    # The manager manages the commissioner of the home organisation's first contract, so the
    # commissioner's pages for that contract are theirs (and nobody else's).
    commissioner = db.session.scalar(
        select(Commissioner)
        .join(Contract, Contract.commissioner_id == Commissioner.id)
        .where(Contract.organisation_id == home.id)
        .order_by(Contract.id)
        .limit(1)
    ) or db.session.scalar(select(Commissioner).order_by(Commissioner.id))
    db.session.add(ContractManager(commissioner_id=commissioner.id, user_id=manager_user.id))
    _appeal_if_none(other)
    assessor = db.session.scalar(select(User).where(User.email == "assessor1@demo.example"))
    _audit_if_none(home, assessor)
    _alternative(home, owner)
    db.session.commit()
    charter, second_scheme = second_charter()
    users = {
        "anonymous": None,
        "member": owner,
        "other_member": _member(other, OWNER),
        "contributor": contributor,
        "assessor": assessor,
        "admin": db.session.scalar(select(User).where(User.email == "admin@demo.example")),
        "contract_manager": manager_user,
        **staff_of_both(charter),
    }
    second = second_charters_rows(users, charter, second_scheme, commissioner)
    second_params = _params(second["organisation"], second["commissioner"])
    second_params.update({name: str(value) for name, value in second["ids"].items()})
    return World(users=users, params=_params(home, commissioner), second_params=second_params)


# Organisations in different states, so that between them every form is on some page.
STATE_SLUGS = (
    "ironbridge-heritage-crafts-cic",  # registered
    "stiperstones-training-trust",  # signatory
    "whitchurch-dairy-supplies-ltd",  # action plan waiting for review
    "ludlow-larder-catering-ltd",  # monitoring
    "marches-digital-ltd",  # under assessment
    "bridgnorth-cliff-engineering-ltd",  # information requested
    "severn-valley-builders-ltd",  # Charter Mark holder
    "oswestry-border-logistics-ltd",  # renewal due
)


def worlds_by_state(world: World) -> list[World]:
    """The world once per organisation in STATE_SLUGS: its owner as "member", its ids."""
    commissioner = db.session.scalar(select(Commissioner).order_by(Commissioner.id))
    worlds = []
    for slug in STATE_SLUGS:
        organisation = _organisation(slug)
        users = dict(world.users, member=_member(organisation, OWNER))
        worlds.append(World(users=users, params=_params(organisation, commissioner)))
    return worlds


def _appeal_if_none(organisation: Organisation) -> None:
    """The demo data has no appeal; the appeal pages need one to show."""
    if db.session.scalar(select(Appeal.id).limit(1)) is not None:
        return
    application_id = db.session.scalar(
        select(Application.id).where(Application.organisation_id == organisation.id).limit(1)
    ) or db.session.scalar(select(Application.id).limit(1))
    application = db.session.get(Application, application_id)
    db.session.add(
        Appeal(
            application_id=application.id,
            organisation_id=application.organisation_id,
            grounds="The assessor did not read our evidence for LE3.",
        )
    )


def _alternative(organisation: Organisation, owner: User) -> None:
    """An alternative commitment proposed on the home organisation's first contract: the demo
    data has none, and the contract manager's pages for one need it."""
    commitment = db.session.scalar(
        select(ContractCommitment)
        .join(Contract, Contract.id == ContractCommitment.contract_id)
        .where(Contract.organisation_id == organisation.id)
        .order_by(Contract.id, ContractCommitment.id)
        .limit(1)
    )
    db.session.add(
        CommitmentAlternative(
            contract_id=commitment.contract_id,
            original_id=commitment.id,
            measure_id=commitment.measure_id,
            target_value=(commitment.target_value or 0) + 1,
            reason="The supplier chain changed.",
            proposed_by_id=owner.id,
        )
    )


def _audit_if_none(organisation: Organisation, assessor: User) -> None:
    """The home organisation drawn for audit, assigned to the matrix's assessor, documents
    asked for: the audit pages of staff and of the organisation then all have a row to show."""
    if db.session.scalar(select(MarkAudit.id).where(MarkAudit.organisation_id == organisation.id)):
        return
    mark = db.session.scalar(
        select(CharterMark).where(CharterMark.organisation_id == organisation.id).limit(1)
    )
    line_id = db.session.scalar(
        select(ReturnLine.id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(MonitoringReturn.organisation_id == organisation.id)
        .order_by(ReturnLine.id)
        .limit(1)
    )
    db.session.add(
        MarkAudit(
            organisation_id=organisation.id,
            signing_id=signing_id_for(organisation.id),
            year=2000,  # a year no demo draw uses
            certificate_number=mark.certificate_number,
            assessor_id=assessor.id,
            status=AUDIT_DOCUMENTS_REQUESTED,
            requested_line_ids=[line_id],
            request_text="Invoices behind the local spend figure",
        )
    )


def _organisation(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    assert organisation is not None, f"the demo data has no {slug}"
    return organisation


def _member(organisation: Organisation, role: str) -> User | None:
    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id, Membership.role == role)
    )


def _user(email: str, name: str) -> User:
    from tests.factories import make_user

    return make_user(email=email, full_name=name)


def _add_member(organisation: Organisation, email: str) -> User:
    user = _user(email, "Colin Contributor")
    db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=CONTRIBUTOR))
    db.session.commit()
    return user


def _first(statement) -> int:
    value = db.session.scalar(statement.limit(1))
    return 0 if value is None else value


def _params(home: Organisation, commissioner: Commissioner) -> dict[str, str]:
    """A value for every URL variable, taken from the home organisation where it has one."""
    returns = select(MonitoringReturn.id).where(MonitoringReturn.organisation_id == home.id)
    return_id = _first(returns.order_by(MonitoringReturn.id.desc()))
    lines = select(ReturnLine.id).where(ReturnLine.return_id == return_id)
    application_id = _first(
        select(Application.id)
        .where(Application.organisation_id == home.id)
        .order_by(Application.id.desc())
    )
    mark = db.session.scalar(
        select(CharterMark).where(CharterMark.organisation_id == home.id).limit(1)
    )
    contract_id = _first(
        select(Contract.id).where(Contract.organisation_id == home.id).order_by(Contract.id)
    )
    plan_id = _first(
        select(ActionPlan.id)
        .where(ActionPlan.organisation_id == home.id)
        .order_by(ActionPlan.id.desc())
    )
    values = {
        "slug": home.slug,
        "measure_code": "LE1",
        "measure_id": _first(select(Measure.id).where(Measure.code == "LE1")),
        "return_id": return_id,
        "evidence_id": _first(
            select(EvidenceFile.id).where(EvidenceFile.organisation_id == home.id)
        ),
        "line_id": _first(lines.order_by(ReturnLine.id)),
        "link_id": _first(select(EvidenceLink.id).where(EvidenceLink.return_line_id.in_(lines))),
        "contract_id": contract_id,
        "commitment_id": _first(
            select(ContractCommitment.id).where(ContractCommitment.contract_id == contract_id)
        ),
        "alternative_id": _first(
            select(CommitmentAlternative.id).where(CommitmentAlternative.contract_id == contract_id)
        ),
        "milestone_id": _first(select(PlanMilestone.id).where(PlanMilestone.plan_id == plan_id)),
        "membership_id": _first(
            select(Membership.id).where(
                Membership.organisation_id == home.id, Membership.role == CONTRIBUTOR
            )
        ),
        "invitation_id": _first(select(Invitation.id).where(Invitation.organisation_id == home.id)),
        "application_id": application_id,
        "plan_id": plan_id,
        "appeal_id": _first(select(Appeal.id)),
        "user_id": _first(select(User.id).where(User.email == "assessor2@demo.example")),
        "commissioner_id": commissioner.id,
        "email_id": _first(select(OutboxEmail.id)),
        "certificate_number": mark.certificate_number if mark else "CM-00000000",
        "number": mark.certificate_number if mark else "CM-00000000",
        "figure_id": _first(
            select(ContractFigure.id)
            .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
            .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
            .where(
                MonitoringReturn.organisation_id == home.id,
                ContractFigure.contract_id == contract_id,
            )
            .order_by(ContractFigure.id)
        ),
        "audit_id": _first(
            select(MarkAudit.id).order_by(
                (MarkAudit.organisation_id == home.id).desc(), MarkAudit.id
            )
        ),
        "identifier_id": _first(
            select(BuyerIdentifier.id).where(BuyerIdentifier.commissioner_id == commissioner.id)
        ),
        "proposal_id": _first(
            select(AwardedSupplier.id).where(AwardedSupplier.organisation_id == home.id)
        ),
        "manager_id": _first(
            select(ContractManager.id).where(ContractManager.commissioner_id == commissioner.id)
        ),
        # The default charter's public pages (/c/<charter_slug>/...).
        "charter_slug": _first(select(Charter.slug).order_by(Charter.id)),
        "charter_id": _first(select(Charter.id).order_by(Charter.id)),
        "token": "not-a-real-token",
        "filename": "js/init.js",
        "anything": "no-such-thing",
    }
    return {name: str(value) for name, value in values.items()}


_VARIABLE = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")


def url_for_rule(rule, params: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda match: params[match.group(1)], rule.rule)


def client_for(app: Flask, user: User | None):
    """A test client signed in as ``user`` (the session Flask-Login would make), or not."""
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            session["session_generation"] = user.session_generation
    return client


def outcome(response) -> str:
    if response.status_code == 503 and response.request.path == "/readyz":
        return "unavailable"
    if response.status_code >= 500:
        return "error"
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.location or ""
        if "/sign-in" in location:
            return "sign_in"
        if "/confirm-your-email-address" in location:
            return "unconfirmed"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code == 404:
        return "not_found"
    return "ok"
