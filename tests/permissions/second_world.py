"""The permission matrix's second charter (issue 20): its staff, and an organisation that signed
it alone, with a plan, a return, an application, a Charter Mark, an audit, an appeal and a
contract, so that each route opened with the second charter's rows has a row to show.

The home organisation's owner and contributor hold the same places in this organisation, so
the members' outcomes are the same in both charters and only the staff's move: each charter's
staff see their own charter's rows and are told nothing of the other's
(matrix_helpers.on_second_charters_rows). Its contract is with the home organisation's
commissioner (a contract manager sees their commissioner's contracts whatever the charter); the
commissioner the second charter's administrators manage takes part in that charter only.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    Appeal,
    Charter,
    Commissioner,
    ContractCommitment,
    Measure,
    Membership,
    User,
)
from charter.models.duties import AUDIT_REFERRED, MarkAudit
from charter.models.organisation import CONTRIBUTOR
from charter.models.plan import ActionPlan, PlanMilestone
from workflows.states import ACCREDITED

SECOND_SLUG = "second-charter-builders-ltd"


def second_charter() -> tuple[Charter, object]:
    """A second charter (Shropshire's scheme file under Worcestershire's name), its scheme."""
    from charter.services.domain.schemes import load_scheme_text
    from tests.public.charter_helpers import second_charter_text

    scheme = load_scheme_text(second_charter_text()).scheme
    db.session.commit()
    return db.session.get(Charter, scheme.charter_id), scheme


def staff_of_both(charter: Charter) -> dict[str, User]:
    """The second charter's administrator and assessor, the default charter's administrator
    who is not a service administrator, and a service administrator with no charter role."""
    from tests.factories import make_user

    users = {
        "charter_admin": make_user("lead@shropshire.example", role="administrator"),
        "other_admin": make_user(
            "lead@worcestershire.example", role="administrator", charter=charter
        ),
        "other_assessor": make_user(
            "assessor@worcestershire.example", role="assessor", charter=charter
        ),
        "service_admin": make_user("operator@service.example"),
    }
    users["service_admin"].service_admin = True
    db.session.commit()
    return users


def second_charters_rows(users: dict, charter: Charter, scheme, shared: Commissioner) -> dict:
    """The organisation of the second charter and its rows; the ids its addresses need
    (the rest as the home organisation's: world_helpers._params)."""
    from tests.factories import (
        make_approved_plan,
        make_commissioner,
        make_contract,
        make_mark,
        make_organisation,
        make_return,
    )

    organisation = make_organisation(
        owner=users["member"],
        scheme=scheme,
        name="Second Charter Builders Ltd",
        slug=SECOND_SLUG,
        status=ACCREDITED,
    )
    db.session.add(
        Membership(
            user_id=users["contributor"].id, organisation_id=organisation.id, role=CONTRIBUTOR
        )
    )
    measures = make_approved_plan(organisation, scheme, {"LE1": ("10", "20")})
    plan = db.session.scalar(
        select(ActionPlan).where(ActionPlan.organisation_id == organisation.id)
    )
    db.session.add(PlanMilestone(plan_id=plan.id, title="Local supplier day", due_date=_day()))
    make_return(organisation, measures, 1, {"LE1": "12"}, status="submitted")
    mark = make_mark(organisation, scheme)
    contract = make_contract(organisation, shared, title="Second charter depot")
    db.session.add(
        ContractCommitment(
            contract_id=contract.id, measure_id=measures["LE1"].id, target_value=Decimal(5)
        )
    )
    audit = MarkAudit(
        organisation_id=organisation.id,
        signing_id=mark.signing_id,
        year=2000,
        certificate_number=mark.certificate_number,
        assessor_id=users["other_assessor"].id,
        status=AUDIT_REFERRED,
        requested_line_ids=[],
        request_text="Invoices behind the local spend figure",
    )
    appeal = Appeal(
        application_id=mark.application_id,
        organisation_id=organisation.id,
        grounds="The assessor did not read our evidence for LE1.",
    )
    db.session.add_all([audit, appeal])
    db.session.commit()
    own = make_commissioner("Second Charter District Council", charter=charter)
    return {
        "organisation": organisation,
        "commissioner": own,
        "ids": {
            "appeal_id": appeal.id,
            "audit_id": audit.id,
            "measure_id": db.session.scalar(
                select(Measure.id).where(Measure.scheme_id == scheme.id, Measure.code == "LE1")
            ),
            "charter_slug": charter.slug,
            "charter_id": charter.id,
        },
    }


def _day():
    from datetime import date, timedelta

    return date.today() + timedelta(days=90)
