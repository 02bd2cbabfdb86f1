"""A charter's open contracting data as CSV, through HTTP: /c/<charter>/open-contracting.csv has
one row per contract, measure and period, and the same figures as the JSON release package row
for row (the same clause publishes both); its CSV on the Web metadata carries the licence and
column types; both files are cached and revalidated like the other downloads, move at once when
a figure does, and refuse a query string."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest

from charter.extensions import db
from charter.models import Commissioner, Contract, ContractFigure
from charter.services.domain.signings import signing_of
from tests.public.open_contracting_helpers import OCID, add_quarter, make_published

CSV_URL = "/c/shropshire/open-contracting.csv"
JSON_URL = "/c/shropshire/open-contracting.json"
METADATA_URL = "/c/shropshire/open-contracting.csv-metadata.json"
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@pytest.fixture
def published(app, scheme, member):
    return make_published(scheme, member)


def _table(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _json_rows(package) -> list[tuple]:
    """The JSON's figures flattened as the CSV's rows, amounts as decimals."""
    rows = []
    for release in package["releases"]:
        parties = {party["id"]: party for party in release["parties"]}
        for contract in release["contracts"]:
            award = next(a for a in release["awards"] if a["id"] == contract["awardID"])
            (supplier_ref,) = award["suppliers"]
            supplier = parties[supplier_ref["id"]]
            ppon = next(
                (i["id"] for i in supplier.get("additionalIdentifiers", [])),
                "",
            )
            for figure in contract["socialValue"]["figures"]:
                rows.append(
                    (
                        release["ocid"],
                        release["id"],
                        contract["awardID"],
                        contract["id"],
                        contract["title"],
                        supplier["id"],
                        supplier["name"],
                        ppon,
                        release["buyer"]["id"],
                        release["buyer"]["name"],
                        figure["measure"]["id"],
                        figure["measure"]["title"],
                        figure["measure"]["unit"],
                        figure["period"]["startDate"],
                        figure["period"]["endDate"],
                        Decimal(repr(figure["amount"])),
                    )
                )
    return rows


def _csv_rows(table) -> list[tuple]:
    return [(*list(row.values())[:-1], Decimal(row["delivered"])) for row in table]


def test_the_csv_has_the_jsons_figures_row_for_row(client, scheme, published):
    organisation, contract = published[:2]
    add_quarter(
        organisation,
        contract,
        scheme,
        (date(2027, 4, 1), date(2027, 6, 30)),
        {"LE1": "980.00", "LE2": "-12.25"},
    )
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="shropshire-open-contracting.csv"'
    )
    table = _table(response)
    package = client.get(JSON_URL).get_json()

    assert len(table) == 3
    assert _csv_rows(table) == _json_rows(package)
    first = table[0]
    assert first["ocid"] == OCID
    assert first["supplier_id"] == "GB-COH-09876543"
    assert first["supplier_ppon"] == "PWLK-4821-TRNV"
    assert first["buyer_id"] == "GB-LAE-TFW"
    assert first["buyer_name"] == "Telford and Wrekin Council"
    assert first["contract_id"] == f"shropshire-contract-{contract.id}"
    assert (first["measure_code"], first["unit"]) == ("LE1", "GBP")
    assert (first["period_start"], first["period_end"]) == ("2027-01-01", "2027-03-31")
    # As stored, to the penny: not 1250.5 as in JSON, and a negative figure is a number, not
    # text quoted against formulas.
    assert first["delivered"] == "1250.50"
    assert [row["delivered"] for row in table] == ["1250.50", "980.00", "-12.25"]
    assert {row["release_id"] for row in table} == {package["releases"][0]["id"]}


def test_text_that_a_spreadsheet_would_run_is_quoted(client, published):
    contract = db.session.get(Contract, published[1].id)
    contract.title = '=HYPERLINK("http://evil.example")'
    db.session.commit()
    (row,) = _table(client.get(CSV_URL))
    assert row["contract_title"] == '\'=HYPERLINK("http://evil.example")'


def test_with_nothing_published_the_csv_is_its_header_alone(client, scheme):
    response = client.get(CSV_URL)
    assert response.status_code == 200
    lines = response.get_data(as_text=True).splitlines()
    assert lines == [",".join(_header(client))]
    assert client.get(JSON_URL).status_code == 404


def _header(client) -> list[str]:
    metadata = client.get(METADATA_URL).get_json()
    return [column["name"] for column in metadata["tableSchema"]["columns"]]


@pytest.mark.parametrize(
    "change",
    [
        lambda o, *_: setattr(signing_of(o), "publishes_figures", False),
        lambda *p: setattr(p[3], "endorsement_status", "queried"),
        lambda *p: setattr(p[2], "status", "submitted"),
    ],
    ids=["no consent", "not endorsed", "unverified"],
)
def test_what_the_json_leaves_out_the_csv_leaves_out(client, published, change):
    change(*published)
    db.session.commit()
    assert _table(client.get(CSV_URL)) == []
    assert client.get(JSON_URL).status_code == 404


def _links(response) -> dict[str, str]:
    return {
        rel: url for url, rel in re.findall(r'<([^>]+)>; rel="([^"]+)"', response.headers["Link"])
    }


def test_the_metadata_describes_the_csv_and_the_files_link_each_other(app, client, published):
    download = client.get(CSV_URL)
    links = _links(download)
    assert links["license"] == OGL
    assert links["describedby"] == f"http://localhost{METADATA_URL}"
    assert links["alternate"] == f"http://localhost{JSON_URL}"
    assert _links(client.get(JSON_URL))["alternate"] == f"http://localhost{CSV_URL}"
    assert _links(client.get(JSON_URL))["license"] == OGL

    response = client.get(METADATA_URL)
    assert response.status_code == 200
    assert response.mimetype == "application/csvm+json"
    metadata = response.get_json()
    assert metadata["url"] == f"http://localhost{CSV_URL}"
    assert metadata["dc:license"] == {"@id": OGL}
    assert metadata["dc:publisher"]["schema:name"] == app.config["SERVICE_OPERATOR"]
    columns = metadata["tableSchema"]["columns"]
    header = next(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert [column["name"] for column in columns] == header
    types = {column["name"]: column["datatype"] for column in columns}
    assert types["delivered"] == "decimal"
    assert types["period_start"] == types["period_end"] == "date"


def test_the_about_the_data_page_links_the_files_and_describes_every_column(client, scheme):
    text = client.get("/c/shropshire/impact/about-the-data").get_data(as_text=True)
    for path in (CSV_URL, JSON_URL, METADATA_URL):
        assert f'href="{path}"' in text
    for column in _header(client):
        assert f"<code>{column}</code>" in text


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL, METADATA_URL])
def test_the_files_are_cached_and_revalidated_like_the_other_downloads(client, published, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(url).get_data() == first.get_data()


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_a_changed_figure_shows_at_once(client, published, url):
    first = client.get(url)
    figure = db.session.get(ContractFigure, published[3].id)
    figure.value = Decimal("1300.00")
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != first.headers["ETag"]
    assert "1300" in after.get_data(as_text=True)


def test_a_renamed_commissioner_shows_at_once(client, published):
    first = client.get(CSV_URL)
    contract = db.session.get(Contract, published[1].id)
    db.session.get(Commissioner, contract.commissioner_id).name = "Telford & Wrekin Council"
    db.session.commit()
    after = client.get(CSV_URL, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert _table(after)[0]["buyer_name"] == "Telford & Wrekin Council"


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL, METADATA_URL])
@pytest.mark.parametrize(
    "query", ["page=2", "format=xml", "measure=LE1", "%ff=%fe", "a=1&a=2", "=", "x"]
)
def test_a_query_string_is_refused_not_ignored(client, published, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    assert "no query string" in response.get_data(as_text=True)
    assert "ETag" not in response.headers


def test_the_csv_costs_the_same_queries_whatever_its_rows(client, scheme, published, query_counter):
    with query_counter() as one_figure:
        assert len(_table(client.get(CSV_URL))) == 1
    organisation, contract = published[:2]
    add_quarter(
        organisation,
        contract,
        scheme,
        (date(2027, 4, 1), date(2027, 6, 30)),
        {"LE1": "980.00", "LE2": "12.25"},
    )
    with query_counter() as three_figures:
        assert len(_table(client.get(CSV_URL))) == 3
    assert three_figures.value == one_figure.value == 2  # the versions; the figures, in one
