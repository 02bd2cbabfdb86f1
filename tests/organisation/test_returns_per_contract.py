"""Per-contract return lines through HTTP: a figure for each contract active in the period and
one not on a listed contract, the total derived, evidence per figure, and what check your
answers and the assessor show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Commissioner, Contract, ContractFigure, EvidenceLink
from tests.factories import make_commissioner, make_contract, submit
from tests.organisation.return_helpers import (
    add_link,
    line_of,
    line_url,
    open_returns,
    return_url,
    send,
)

NARRATIVE = "Bought from local suppliers on each contract."


@pytest.fixture
def contracts(organisation):
    council = make_commissioner("Shropshire Council")
    nhs = make_commissioner("Shropshire NHS Trust")
    return {
        "roads": make_contract(
            organisation, council, title="Road gritting", confirmation_status="confirmed"
        ),
        "meals": make_contract(organisation, nhs, title="Hospital meals"),
        "old": make_contract(
            organisation,
            council,
            title="Old library refit",
            start_date=date(2019, 1, 1),
            end_date=date(2020, 12, 31),
        ),
    }


def _post(client, organisation, monitoring_return, contracts, **figures):
    data = {"narrative": NARRATIVE}
    data.update({f"figure_{contracts[k].id}": v for k, v in figures.items() if k != "none"})
    if "none" in figures:
        data["figure_none"] = figures["none"]
    return submit(client, line_url(organisation, monitoring_return, "LE1"), data)


def _figures(line) -> dict:
    return {
        f.contract_id: f.value
        for f in db.session.scalars(
            select(ContractFigure).where(ContractFigure.return_line_id == line.id)
        )
    }


def test_the_page_lists_active_contracts_with_their_confirmation_and_the_total_is_derived(
    member_client, organisation, scheme, contracts
):
    first, _ = open_returns(organisation, scheme)
    page = member_client.get(line_url(organisation, first, "LE1")).get_data(as_text=True)
    assert "Road gritting" in page and "Confirmed by the commissioner" in page
    assert "Hospital meals" in page and "Waiting for the commissioner" in page
    assert "Old library refit" not in page  # its dates do not overlap the period
    assert 'name="actual_value"' not in page  # the total is never typed

    response = _post(
        member_client, organisation, first, contracts, roads="£1,234", meals="1,234.50", none="100"
    )
    assert response.status_code == 302
    line = line_of(first, "LE1")
    assert line.actual_value == Decimal("2568.50")
    assert _figures(line) == {
        contracts["roads"].id: Decimal("1234.00"),
        contracts["meals"].id: Decimal("1234.50"),
        None: Decimal("100.00"),
    }

    # Changing one figure changes the total in the same save.
    _post(member_client, organisation, first, contracts, roads="0", meals="1,234.50", none="")
    line = line_of(first, "LE1")
    assert line.actual_value == Decimal("1234.50")
    assert _figures(line)[None] is None

    check = member_client.get(return_url(organisation, first, "/check-your-answers"))
    html = check.get_data(as_text=True)
    assert "Figures by contract" in html and "Hospital meals" in html
    assert "£1,234.50" in html and "Not endorsed" in html and "Total:" in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1,2,3", "Enter the figure for Road gritting as an amount in pounds, like 1,250.50"),
        ("١٢٣", "Enter the figure for Road gritting as an amount in pounds, like 1,250.50"),
        ("12.3.4", "Enter the figure for Road gritting as an amount in pounds, like 1,250.50"),
        ("1,23", "Enter the figure for Road gritting as an amount in pounds, like 1,250.50"),
        ("-5", "The figure for Road gritting must be 0 or more"),
        ("", "Enter the figure for Road gritting, or 0 if there was none"),
    ],
)
def test_ambiguous_or_missing_figures_are_refused_and_nothing_saved(
    member_client, organisation, scheme, contracts, value, message
):
    first, _ = open_returns(organisation, scheme)
    response = _post(member_client, organisation, first, contracts, roads=value, meals="10")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and "Error:" in html
    line = line_of(first, "LE1")
    assert line.actual_value is None and line.narrative is None and _figures(line) == {}


def test_a_contract_of_another_period_or_organisation_cannot_be_given_a_figure(
    member_client, organisation, scheme, contracts
):
    first, _ = open_returns(organisation, scheme)
    response = submit(
        member_client,
        line_url(organisation, first, "LE1"),
        {
            "narrative": NARRATIVE,
            f"figure_{contracts['roads'].id}": "5",
            f"figure_{contracts['meals'].id}": "5",
            f"figure_{contracts['old'].id}": "999",
        },
    )
    assert response.status_code == 302
    assert contracts["old"].id not in _figures(line_of(first, "LE1"))
    assert line_of(first, "LE1").actual_value == 10


def test_evidence_can_back_one_contract_figure(member_client, organisation, scheme, contracts):
    first, _ = open_returns(organisation, scheme)
    page = member_client.get(line_url(organisation, first, "LE1")).get_data(as_text=True)
    assert "The measure as a whole" in page
    response = add_link(
        member_client, organisation, first, "LE1", figure=str(contracts["meals"].id)
    )
    assert response.status_code == 302
    link = db.session.scalar(select(EvidenceLink))
    figure = db.session.get(ContractFigure, link.contract_figure_id)
    assert figure.contract_id == contracts["meals"].id and figure.value is None
    page = member_client.get(line_url(organisation, first, "LE1")).get_data(as_text=True)
    assert "For: Hospital meals (Shropshire NHS Trust)" in page

    # A figure that is not one of the line's rows: a clear message, nothing added.
    for bad in (str(contracts["old"].id), "999999999999", "x"):
        refused = add_link(member_client, organisation, first, "LE1", figure=bad)
        assert refused.status_code == 200
        assert "Select the contract this evidence is for, from the list" in refused.get_data(
            as_text=True
        )
    assert db.session.scalar(select(func.count()).select_from(EvidenceLink)) == 1


def test_a_return_cannot_be_sent_until_each_active_contract_has_a_figure(
    member_client, organisation, scheme, contracts
):
    first, _ = open_returns(organisation, scheme)
    _post(member_client, organisation, first, contracts, roads="10", meals="20")
    # A contract recorded since the line was saved also needs its figure.
    council = db.session.get(Commissioner, contracts["roads"].commissioner_id)
    late = make_contract(organisation, council, title="Bridge repairs")
    html = member_client.get(return_url(organisation, first, "/check-your-answers")).get_data(
        as_text=True
    )
    assert "enter a figure for Bridge repairs (0 if there was none)" in html
    response = send(member_client, organisation, first)
    assert response.status_code == 409
    assert late.id not in _figures(line_of(first, "LE1"))


def test_changing_an_endorsed_figure_needs_endorsing_again(
    member_client, organisation, scheme, contracts
):
    first, _ = open_returns(organisation, scheme)
    _post(member_client, organisation, first, contracts, roads="10", meals="20")
    for figure in db.session.scalars(select(ContractFigure)):
        figure.endorsement_status = "endorsed"
    db.session.commit()
    _post(member_client, organisation, first, contracts, roads="10", meals="25")
    states = {
        f.contract_id: f.endorsement_status for f in db.session.scalars(select(ContractFigure))
    }
    assert states == {contracts["roads"].id: "endorsed", contracts["meals"].id: "not_endorsed"}


def test_the_assessor_sees_the_breakdown_and_each_endorsement(
    assessor_client, organisation, scheme, contracts
):
    first, _ = open_returns(organisation, scheme)
    line = line_of(first, "LE1")
    db.session.add_all(
        [
            ContractFigure(
                return_line_id=line.id,
                contract_id=contracts["roads"].id,
                value=Decimal("1500"),
                endorsement_status="endorsed",
            ),
            ContractFigure(
                return_line_id=line.id,
                contract_id=contracts["meals"].id,
                value=Decimal("700"),
                endorsement_status="queried",
                query_comment="Our records say £650.",
            ),
        ]
    )
    line.actual_value = Decimal("2200")
    first.status = "submitted"
    db.session.commit()
    html = assessor_client.get(f"/assessor/returns/{first.id}").get_data(as_text=True)
    assert "Actual, by contract" in html
    assert "Road gritting" in html and "Endorsed by the commissioner" in html
    assert "Queried by the commissioner" in html and "Our records say £650." in html
    assert "£2,200" in html


def test_a_contract_with_figures_cannot_be_removed(member_client, organisation, scheme, contracts):
    first, _ = open_returns(organisation, scheme)
    _post(member_client, organisation, first, contracts, roads="10", meals="20")
    url = f"/organisations/{organisation.slug}/contracts/{contracts['meals'].id}/remove"
    response = submit(member_client, url, {})
    assert response.status_code == 409
    assert "your monitoring returns give figures for it" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contract, contracts["meals"].id) is not None


def test_return_pages_query_counts_do_not_grow_with_contracts(
    member_client, assessor_client, member, scheme, query_counter
):
    from tests.factories import make_organisation

    council = make_commissioner("Telford & Wrekin Council")
    counts = {}
    for size, contract_count in (("small", 1), ("large", 5)):
        organisation = make_organisation(owner=member, scheme=scheme)
        first, _ = open_returns(organisation, scheme)
        made = {
            f"c{n}": make_contract(organisation, council, title=f"Contract {n}")
            for n in range(contract_count)
        }
        _post(member_client, organisation, first, made, **{k: "10" for k in made})
        pages = {
            "line": (member_client, line_url(organisation, first, "LE1")),
            "check": (member_client, return_url(organisation, first, "/check-your-answers")),
            "show": (member_client, return_url(organisation, first)),
            "review": (assessor_client, f"/assessor/returns/{first.id}"),
        }
        for name, (client, url) in pages.items():
            db.session.expire_all()
            with query_counter() as counter:
                assert client.get(url).status_code == 200
            counts[(name, size)] = counter.value
    for name in ("line", "check", "show", "review"):
        assert counts[(name, "small")] == counts[(name, "large")], (name, counts)


def test_figures_whose_total_the_column_cannot_hold_are_refused_not_a_server_error(
    member_client, organisation, scheme, contracts
):
    """Two figures of £999,999,999,999.99 each are in range, but their total is not: on
    PostgreSQL it overflowed the line's Numeric(14, 2) column with a 500."""
    first, _ = open_returns(organisation, scheme)
    most = "999,999,999,999.99"
    response = _post(member_client, organisation, first, contracts, roads=most, meals=most)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Error:" in html
    assert "The total for LE1 would be £1,999,999,999,999.98, more than the" in html
    line = line_of(first, "LE1")
    assert line.actual_value is None and _figures(line) == {}
