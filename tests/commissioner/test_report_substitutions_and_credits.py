"""The contract managers' report shows what was substituted and credited per contract (issue 21,
Cheshire West and Chester's Social Value Policy: "reports show committed, delivered,
substituted and credited"), through HTTP, on the page and in its CSV and Excel downloads: an
accepted alternative with the commitment it replaced, both on the record with the values the
decision was made on (the proxy values in force), and each service credit with its amount,
reason and period. Only the manager's own commissioner's contracts; the period filter takes an
alternative by the day it was accepted and a credit by the end of the period it is for."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from charter.extensions import db
from charter.models import (
    CharterCommissioner,
    CommitmentAlternative,
    Contract,
    ContractCommitment,
    ServiceCredit,
)
from tests.client_request import ClientRequest
from tests.commissioner.monitoring_helpers import make_manager, measures_by_code
from tests.commissioner.social_value_helpers import load_cheshire_west
from tests.factories import make_commissioner, make_contract, make_organisation

CONFIRMED = {"confirmation_status": "confirmed", "value": "150000"}
MANAGER = "cara@cheshirewestandchester.example"


def commitments(contract, measures, **targets) -> dict[str, ContractCommitment]:
    made = {
        code: ContractCommitment(
            contract_id=contract.id, measure_id=measures[code].id, target_value=Decimal(target)
        )
        for code, target in targets.items()
    }
    db.session.add_all(made.values())
    db.session.commit()
    return made


def substitute(contract, original, measure, target: str, values: tuple[str, str], on: date):
    """An alternative accepted on ``on``, as commitment_alternatives.accept leaves it."""
    decided = datetime(on.year, on.month, on.day, 11)
    replacement = ContractCommitment(
        contract_id=contract.id,
        measure_id=measure.id,
        target_value=Decimal(target),
        replaces_id=original.id,
    )
    db.session.add(replacement)
    db.session.flush()
    original.substituted_at = decided
    db.session.add(
        CommitmentAlternative(
            contract_id=contract.id,
            original_id=original.id,
            measure_id=measure.id,
            target_value=Decimal(target),
            reason="No apprentice vacancies this year",
            status="accepted",
            decided_at=decided,
            original_value=Decimal(values[0]),
            alternative_value=Decimal(values[1]),
            substitute_id=replacement.id,
        )
    )
    db.session.commit()


def credit(contract, amount: str, reason: str, start: date, end: date) -> None:
    db.session.add(
        ServiceCredit(
            contract_id=contract.id,
            amount=Decimal(amount),
            reason=reason,
            period_start=start,
            period_end=end,
        )
    )
    db.session.commit()


@pytest.fixture
def world(app, client_request):
    scheme = load_cheshire_west()
    measures = measures_by_code(scheme)
    council = make_commissioner("Cheshire West and Chester Council")
    other = make_commissioner("Wirral Council")
    supplier = make_organisation(scheme=scheme, status="monitoring", name="Deeside Works")
    highways = make_contract(supplier, council, title="Highways", reference="CW-HIG", **CONFIRMED)
    libraries = make_contract(supplier, council, title="Libraries", **CONFIRMED)
    theirs = make_contract(supplier, other, title="Wirral ferries", **CONFIRMED)
    made = commitments(highways, measures, CW1="20", CW3="5")
    commitments(libraries, measures, CW3="2")
    substitute(highways, made["CW1"], measures["CW2"], "40", ("2000", "2000"), date(2026, 5, 10))
    credit(highways, "1500.50", "Placements not delivered", date(2026, 4, 1), date(2026, 6, 30))
    credit(libraries, "250", "No placement in the summer", date(2026, 7, 1), date(2026, 9, 30))
    credit(theirs, "999", "Another council's credit", date(2026, 4, 1), date(2026, 6, 30))
    client_request.sign_in(make_manager(council, MANAGER))
    return client_request


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def _rows(page, table: str) -> list[dict[str, str]]:
    """The rows of table ``#<table>-table``, each cell by its data-label (the row's heading by
    "Contract"; a cell with no label, empty, left out)."""
    return [
        {
            cell.get("data-label", "Contract"): _text(cell)
            for cell in row.select("th, td")
            if cell.name == "th" or cell.get("data-label")
        }
        for row in page.select(f"#{table}-table tbody tr")
    ]


def test_the_page_shows_the_substitution_with_both_commitments_and_each_credit(world):
    page = world.get("commissioner.show_report")
    (swap,) = _rows(page, "substituted")
    assert swap["Contract"].startswith("Highways Deeside Works, CW-HIG")
    assert swap["Commitment replaced"].startswith("CW1")
    assert "20" in swap["Commitment replaced"] and "£2,000" in swap["Commitment replaced"]
    assert swap["Alternative accepted"].startswith("CW2")
    assert "40" in swap["Alternative accepted"] and "£2,000" in swap["Alternative accepted"]
    assert swap["Accepted on"] == "10 May 2026"
    assert "No apprentice vacancies this year" in swap["Reason"]
    credits = _rows(page, "credits")
    assert [(r["Contract"].split()[0], r["Amount"]) for r in credits] == [
        ("Highways", "£1,500.50"),
        ("Libraries", "£250"),
        ("Total,", "£1,750.50"),
    ]
    assert credits[0]["Reason"] == "Placements not delivered"
    assert credits[0]["Period"] == "1 April to 30 June 2026"
    text = _text(page)
    assert "Wirral" not in text and "£999" not in text
    # The original is no longer owed, the alternative is: the measure tables say so.
    assert page.select_one("#measure-CW2") and not page.select_one("#measure-CW1")


@pytest.mark.parametrize(
    ("period", "substituted", "credited"),
    [
        ("2026-Q2", ["Highways"], ["Highways", "Total,"]),  # April to June 2026
        ("2026-Q3", [], ["Libraries", "Total,"]),
        ("2026-27", ["Highways"], ["Highways", "Libraries", "Total,"]),
        ("2025-26", [], []),
    ],
)
def test_the_period_filter_takes_an_acceptance_by_its_day_and_a_credit_by_its_period(
    world, period, substituted, credited
):
    page = world.get("commissioner.show_report", _query={"period": period})
    assert [r["Contract"].split()[0] for r in _rows(page, "substituted")] == substituted
    assert [r["Contract"].split()[0] for r in _rows(page, "credits")] == credited
    text = _text(page)
    if not substituted:
        assert "No alternative commitments were accepted on these contracts in this period" in text
        assert "the commitment it replaced and the alternative, with what each is worth" in text
    if not credited:
        assert "No service credits were recorded against these contracts for this period" in text
        assert "its amount, reason and the period it is for" in text


def test_the_contract_filter_narrows_both(world):
    libraries = next(
        o["value"]
        for o in world.get("commissioner.show_report").select("#contract option")
        if o.get_text().startswith("Libraries")
    )
    page = world.get("commissioner.show_report", _query={"contract": libraries})
    assert _rows(page, "substituted") == []
    assert [r["Contract"].split()[0] for r in _rows(page, "credits")] == ["Libraries", "Total,"]


@pytest.mark.parametrize(("measure", "substituted"), [("CW1", 1), ("CW2", 1), ("CW3", 0)])
def test_the_measure_filter_takes_either_side_of_a_substitution_and_every_credit(
    world, measure, substituted
):
    page = world.get("commissioner.show_report", _query={"measure": measure})
    assert len(_rows(page, "substituted")) == substituted
    assert len(_rows(page, "credits")) == 3  # a credit is against the contract: two and a total
    assert "whatever the measure: a credit is against the contract" in _text(page)


def test_the_csv_downloads_give_substitutions_and_credits(world):
    client = world.client
    response = client.get("/commissioner/report.csv?table=substituted&period=2026-27")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "substituted" in response.headers["Content-Disposition"]
    (row,) = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert row["Contract"] == "Highways" and row["Supplier"] == "Deeside Works"
    assert (row["Replaced measure"], row["Replaced target"], row["Replaced value (£)"]) == (
        "CW1", "20.00", "2000.0000"
    )  # fmt: skip
    assert (row["Alternative measure"], row["Alternative target"]) == ("CW2", "40.00")
    assert row["Alternative value (£)"] == "2000.0000"
    assert row["Accepted on"] == "2026-05-10"
    assert row["Reason"] == "No apprentice vacancies this year"

    response = client.get("/commissioner/report.csv?table=credits")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["Contract"], r["Amount (£)"], r["Period from"], r["Period to"]) for r in rows] == [
        ("Highways", "1500.50", "2026-04-01", "2026-06-30"),
        ("Libraries", "250.00", "2026-07-01", "2026-09-30"),
    ]
    assert rows[0]["Reason"] == "Placements not delivered"
    # The commitments table is still the default.
    default = client.get("/commissioner/report.csv").get_data(as_text=True)
    assert default.startswith("Period,Measure,")


def test_a_table_the_report_has_not_is_refused(world):
    response = world.client.get("/commissioner/report.csv?table=figures")
    assert response.status_code == 400
    assert "Choose a table from the list" in response.get_data(as_text=True)


def test_the_workbook_has_a_sheet_each(world):
    response = world.client.get("/commissioner/report.xlsx?period=2026-27")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[-2:] == ["Substituted commitments", "Service credits"]
    substituted = list(book["Substituted commitments"].values)
    headings = substituted[0]
    (row,) = [dict(zip(headings, r, strict=True)) for r in substituted[1:]]
    assert row["Replaced target"] == 20 and row["Alternative value (£)"] == 2000
    credits = list(book["Service credits"].values)
    amounts = [dict(zip(credits[0], r, strict=True))["Amount (£)"] for r in credits[1:]]
    assert amounts == [1500.5, 250]
    about = dict(list(book["About"].values)[1:])
    assert "Sheet Service credits" in about


def test_an_empty_report_says_what_would_appear(app, client_request):
    scheme = load_cheshire_west()
    council = make_commissioner("Cheshire West and Chester Council")
    supplier = make_organisation(scheme=scheme, status="monitoring", name="Deeside Works")
    contract = make_contract(supplier, council, title="Highways", **CONFIRMED)
    commitments(contract, measures_by_code(scheme), CW3="5")
    client_request.sign_in(make_manager(council, MANAGER))
    text = _text(client_request.get("commissioner.show_report"))
    assert "No alternative commitments were accepted on these contracts" in text
    assert "No service credits were recorded against these contracts" in text


def _council_with(scheme, name: str, contracts: int):
    measures = measures_by_code(scheme)
    council = make_commissioner(name)
    supplier = make_organisation(scheme=scheme, status="monitoring")
    for n in range(contracts):
        contract = make_contract(supplier, council, title=f"{name} {n}", **CONFIRMED)
        made = commitments(contract, measures, CW1="20", CW3="5")
        substitute(contract, made["CW1"], measures["CW2"], "40", ("2000", "2000"), date(2026, 5, 1))
        for month in (4, 7):
            credit(contract, "10", "Missed", date(2026, month, 1), date(2026, month + 2, 30))
    return make_manager(council, f"manager@{name.lower()}.example")


@pytest.mark.parametrize("url", ["/commissioner/report", "/commissioner/report.xlsx",
                                 "/commissioner/report.csv?table=credits"])  # fmt: skip
def test_query_counts_do_not_grow_with_contracts_substitutions_and_credits(app, query_counter, url):
    scheme = load_cheshire_west()
    counts = []
    for name, contracts in (("Small", 1), ("Large", 6)):
        manager = ClientRequest(app.test_client())
        manager.sign_in(_council_with(scheme, name, contracts))
        manager.client.get(url)
        with query_counter() as counter:
            response = manager.client.get(url)
        assert response.status_code == 200
        counts.append(counter.value)
    assert counts[0] == counts[1]


def test_the_manager_sees_their_commissioners_contracts_whatever_the_charter(world):
    highways = db.session.scalar(db.select(Contract).where(Contract.title == "Highways"))
    db.session.execute(
        db.delete(CharterCommissioner).where(
            CharterCommissioner.commissioner_id == highways.commissioner_id
        )
    )
    db.session.commit()
    page = world.get("commissioner.show_report")
    assert [r["Contract"].split()[0] for r in _rows(page, "substituted")] == ["Highways"]
    assert len(_rows(page, "credits")) == 3
