"""A pledge's frequency decides when its figures are due (issue 21), through HTTP on
Worcestershire's real toolkit (quarterly returns): a pledge reported quarterly is asked for in
every return, one reported once a year only in the return of the year's last quarter, covering
the whole year, and the pages say so; a plan's measure the organisation did not pledge is in
every return, as before. The contract page dates each pledge's next figure. Bad figures on a
year's line are refused with a message and change nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import Charter, Contract, MonitoringReturn
from charter.models.base import utcnow
from charter.services.domain import periods
from tests.client_request import ClientRequest
from tests.factories import give_role, make_contract, make_user
from tests.organisation.pledge_helpers import (
    WORCESTERSHIRE,
    load_worcestershire,
    monitor,
    worcestershire_council,
    worcestershire_supplier,
)
from tests.organisation.return_helpers import line_of

PLEDGES = (
    ("CD2", {"number_0": "4", "frequency": "quarterly"}),
    ("EE1", {"number_0": "30", "frequency": "annually"}),
    ("DI2", {"frequency": "annually"}),
    ("DI3", {"number_0": "6", "frequency": "annually"}),
)
YEARLY = ("DI2", "DI3", "EE1")


@pytest.fixture
def worcestershire(app, scheme):
    return load_worcestershire()


@pytest.fixture
def supplier(client_request, worcestershire):
    owner = make_user(email="owner@supplier.example")
    organisation = worcestershire_supplier(owner, worcestershire)
    client_request.sign_in(owner)
    return organisation


@pytest.fixture
def contract(client_request, supplier, worcestershire):
    """A contract running for years either side of today, with four pledges made through the
    pages: a count quarterly, a percentage, an achievement and a pair once a year."""
    county = worcestershire_council(worcestershire)
    today = date.today()
    contract = make_contract(
        supplier,
        county,
        title="Highways maintenance",
        start_date=today - timedelta(days=900),
        end_date=today + timedelta(days=400),
    )
    for code, data in PLEDGES:
        client_request.post(
            "organisation.make_pledge",
            slug=supplier.slug,
            contract_id=contract.id,
            measure_code=code,
            charter=WORCESTERSHIRE,
            _data=data,
        )
    return contract


@pytest.fixture
def returns(client_request, supplier, worcestershire, contract):
    """Monitoring since a plan (naming CD1, not pledged) approved 15 months ago: at least one
    year's last quarter has ended since. The returns page opens the returns."""
    monitor(supplier, worcestershire, ("CD1",), decided_at=utcnow() - timedelta(days=460))
    client_request.get("organisation.list_returns", slug=supplier.slug, charter=WORCESTERSHIRE)
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(MonitoringReturn)
            .where(MonitoringReturn.organisation_id == supplier.id)
            .order_by(MonitoringReturn.period_start)
        )
    )


def codes(monitoring_return) -> list[str]:
    asked = ("CD1", "CD2", "CD3", "DI2", "DI3", "EE1")
    return [code for code in asked if line_of(monitoring_return, code) is not None]


def year_end(returns) -> MonitoringReturn:
    return next(r for r in returns if r.period_end.month == 12)


def test_a_yearly_pledge_is_asked_for_in_the_years_last_return_only(returns):
    assert len(returns) >= 5
    for monitoring_return in returns:
        if monitoring_return.period_end.month == 12:
            assert codes(monitoring_return) == ["CD1", "CD2", "DI2", "DI3", "EE1"]
        else:
            assert codes(monitoring_return) == ["CD1", "CD2"]
    last = year_end(returns)
    january = date(last.period_end.year, 1, 1)
    for code in YEARLY:
        assert line_of(last, code).covers_start == january
    assert line_of(last, "CD2").covers_start is None  # its quarter, as the return's
    assert line_of(last, "CD1").covers_start is None
    # Due with the return that holds it: the quarter's end and the scheme's 30 days.
    assert last.due_date == periods.due_date(last.period_end, 30)


