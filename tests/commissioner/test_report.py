"""The contract managers' report: their own commissioner's confirmed contracts only, committed
against delivered per contract and measure, filtered by period, measure, supplier and
contract; bad filters get a message, never a 5xx."""

from __future__ import annotations

import pytest

from charter.extensions import db
from tests.commissioner.monitoring_helpers import make_manager, make_period
from tests.commissioner.report_helpers import (
    SHROPSHIRE_MANAGER,
    TELFORD_MANAGER,
    commit,
    join,
    managers,
    page_tables,
    report_world,
)
from tests.factories import make_commissioner, make_contract, make_organisation, sign_in

PATHS = ("/commissioner/report", "/commissioner/report.csv", "/commissioner/report.xlsx")


@pytest.fixture
def world(app, scheme):
    built = report_world(scheme)
    managers(built)
    return built


def _client(app, email):
    http = app.test_client()
    sign_in(http, email)
    return http


def test_all_time_shows_committed_against_delivered_per_contract_and_totals(app, world):
    response = _client(app, SHROPSHIRE_MANAGER).get("/commissioner/report")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    tables = page_tables(html)

    assert list(tables) == ["LE1", "LE4", "LE5"]
    assert tables["LE1"] == [
        [
            "=Highways Mereside Builders, SC-202",
            "£10,000",
            "£4,250",
            "42%",
            "Not endorsed, 1 queried",
        ],
        ["Care meals Wrekin Foods, SC-101", "£5,000", "£2,500", "50%", "1 of 2 endorsed"],
        ["Total, 2 contracts", "£15,000", "£6,750", "–", "1 of 4 endorsed, 1 queried"],
    ]
    # A stock shows its latest verified figure, and says which period it is from.
    assert tables["LE4"][0] == [
        "Care meals Wrekin Foods, SC-101",
        "2 FTE",
        "2 FTE period ending 30 September 2026",
        "100%",
        "1 of 2 endorsed",
    ]
    assert tables["LE5"][0][1:4] == ["20 weeks", "6 weeks", "30%"]
    # Not confirmed, or not verified: left out, and the page says what is missing.
    assert "School dinners" not in html  # not even among the filter's contracts
    assert "£999" not in html and "£1,050" not in html
    assert "1 contract waiting for confirmation or disputed is not included" in html
    assert "since the charter began" in html


def test_another_commissioners_manager_sees_none_of_these_contracts(app, world):
    http = _client(app, TELFORD_MANAGER)
    html = http.get("/commissioner/report").get_data(as_text=True)
    assert page_tables(html)["LE1"][0] == [
        "Telford parks Mereside Builders",
        "£800",
        "£700",
        "87%",
        "Not endorsed",
    ]
    for theirs in ("Care meals", "Highways", "Wrekin Foods", "School dinners", "SC-101"):
        assert theirs not in html
    for path in PATHS[1:]:
        assert b"Care meals" not in http.get(path).data
    # Naming Shropshire's contract or supplier in the filters is refused, not disclosed.
    response = http.get(f"/commissioner/report?contract={world.meals.id}")
    assert response.status_code == 400
    assert "Choose a contract from the list" in response.get_data(as_text=True)
    assert "Care meals" not in response.get_data(as_text=True)
    response = http.get(f"/commissioner/report?supplier={world.wrekin.id}")
    assert response.status_code == 400
    assert "Choose a supplier from the list" in response.get_data(as_text=True)


def test_a_manager_who_is_a_member_of_a_supplier_sees_nothing_of_it(app, world):
    from charter.models import User

    manager = User.query.filter_by(email=SHROPSHIRE_MANAGER).one()
    join(manager, world.mereside)
    http = _client(app, SHROPSHIRE_MANAGER)
    html = http.get("/commissioner/report").get_data(as_text=True)
    assert "Care meals" in html
    for hidden in ("Highways", "Mereside", "SC-202", "£4,250"):
        assert hidden not in html
    assert "1 confirmed contract is not shown because you are a member of the supplier" in html
    assert "Highways" not in http.get("/commissioner/report.csv").get_data(as_text=True)
    response = http.get(f"/commissioner/report?supplier={world.mereside.id}")
    assert response.status_code == 400


@pytest.mark.parametrize("role_client", ["admin_client", "assessor_client", "member_client"])
def test_people_who_manage_no_contracts_get_not_found(request, world, role_client):
    http = request.getfixturevalue(role_client)
    for path in PATHS:
        assert http.get(path).status_code == 404, path


def test_anonymous_people_are_sent_to_sign_in(client, world):
    for path in PATHS:
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize(
    ("period", "le1"),
    [
        ("2026-27", [["£10,000", "£4,000"], ["£5,000", "£2,500"], ["£15,000", "£6,500"]]),
        ("2026-Q2", [["£10,000", "£4,000"], ["£5,000", "£1,000"], ["£15,000", "£5,000"]]),
        ("2025-26", [["£10,000", "£250"], ["£5,000", "£0"], ["£15,000", "£250"]]),
    ],
)
def test_the_period_filter_counts_figures_whose_monitoring_period_ends_in_it(
    app, world, period, le1
):
    html = _client(app, SHROPSHIRE_MANAGER).get(f"/commissioner/report?period={period}")
    tables = page_tables(html.get_data(as_text=True))
    assert [row[1:3] for row in tables["LE1"]] == le1


