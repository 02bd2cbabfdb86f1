"""The dashboard's progress chart, its table, social value in pounds and the checklist."""

from decimal import Decimal

import pytest

from tests.factories import make_approved_plan, make_organisation, make_return, sign_in


def _monitoring_organisation(member, scheme):
    org = make_organisation(owner=member, scheme=scheme, status="monitoring")
    measures = make_approved_plan(org, scheme, {"LE1": (10_000, 50_000), "LE8": (70, 90)})
    return org, measures


@pytest.mark.usefixtures("on_fixture_day")
def test_progress_shows_the_same_figures_in_the_chart_and_the_table(client, member, scheme):
    org, measures = _monitoring_organisation(member, scheme)
    make_return(org, measures, 1, {"LE1": 20_000, "LE8": 85})
    make_return(org, measures, 2, {"LE1": 35_000, "LE8": 92})
    make_return(org, measures, 3, {"LE1": 1_000_000, "LE8": 0}, status="submitted")
    sign_in(client, member.email)

    html = client.get(f"/organisations/{org.slug}").get_data(as_text=True)

    assert "Progress against your action plan" in html
    chart = html[html.index('<figure class="app-progress-chart') : html.index("</figure>")]
    rows = chart.split('<li class="app-progress-chart__row">')[1:]
    assert [row[row.index("__label") :].split("<")[0].split(">")[1] for row in rows] == [
        "LE1",
        "LE8",
    ]
    assert '110%<span class="govuk-visually-hidden"> of target</span>' in rows[0]
    assert '102%<span class="govuk-visually-hidden"> of target</span>' in rows[1]
    assert '<rect width="100%" height="100%" fill="#00703c">' in rows[0]  # met; stops at target
    assert "£55,000" in html  # cumulative, unverified return left out
    assert "92%" in html  # latest verified, not a sum
    assert "What you still need for the Charter Mark" in html
    assert "0 recorded" in html and "2 verified" in html


def test_no_progress_section_before_a_plan_is_approved(member_client, organisation):
    html = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Progress against your action plan" not in html
    assert "What you still need for the Charter Mark" not in html


def test_dashboard_queries_do_not_grow_with_the_number_of_returns(
    client, member, scheme, query_counter
):
    org, measures = _monitoring_organisation(member, scheme)
    sign_in(client, member.email)
    make_return(org, measures, 1, {"LE1": 1, "LE8": 1})
    with query_counter() as few:
        assert client.get(f"/organisations/{org.slug}").status_code == 200
    for quarter in (2, 3, 4):
        make_return(org, measures, quarter, {"LE1": 1, "LE8": 1})
    with query_counter() as many:
        assert client.get(f"/organisations/{org.slug}").status_code == 200
    assert many.value == few.value


@pytest.mark.usefixtures("on_fixture_day")
def test_social_value_in_pounds_uses_only_the_scheme_s_proxy_values(db, client, member, scheme):
    org, measures = _monitoring_organisation(member, scheme)
    make_return(org, measures, 1, {"LE1": 20_000, "LE8": 85})
    sign_in(client, member.email)

    before = client.get(f"/organisations/{org.slug}").get_data(as_text=True)
    assert "The scheme has not set proxy values" in before

    measures["LE1"].proxy_value = Decimal("0.25")
    db.session.commit()
    html = client.get(f"/organisations/{org.slug}").get_data(as_text=True)
    assert "£0.25 per pound" in html
    assert "£5,000" in html  # 20,000 × 0.25
    assert "£5,000</strong>" in html  # the total: LE8 has no proxy and adds nothing
