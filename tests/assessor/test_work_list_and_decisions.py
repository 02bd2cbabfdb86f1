"""What assessors saw wrong (issue 11, items 7 and 8): a withdrawn organisation's plan listed as
waiting, a search that did not narrow applications, an Award button the rule forbade, and
accept/query radio groups without a legend."""

from __future__ import annotations

import re
from datetime import timedelta

from charter.extensions import db
from charter.models import ActionPlan, MeasureJudgement
from charter.models.assessment import Application
from charter.models.base import utcnow
from tests.factories import make_application, make_organisation, signing_id_for
from tests.organisation.application_helpers import ready_to_apply
from tests.organisation.return_helpers import complete, open_returns, returns_of, send


def _plan_waiting(scheme, name: str, status: str) -> ActionPlan:
    organisation = make_organisation(scheme=scheme, name=name, status=status)
    plan = ActionPlan(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        scheme_id=scheme.id,
        revision=1,
        status="submitted",
        submitted_at=utcnow() - timedelta(days=3),
    )
    db.session.add(plan)
    db.session.commit()
    return plan


def _application(scheme, name: str, district: str = "Shrewsbury") -> Application:
    """An organisation under assessment that applied with an approved plan and verified returns."""
    organisation = make_organisation(scheme=scheme, name=name, district=district)
    ready_to_apply(organisation, scheme)
    application = make_application(organisation, scheme)
    db.session.commit()
    return application


def test_a_withdrawn_organisation_s_plan_is_not_waiting(assessor_client, scheme):
    _plan_waiting(scheme, "Still Here Ltd", "plan_submitted")
    gone = _plan_waiting(scheme, "Gone Away Ltd", "withdrawn")
    page = assessor_client.get("/assessor/").get_data(as_text=True)
    assert "Still Here Ltd" in page and "1 plan waiting" in page
    assert "Gone Away Ltd" not in page
    assert assessor_client.get(f"/assessor/plans/{gone.id}").status_code == 200  # still readable


def test_the_search_and_district_narrow_applications_too(assessor_client, scheme):
    _application(scheme, "Alpha Builders Ltd")
    _application(scheme, "Beta Bakers Ltd", district="Oswestry")
    everything = assessor_client.get("/assessor/").get_data(as_text=True)
    assert "Alpha Builders Ltd" in everything and "Beta Bakers Ltd" in everything

    by_name = assessor_client.get("/assessor/?q=alpha").get_data(as_text=True)
    assert "Alpha Builders Ltd" in by_name and "Beta Bakers Ltd" not in by_name
    assert "1 Charter Mark application waiting" in by_name
    by_district = assessor_client.get("/assessor/?district=Oswestry").get_data(as_text=True)
    assert "Beta Bakers Ltd" in by_district and "Alpha Builders Ltd" not in by_district
    nothing = assessor_client.get("/assessor/?q=zzz").get_data(as_text=True)
    assert "No Charter Mark applications match." in nothing


def _decision_area(page: str) -> str:
    return page[page.index('id="decision"') :]


def test_no_award_button_while_the_award_rule_does_not_hold(assessor_client, scheme):
    application = _application(scheme, "Unjudged Ltd")
    area = _decision_area(
        assessor_client.get(f"/assessor/applications/{application.id}").get_data(as_text=True)
    )
    assert "Award the Charter Mark" not in area
    assert "/award" not in area
    assert "You cannot award the Charter Mark: the award rule does not hold" in area
    assert 'href="#award-rule"' in area
    assert f"/assessor/applications/{application.id}/information-request" in area
    assert f"/assessor/applications/{application.id}/refusal" in area


def test_the_award_button_once_the_rule_holds(assessor_client, scheme):
    application = _application(scheme, "All Met Ltd")
    for target in application.snapshot["targets"]:
        db.session.add(
            MeasureJudgement(
                application_id=application.id,
                measure_id=target["measure_id"],
                verdict="met",
                comment="Evidence fits",
            )
        )
    db.session.commit()
    area = _decision_area(
        assessor_client.get(f"/assessor/applications/{application.id}").get_data(as_text=True)
    )
    assert f"/assessor/applications/{application.id}/award" in area
    assert "Award the Charter Mark" in area
    assert "the award rule does not hold" not in area


def test_each_accept_or_query_group_has_a_legend(
    member_client, assessor_client, organisation, scheme
):
    first, _ = open_returns(organisation, scheme)
    complete(member_client, organisation, first, scheme)
    assert send(member_client, organisation, returns_of(organisation)[0]).status_code == 302

    page = assessor_client.get(f"/assessor/returns/{first.id}").get_data(as_text=True)
    legends = re.findall(r'<legend class="govuk-fieldset__legend[^"]*">\s*(.*?)\s*</legend>', page)
    decisions = [text for text in legends if text.startswith("Your decision on ")]
    assert decisions and all(re.fullmatch(r"Your decision on LE\d+", t) for t in decisions)
    assert page.count('type="radio"') == 2 * len(decisions)