def test_the_period_list_offers_the_periods_with_verified_figures(app, world):
    html = _client(app, SHROPSHIRE_MANAGER).get("/commissioner/report").get_data(as_text=True)
    for key in ('"all"', '"2026-27"', '"2025-26"', '"2026-Q3"', '"2026-Q2"', '"2025-Q2"'):
        assert f"value={key}" in html
    assert 'value="2026-Q4"' not in html  # only a submitted return ends then


def test_measure_supplier_and_contract_filters(app, world):
    http = _client(app, SHROPSHIRE_MANAGER)
    tables = page_tables(http.get("/commissioner/report?measure=LE4").get_data(as_text=True))
    assert list(tables) == ["LE4"]

    html = http.get(f"/commissioner/report?supplier={world.wrekin.id}").get_data(as_text=True)
    tables = page_tables(html)
    assert list(tables) == ["LE1", "LE4"]
    assert [row[0] for row in tables["LE1"]] == [
        "Care meals Wrekin Foods, SC-101",
        "Total, 1 contract",
    ]

    html = http.get(f"/commissioner/report?contract={world.roads.id}&measure=LE5").get_data(
        as_text=True
    )
    assert page_tables(html) == {
        "LE5": [
            ["=Highways Mereside Builders, SC-202", "20 weeks", "6 weeks", "30%", "Not endorsed"],
            ["Total, 1 contract", "20 weeks", "6 weeks", "–", "Not endorsed"],
        ]
    }
    # The download links carry the same filters.
    assert f"report.csv?period=all&amp;measure=LE5&amp;contract={world.roads.id}" in html

    html = http.get(f"/commissioner/report?contract={world.meals.id}&measure=LE5")
    assert "No commitments or verified figures on your confirmed contracts match" in html.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("period=2026-Q5", "period", "Choose a period from the list"),
        ("period=1999-00", "period", "Choose a period from the list"),
        ("period=%20", None, None),  # blank: the default, all time
        ("measure=LE99", "measure", "Choose a measure from the list"),
        ("measure=%3Cscript%3E", "measure", "Choose a measure from the list"),
        ("supplier=abc", "supplier", "Choose a supplier from the list"),
        ("supplier=-1", "supplier", "Choose a supplier from the list"),
        ("contract=99999999999999999999", "contract", "Choose a contract from the list"),
        ("contract=1.5", "contract", "Choose a contract from the list"),
    ],
)
def test_bad_filters_get_a_message_not_an_error(app, world, query, field, message):
    http = _client(app, SHROPSHIRE_MANAGER)
    response = http.get(f"/commissioner/report?{query}")
    html = response.get_data(as_text=True)
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "There is a problem" in html and f'href="#{field}">{message}' in html
    assert "Care meals" in html  # the rest of the report still shows
    for path in PATHS[1:]:
        download = http.get(f"{path}?{query}")
        assert download.status_code == 400
        assert download.mimetype == "text/plain"
        assert message in download.get_data(as_text=True)


def test_no_confirmed_contracts_yet_explains_what_to_do(app, scheme):
    council = make_commissioner("Shrewsbury Town Council")
    supplier = make_organisation(scheme=scheme, status="monitoring", name="Quarry Cafe")
    make_contract(supplier, council, title="Park kiosk")
    make_manager(council, "new@shrewsbury.example")
    http = _client(app, "new@shrewsbury.example")
    response = http.get("/commissioner/report")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "None of your contracts is confirmed yet" in html
    assert "1 contract is waiting for your confirmation or disputed" in html
    assert "Park kiosk" not in html
    assert 'href="/commissioner/"' in html
    # The work list links to the report.
    work = http.get("/commissioner/").get_data(as_text=True)
    assert 'href="/commissioner/report"' in work


def _build(scheme, owner, council, contracts: int):
    supplier = make_organisation(owner=owner, scheme=scheme, status="monitoring")
    made = [
        make_contract(supplier, council, title=f"Contract {n}", confirmation_status="confirmed")
        for n in range(contracts)
    ]
    for contract in made:
        commit(scheme, contract, LE1=1000, LE4=1)
    for index in (4, 5, 6):
        make_period(
            supplier, scheme, index, {c: {"LE1": "100", "LE4": "1"} for c in made}, "verified"
        )
    return made


def test_query_count_does_not_grow_with_contracts(app, scheme, query_counter):
    from tests.factories import make_user

    owner = make_user(email="owner@supplier.example")
    small, large = make_commissioner("Small Council"), make_commissioner("Large Council")
    _build(scheme, owner, small, contracts=2)
    _build(scheme, owner, large, contracts=12)
    make_manager(small, "small@council.example")
    make_manager(large, "large@council.example")
    counts = {}
    for email, contracts in (("small@council.example", 2), ("large@council.example", 12)):
        http = _client(app, email)
        for path in ("/commissioner/report?period=2026-27", "/commissioner/report.csv"):
            http.get(path)  # warm up
            # The test's session may or may not still hold the user (a weak identity map): let
            # every counted request load it.
            db.session.expunge_all()
            with query_counter() as counter:
                response = http.get(path)
            assert response.status_code == 200
            counts.setdefault(path, []).append(counter.value)
        html = http.get("/commissioner/report").get_data(as_text=True)
        assert f"Total, {contracts} contracts" in html
    for path, (few, many) in counts.items():
        assert few == many, (path, few, many)
