"""The open-data CSVs carry their licence, publisher and column types in W3C "CSV on the Web"
metadata that their Link header points at, and the data dictionary pages describe every
column."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest

from tests.public.register_helpers import make_holder, make_signatory

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def _described_by(response) -> str:
    """The path (with query) of the metadata the response's Link header points at."""
    match = re.search(
        r'<([^>]+)>; rel="describedby"; type="application/csvm\+json"', response.headers["Link"]
    )
    assert match, response.headers["Link"]
    url = urlsplit(match.group(1))
    return url.path + (f"?{url.query}" if url.query else "")


def _header_row(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("csv_path", ["/c/shropshire/register.csv", "/c/shropshire/impact.csv"])
def test_the_metadata_describes_the_csv_it_is_linked_from(app, client, scheme, csv_path):
    make_holder(scheme, "Acorn Care")
    download = client.get(csv_path)
    assert f'<{OGL}>; rel="license"' in download.headers["Link"]
    metadata_path = _described_by(download)
    assert metadata_path == csv_path.replace(".csv", ".csv-metadata.json")

    response = client.get(metadata_path)
    assert response.status_code == 200
    assert response.mimetype == "application/csvm+json"
    metadata = response.get_json()
    assert metadata["url"] == f"http://localhost{csv_path}"
    assert "http://www.w3.org/ns/csvw" in metadata["@context"]
    assert metadata["dc:license"] == {"@id": OGL}
    assert metadata["dc:publisher"]["schema:name"] == app.config["SERVICE_OPERATOR"]
    columns = metadata["tableSchema"]["columns"]
    header = _header_row(download)
    assert [column["name"] for column in columns] == header
    assert [column["titles"] for column in columns] == header
    assert all(column["dc:description"] and column["datatype"] for column in columns)


def test_the_register_metadata_has_typed_dates_and_addresses(client, scheme):
    columns = client.get("/c/shropshire/register.csv-metadata.json").get_json()["tableSchema"][
        "columns"
    ]
    types = {column["name"]: column["datatype"] for column in columns}
    assert types["signed_on"] == types["charter_mark_expires_on"] == "date"
    assert types["url"] == "anyURI"
    assert types["name"] == "string"


def test_a_filtered_csv_points_at_metadata_for_the_same_download(client, scheme):
    make_signatory(scheme, "Bryn Builders", district="Oswestry")
    download = client.get("/c/shropshire/register.csv?district=Oswestry&q=bryn")
    metadata_path = _described_by(download)
    assert metadata_path.startswith("/c/shropshire/register.csv-metadata.json?")
    metadata = client.get(metadata_path).get_json()
    assert urlsplit(metadata["url"]).query == urlsplit(metadata_path).query


def test_metadata_for_a_bad_filter_is_a_400_with_the_reason(client, scheme):
    response = client.get("/c/shropshire/register.csv-metadata.json?type=spaceship")
    assert response.status_code == 400
    assert "type" in response.get_data(as_text=True)


def test_the_register_data_page_describes_every_column(client, scheme):
    page = client.get("/c/shropshire/about-the-register-data")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for column in _header_row(client.get("/c/shropshire/register.csv")):
        assert f"<code>{column}</code>" in text
    assert "<code>published_figures</code>" in text
    assert 'href="/c/shropshire/register.csv-metadata.json"' in text
    assert "Open Government Licence v3.0" in text


def test_the_register_page_links_to_the_data_dictionary_and_metadata(client, scheme):
    make_signatory(scheme, "Acorn Care", district="Ludlow")
    text = client.get("/c/shropshire/register?district=Ludlow").get_data(as_text=True)
    assert 'href="/c/shropshire/about-the-register-data"' in text
    assert 'href="/c/shropshire/register.csv-metadata.json?district=Ludlow"' in text


def test_the_impact_data_page_describes_every_column_and_links_the_metadata(client, scheme):
    text = client.get("/c/shropshire/impact/about-the-data").get_data(as_text=True)
    for column in _header_row(client.get("/c/shropshire/impact.csv")):
        assert f"<code>{column}</code>" in text
    assert 'href="/c/shropshire/impact.csv-metadata.json"' in text
    assert 'href="/c/shropshire/about-the-register-data"' in text


def test_the_impact_data_page_says_how_figures_are_checked(client, scheme):
    text = client.get("/c/shropshire/impact/about-the-data").get_data(as_text=True)
    assert "How figures are checked" in text
    assert "more than 10 times the organisation’s usual figure" in text
    assert "counts here, in reports and towards a Charter Mark only once an assessor" in text
