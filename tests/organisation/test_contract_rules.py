"""The scheme's [contracts] rules through the contract pages (issue 18): dates in a window
(not before 1 January 2000, ending at most 15 years from today), the end after the start, a
value of at least £1 and under £10bn; each refusal names the field and saves nothing, and the
edge cases just inside are accepted. The service checks the same rules for any other caller."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from charter.formatting import format_date
from charter.models import Contract
from charter.services.domain import contracts
from charter.services.domain.periods import add_years
from tests.factories import make_contract, submit
from tests.organisation.contract_helpers import (
    change_data,
    contract_data,
    contracts_url,
    row_count,
)

LATEST = add_years(date.today(), 15)
LATEST_MESSAGE = f"The end date must be on or before {format_date(LATEST)}"
START_MESSAGE = "The start date must be on or after 1 January 2000"
CEILING_MESSAGE = "The contract value must be less than £10,000,000,000"


def _boxes(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


REFUSED = [
    pytest.param({"start_date": ["31", "12", "1999"]}, START_MESSAGE, id="start-1999"),
    pytest.param(
        {"start_date": ["1", "1", "1900"], "end_date": ["1", "1", "1901"]},
        START_MESSAGE,
        id="1900",
    ),
    pytest.param(
        {"start_date": ["1", "1", "2099"], "end_date": ["1", "1", "2100"]},
        LATEST_MESSAGE,
        id="2099-to-2100",
    ),
    pytest.param(
        {"end_date": _boxes(LATEST + timedelta(days=1))}, LATEST_MESSAGE, id="a-day-too-late"
    ),
    pytest.param(
        {"start_date": ["1", "4", "2027"], "end_date": ["1", "4", "2026"]},
        "The end date must be after the start date",
        id="end-before-start",
    ),
    pytest.param({"value": "0.99"}, "The contract value must be £1 or more", id="99p"),
    pytest.param({"value": "0.01"}, "The contract value must be £1 or more", id="a-penny"),
    pytest.param({"value": "-1"}, "The contract value must be £1 or more", id="negative"),
    pytest.param({"value": "10,000,000,000"}, CEILING_MESSAGE, id="the-ceiling"),
    pytest.param({"value": "999,999,999,999.99"}, CEILING_MESSAGE, id="column-maximum"),
    pytest.param({"value": "9" * 40}, CEILING_MESSAGE, id="forty-digits"),
    pytest.param(
        {"title": "\u200b"},
        "Enter a contract title with at least 2 letters or numbers",
        id="invisible",
    ),
]


@pytest.mark.parametrize(("changes", "message"), REFUSED)
def test_a_contract_outside_the_rules_is_refused_and_nothing_saved(
    member_client, signed, council, changes, message
):
    response = submit(
        member_client, contracts_url(signed, "/new"), contract_data(council, **changes)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html and "<title>Error: " in html
    assert member_client.get(contracts_url(signed, "/new/check-your-answers")).status_code == 302
    assert row_count(Contract) == 0


ACCEPTED = [
    pytest.param({"start_date": ["1", "1", "2000"]}, id="first-day-of-the-window"),
    pytest.param({"end_date": _boxes(LATEST)}, id="last-day-of-the-window"),
    pytest.param({"value": "1"}, id="one-pound"),
    pytest.param({"value": "£9,999,999,999.99"}, id="a-penny-under-the-ceiling"),
]


@pytest.mark.parametrize("changes", ACCEPTED)
def test_a_contract_at_the_edge_of_the_rules_is_accepted(member_client, signed, council, changes):
    response = submit(
        member_client, contracts_url(signed, "/new"), contract_data(council, **changes)
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    submit(member_client, contracts_url(signed, "/new/check-your-answers"))
    assert row_count(Contract) == 1


def test_a_change_outside_the_rules_is_refused_and_nothing_changed(member_client, signed, council):
    contract = make_contract(signed, council, title="Kept")
    response = submit(
        member_client,
        contracts_url(signed, f"/{contract.id}/edit"),
        change_data(contract, council, start_date=["1", "1", "1900"]),
    )
    assert START_MESSAGE in response.get_data(as_text=True)
    assert contracts.contracts_of(signed)[0].contract.title == "Kept"


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"start_date": date(1900, 1, 1), "end_date": date(1901, 1, 1)}, "start_date"),
        ({"start_date": date(2099, 1, 1), "end_date": date(2100, 1, 1)}, "end_date"),
        ({"value": Decimal("0.01")}, "value"),
    ],
)
def test_the_service_refuses_what_the_form_would(signed, council, member, terms, field):
    values = {
        "commissioner": council,
        "title": "Highways",
        "reference": None,
        "value": Decimal(1000),
        "start_date": date(2026, 4, 1),
        "end_date": date(2027, 3, 31),
    } | terms
    with pytest.raises(contracts.ContractRefused) as refused:
        contracts.add_contract(signed, member, **values)
    assert refused.value.field == field


def test_the_service_refuses_an_invisible_title(signed, council, member):
    with pytest.raises(contracts.ContractRefused) as refused:
        contracts.add_contract(
            signed,
            member,
            commissioner=council,
            title="\u200b\u2066",
            reference=None,
            value=Decimal(1000),
            start_date=date(2026, 4, 1),
            end_date=date(2027, 3, 31),
        )
    assert refused.value.field == "title"
    with pytest.raises(contracts.ContractRefused):
        contracts.add_commissioner("\ufeff-", None)
