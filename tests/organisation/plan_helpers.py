"""Shared steps for the action plan tests: an organisation ready to plan, filled targets."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from charter.extensions import db
from charter.models import ActionPlan, Measure
from charter.services.domain.signings import signing_of
from tests.factories import submit

NEXT_YEAR = str(date.today().year + 1)


def make_signatory(organisation, route: str = "working_towards"):
    organisation.status = "signatory"
    signing_of(organisation).route = route
    db.session.commit()
    return organisation


def plan_url(organisation, rest: str = "") -> str:
    return f"/organisations/{organisation.slug}/action-plan{rest}"


def core_codes(scheme) -> list[str]:
    return list(
        db.session.scalars(
            select(Measure.code)
            .where(Measure.scheme_id == scheme.id, Measure.is_core.is_(True))
            .order_by(Measure.position)
        )
    )


def target_data(**changes) -> dict:
    data = {
        "baseline": "10",
        "target_value": "50",
        "target_date": ["31", "3", NEXT_YEAR],
        "approach": "Buy from local suppliers through our framework.",
    }
    data.update(changes)
    return data


def start_plan(client, organisation):
    response = submit(client, plan_url(organisation, "/start"), form_url=plan_url(organisation))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def fill_target(client, organisation, code: str, **changes):
    return submit(client, plan_url(organisation, f"/measures/{code}"), target_data(**changes))


def fill_core_targets(client, organisation, scheme) -> None:
    for code in core_codes(scheme):
        response = fill_target(client, organisation, code)
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def submit_plan(client, organisation):
    return submit(client, plan_url(organisation, "/check-your-answers"))


def plans_of(organisation) -> list[ActionPlan]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ActionPlan)
            .where(ActionPlan.organisation_id == organisation.id)
            .order_by(ActionPlan.revision)
        )
    )