def test_the_pages_say_what_period_a_yearly_figure_covers(client_request, supplier, returns):
    last = year_end(returns)
    year = f"1 January to 31 December {last.period_end.year}"
    where = {"slug": supplier.slug, "return_id": last.id, "charter": WORCESTERSHIRE}
    page = client_request.get("organisation.edit_return_line", measure_code="EE1", **where)
    assert f"This figure covers {year}, not only this return’s period" in page.select_one(
        "#covers"
    ).get_text(" ", strip=True)
    quarterly = client_request.get("organisation.edit_return_line", measure_code="CD2", **where)
    assert quarterly.select_one("#covers") is None
    shown = client_request.get("organisation.show_return", **where).get_text(" ", strip=True)
    assert shown.count(f"Covers {year}.") == len(YEARLY)
    check = client_request.get("organisation.check_return", **where)
    assert f"Period the figure covers {year}" in " ".join(check.get_text(" ", strip=True).split())


def test_the_contract_page_dates_each_pledges_next_figure(client_request, supplier, contract):
    page = client_request.get(
        "organisation.show_contract",
        slug=supplier.slug,
        contract_id=contract.id,
        charter=WORCESTERSHIRE,
    )
    text = " ".join(page.get_text(" ", strip=True).split())
    today = date.today()
    quarter = periods.period_containing(today, 3)
    year = periods.period_containing(today, 12)
    due_quarter = periods.due_date(quarter.end, 30)
    due_year = periods.due_date(year.end, 30)
    assert f"Next figure: {quarter.label}, due by {due_quarter.day} " in text
    assert f"Next figure: {year.label}, due by {due_year.day} " in text


def _future() -> list[str]:
    day = date.today() + timedelta(days=1)
    return [str(day.day), str(day.month), str(day.year)]


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        ("EE1", {"actual_value": "100.5"}, "must be 100% or less"),
        ("EE1", {"actual_value": "-3"}, "must be 0 or more"),
        ("CD2", {"figure_CONTRACT": "-1"}, "must be 0 or more"),
        ("DI2", {"achieved": "yes", "achieved_on": "FUTURE"}, "must be today or in the past"),
        (
            "DI3",
            {"actual_value": "4"},
            "Enter the figure for ‘Staff with flexible working arrangements’",
        ),
        ("DI3", {"actual_value": "4", "second_value": "101"}, "must be 100% or less"),
        ("DI3", {"actual_value": "-4", "second_value": "10"}, "must be 0 or more"),
    ],
)
def test_bad_figures_on_a_years_line_are_refused_and_nothing_changes(
    client_request, supplier, returns, code, data, message
):
    last = year_end(returns)
    contract = db.session.scalar(select(Contract))
    data = {
        k.replace("CONTRACT", str(contract.id)): (_future() if v == "FUTURE" else v)
        for k, v in data.items()
    }
    page = client_request.post(
        "organisation.edit_return_line",
        slug=supplier.slug,
        return_id=last.id,
        measure_code=code,
        charter=WORCESTERSHIRE,
        _data={**data, "narrative": "Done."},
        _expected_status=200,
    )
    assert any(message in error for error in client_request.error_summary(page)), (
        client_request.error_summary(page)
    )
    line = line_of(last, code)
    assert (line.actual_value, line.second_value, line.achieved, line.narrative) == (
        None,
        None,
        None,
        None,
    )


def test_the_assessor_sees_what_period_a_yearly_figure_covers(
    app, supplier, returns, assessor, worcestershire
):
    last = year_end(returns)
    last.status = "submitted"
    last.submitted_at = utcnow()
    give_role(assessor, "assessor", db.session.get(Charter, worcestershire.charter_id))
    db.session.commit()
    client_request = ClientRequest(app.test_client())
    client_request.sign_in(assessor)
    page = client_request.get("assessor.review_return", return_id=last.id, charter=WORCESTERSHIRE)
    cards = {
        card.select_one(".govuk-summary-card__title").get_text(" ", strip=True).split(":")[0]: (
            client_request.summary_list(card)
        )
        for card in page.select(".govuk-summary-card")
    }
    year = f"1 January to 31 December {last.period_end.year}"
    for code in YEARLY:
        assert cards[code]["Period the figure covers"].startswith(year)
    assert "Period the figure covers" not in cards["CD2"]
