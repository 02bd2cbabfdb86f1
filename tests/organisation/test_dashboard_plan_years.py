"""The dashboard's progress through HTTP: an annual flow target per plan year, the window of
every figure named, and the next plan year starting from zero."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from charter.formatting import format_period
from charter.services.domain.periods import add_years
from tests.factories import make_approved_plan, make_return


def _plan_with_two_quarters(organisation, scheme, days_ago: int) -> date:
    """LE1 target £100,000 a year; £60,000 verified in each of two quarters of plan year 1."""
    organisation.status = "monitoring"
    approved = date.today() - timedelta(days=days_ago)
    measures = make_approved_plan(
        organisation,
        scheme,
        {"LE1": (0, 100_000)},
        decided_at=datetime.combine(approved, time(9)),
    )
    for first in (0, 90):
        start = approved + timedelta(days=first)
        make_return(
            organisation, measures, 0, {"LE1": 60_000}, period=(start, start + timedelta(days=89))
        )
    return approved


def test_two_quarters_of_60k_show_120k_of_an_annual_100k_for_the_plan_year(
    member_client, organisation, scheme
):
    approved = _plan_with_two_quarters(organisation, scheme, days_ago=200)
    year_end = add_years(approved, 1) - timedelta(days=1)
    page = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    row = page.split('<th scope="row" class="govuk-table__header">LE1', 1)[1].split("</tr>", 1)[0]
    assert "£100,000" in row and "a year, each plan year" in row
    assert "£120,000" in row and "(2 verified periods)" in row
    assert f"in the plan year {format_period(approved, year_end)}" in row
    assert "Met" in row


def test_the_next_plan_year_starts_from_zero_and_the_last_is_shown_apart(
    member_client, organisation, scheme
):
    approved = _plan_with_two_quarters(organisation, scheme, days_ago=400)
    second = add_years(approved, 1)
    page = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    row = page.split('<th scope="row" class="govuk-table__header">LE1', 1)[1].split("</tr>", 1)[0]
    assert "£0" in row and "(0 verified periods)" in row
    assert (
        f"in the plan year {format_period(second, add_years(second, 1) - timedelta(days=1))}" in row
    )
    # Still counted as met, saying where: the plan year just ended.
    assert f"in the plan year {format_period(approved, second - timedelta(days=1))}" in row
    earlier = page.split("Earlier plan years", 1)[1].split("</table>", 1)[0]
    assert "£120,000 of £100,000" in earlier and "Met" in earlier
