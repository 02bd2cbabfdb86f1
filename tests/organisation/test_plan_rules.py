"""Plan targets go the way their measure should move, and targets and milestones fall within
the plan's term (issue 18), through the plan pages: refused with the message on the field and
nothing saved, or accepted at the edges; a backwards target the measure allows needs a reason,
which the assessor sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from charter.extensions import db
from charter.formatting import format_date
from charter.models import Measure, PlanMilestone, PlanTarget
from charter.services.domain import periods, plans
from tests.factories import submit
from tests.organisation.plan_helpers import (
    fill_target,
    make_signatory,
    plan_url,
    plans_of,
    start_plan,
)

# A first plan's term: today to the end of plan year 3 counted from today.
TERM_END = periods.plan_term(None, date.today()).end
TERM_MESSAGE = f"must be on or before {format_date(TERM_END)}, when your action plan ends"


def _boxes(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def drafting(member_client, organisation, scheme):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    return organisation


def _make_lower_is_better(scheme, code: str) -> None:
    db.session.execute(
        update(Measure)
        .where(Measure.scheme_id == scheme.id, Measure.code == code)
        .values(better="lower")
    )
    db.session.commit()


REFUSED = [
    pytest.param(
        "LE1",
        {"baseline": "50000", "target_value": "2000"},
        "The target must be the same as or higher than the baseline, because a higher figure "
        "is better for LE1",
        id="spend-going-down",
    ),
    pytest.param(
        "LE8",
        {"baseline": "80", "target_value": "79.9"},
        "The target must be the same as or higher than the baseline",
        id="a-tenth-of-a-point-backwards",
    ),
    pytest.param(
        "LE4",
        {"baseline": "50", "target_value": "2", "backwards_reason": "  "},
        "Enter why the target is lower than the baseline",
        id="allowed-backwards-without-a-reason",
    ),
    pytest.param(
        "LE1",
        {"target_date": _boxes(TERM_END + timedelta(days=1))},
        f"The target date {TERM_MESSAGE}",
        id="target-a-day-after-the-term",
    ),
    pytest.param(
        "LE1",
        {"target_date": ["1", "1", "2199"]},
        f"The target date {TERM_MESSAGE}",
        id="target-in-2199",
    ),
]


@pytest.mark.parametrize(("code", "changes", "message"), REFUSED)
def test_a_target_breaking_a_rule_is_refused_and_nothing_saved(
    member_client, drafting, code, changes, message
):
    response = fill_target(member_client, drafting, code, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html and "<title>Error: " in html
    assert _count(PlanTarget) == 0


ACCEPTED = [
    pytest.param("LE1", {"baseline": "50", "target_value": "50"}, None, id="same-as-baseline"),
    pytest.param("LE1", {"target_date": _boxes(TERM_END)}, None, id="last-day-of-the-term"),
    pytest.param(
        "LE4",
        {"baseline": "50", "target_value": "2", "backwards_reason": "Our contract ends in May."},
        "Our contract ends in May.",
        id="allowed-backwards-with-a-reason",
    ),
    pytest.param(
        "LE4",
        {"baseline": "2", "target_value": "5", "backwards_reason": "Not needed"},
        None,
        id="a-reason-for-a-forward-target-is-not-kept",
    ),
]


@pytest.mark.parametrize(("code", "changes", "reason"), ACCEPTED)
def test_a_target_within_the_rules_is_saved(member_client, drafting, code, changes, reason):
    response = fill_target(member_client, drafting, code, **changes)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert db.session.scalar(select(PlanTarget.backwards_reason)) == reason


def test_a_measure_where_lower_is_better_refuses_a_higher_target(member_client, drafting, scheme):
    _make_lower_is_better(scheme, "LE1")
    response = fill_target(member_client, drafting, "LE1", baseline="10", target_value="11")
    assert (
        "The target must be the same as or lower than the baseline, because a lower figure is "
        "better for LE1"
    ) in response.get_data(as_text=True)
    response = fill_target(member_client, drafting, "LE1", baseline="10", target_value="9")
    assert response.status_code == 302


def test_the_assessor_sees_the_reason_for_a_backwards_target(
    member_client, assessor_client, drafting
):
    fill_target(
        member_client,
        drafting,
        "LE4",
        baseline="50",
        target_value="40",
        backwards_reason="Contract with the council ends in May.",
    )
    check = member_client.get(plan_url(drafting, "/check-your-answers")).get_data(as_text=True)
    assert "Contract with the council ends in May." in check
    [plan] = plans_of(drafting)
    page = assessor_client.get(f"/assessor/plans/{plan.id}").get_data(as_text=True)
    assert "Why the target goes this way" in page
    assert "Contract with the council ends in May." in page


@pytest.mark.parametrize(
    ("due", "accepted"),
    [
        pytest.param(TERM_END, True, id="last-day-of-the-term"),
        pytest.param(TERM_END + timedelta(days=1), False, id="a-day-after-the-term"),
        pytest.param(date(2199, 1, 1), False, id="2199"),
    ],
)
def test_milestones_fall_within_the_plan_term(member_client, drafting, due, accepted):
    response = submit(
        member_client,
        plan_url(drafting, "/milestones/add"),
        {"title": "Local supplier event held", "due_date": _boxes(due)},
    )
    if accepted:
        assert response.status_code == 302
        assert _count(PlanMilestone) == 1
    else:
        assert f"The milestone date {TERM_MESSAGE}" in response.get_data(as_text=True)
        assert _count(PlanMilestone) == 0


def test_the_service_refuses_what_the_form_would(drafting, scheme):
    [plan] = plans_of(drafting)
    measure = db.session.scalar(select(Measure).where(Measure.code == "LE1"))
    with pytest.raises(plans.TransitionRefused):
        plans.add_milestone(plan, "Event", date(2199, 1, 1))
    with pytest.raises(plans.TransitionRefused):
        plans.save_target(
            plan,
            measure,
            baseline=50,
            target_value=2,
            target_date=date.today() + timedelta(days=30),
            approach="x",
        )
