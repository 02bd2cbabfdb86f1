"""What a supplier's pledges delivered, on its dashboard and its contract page (issue 21),
through HTTP on Worcestershire's real toolkit: a pair shows both figures with their labels (per
contract, or the whole organisation's where the scheme reports it so), an achievement the date
it was achieved, and only verified figures count."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from charter.services.domain import periods
from charter.services.read_models import commitments
from tests.factories import make_contract, make_user
from tests.organisation.pledge_helpers import (
    WORCESTERSHIRE,
    load_worcestershire,
    returned,
    worcestershire_council,
    worcestershire_supplier,
)

PLEDGES = (
    ("EE3", {"number_0": "2", "frequency": "quarterly"}),
    ("DI2", {"frequency": "annually"}),
    ("DI3", {"number_0": "6", "frequency": "annually"}),
)
ACHIEVED_ON = date.today() - timedelta(days=200)


@pytest.fixture
def supplier(client_request, app, scheme):
    worcestershire = load_worcestershire()
    owner = make_user(email="owner@supplier.example")
    organisation = worcestershire_supplier(owner, worcestershire, status="monitoring")
    client_request.sign_in(owner)
    return organisation, worcestershire


@pytest.fixture
def contract(client_request, supplier):
    organisation, worcestershire = supplier
    county = worcestershire_council(worcestershire)
    contract = make_contract(
        organisation,
        county,
        title="Library services",
        start_date=date.today() - timedelta(days=700),
        end_date=date.today() + timedelta(days=300),
    )
    for code, data in PLEDGES:
        client_request.post(
            "organisation.make_pledge",
            slug=organisation.slug,
            contract_id=contract.id,
            measure_code=code,
            charter=WORCESTERSHIRE,
            _data=data,
        )
    return contract


def test_pledges_show_both_figures_and_achievements_once_verified(
    client_request, supplier, contract
):
    organisation, worcestershire = supplier
    for days_ago in (400, 300):
        returned(
            organisation,
            worcestershire,
            contract,
            days_ago,
            "verified",
            {
                "EE3": {
                    "actual_value": Decimal(2),
                    "second_value": Decimal(40),
                    "contract": (Decimal(2), Decimal(40)),
                },
                "DI3": {"actual_value": Decimal(5), "second_value": Decimal("62.5")},
            },
        )
    returned(
        organisation,
        worcestershire,
        contract,
        180,
        "verified",
        {"DI2": {"achieved": True, "achieved_on": ACHIEVED_ON}},
    )
    # Sent, not verified: nothing of it counts.
    returned(
        organisation,
        worcestershire,
        contract,
        90,
        "submitted",
        {
            "EE3": {
                "actual_value": Decimal(9),
                "second_value": Decimal(900),
                "contract": (Decimal(9), Decimal(900)),
            },
            "DI3": {"actual_value": Decimal(50), "second_value": Decimal(1)},
        },
    )
    for page in (
        client_request.get(
            "organisation.show_dashboard", slug=organisation.slug, charter=WORCESTERSHIRE
        ),
        client_request.get(
            "organisation.show_contract",
            slug=organisation.slug,
            contract_id=contract.id,
            charter=WORCESTERSHIRE,
        ),
    ):
        rows = {
            row.select_one("th").get_text(" ", strip=True).split()[0]: " ".join(
                row.select_one("[data-label='Delivered to date']").get_text(" ", strip=True).split()
            )
            for row in page.select(".app-commitments tbody tr")
        }
        assert rows["EE3"].startswith(
            "Events hosted: 4 Total attendance from local businesses: 80 from 2 verified periods"
        )
        assert rows["DI3"].startswith(
            "Carers identified: 10 Staff with flexible working arrangements: 62.5%"
        )
        assert "the whole organisation’s figures" in rows["DI3"]
        assert rows["DI2"].startswith(f"Achieved on {ACHIEVED_ON.day} ")
        assert "verified" in rows["DI2"]


def test_an_achievement_not_yet_verified_is_not_shown_as_achieved(
    client_request, supplier, contract
):
    organisation, worcestershire = supplier
    returned(
        organisation,
        worcestershire,
        contract,
        100,
        "submitted",
        {"DI2": {"achieved": True, "achieved_on": ACHIEVED_ON}},
    )
    page = client_request.get(
        "organisation.show_contract",
        slug=organisation.slug,
        contract_id=contract.id,
        charter=WORCESTERSHIRE,
    )
    text = " ".join(page.select_one(".app-commitments").get_text(" ", strip=True).split())
    assert "Not yet achieved" in text
    assert "Achieved on" not in text


def test_a_yearly_pledges_per_contract_figure_is_dated_by_the_year_it_covers(
    client_request, supplier, contract
):
    """A per-contract pledge reported once a year is in the return of the year's last quarter
    and covers the whole year (ReturnLine.covers_start): what it delivered is dated January to
    December, not October to December (pledge_periods.covers_start)."""
    organisation, worcestershire = supplier
    client_request.post(
        "organisation.make_pledge",
        slug=organisation.slug,
        contract_id=contract.id,
        measure_code="CD2",
        charter=WORCESTERSHIRE,
        _data={"number_0": "4", "frequency": "annually"},
    )
    year = date.today().year - 1
    days_ago = (date.today() - date(year, 11, 15)).days
    returned(
        organisation,
        worcestershire,
        contract,
        days_ago,
        "verified",
        {
            "CD2": {
                "actual_value": Decimal(3),
                "covers_start": date(year, 1, 1),
                "contract": (Decimal(3), None),
            }
        },
    )
    report = commitments.for_contract(contract)
    (row,) = [r for r in report.contracts[0].rows if r.measure.code == "CD2"]
    assert row.delivered == 3
    assert row.latest == periods.Period(date(year, 1, 1), date(year, 12, 31))
