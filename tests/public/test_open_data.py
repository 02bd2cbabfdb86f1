"""The register as open data: CSV and JSON (streamed in keyset batches) and the Atom feed."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from charter.services.read_models import open_data as open_data_service
from tests.factories import make_organisation
from tests.public.register_helpers import make_holder, make_signatory

ATOM = "{http://www.w3.org/2005/Atom}"
COLUMNS = [
    "name",
    "slug",
    "url",
    "org_id",
    "type",
    "size",
    "sector",
    "town",
    "district",
    "status",
    "status_label",
    "signed_on",
    "charter_mark_certificate",
    "charter_mark_awarded_on",
    "charter_mark_expires_on",
    "charter_mark_standing",
]


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def register(scheme):
    """Two public organisations and two private ones."""
    holder, mark = make_holder(scheme, "Acorn Care", district="Ludlow")
    signatory = make_signatory(scheme, "Bryn Builders", district="Oswestry")
    make_organisation(scheme=scheme, name="Hidden Registered", status="registered")
    make_signatory(scheme, "Hidden Withdrawn", status="withdrawn")
    return holder, mark, signatory


def test_csv_has_a_header_and_only_public_rows(client, register):
    holder, mark, _signatory = register
    response = client.get("/c/shropshire/register.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "charset=utf-8" in response.headers["Content-Type"]
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="social-value-register.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == COLUMNS
    by_name = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Acorn Care", "Bryn Builders"}
    acorn = by_name["Acorn Care"]
    assert acorn["url"] == f"http://localhost/c/shropshire/register/{holder.slug}"
    assert acorn["status"] == "holder"
    assert acorn["status_label"] == "Charter Mark holder"
    assert acorn["signed_on"] == "2026-05-01"
    assert acorn["charter_mark_certificate"] == mark.certificate_number
    assert acorn["charter_mark_expires_on"] == mark.expires_on.isoformat()
    assert acorn["charter_mark_standing"] == "valid"
    assert by_name["Bryn Builders"]["charter_mark_certificate"] == ""


def test_csv_uses_the_page_filters(client, register):
    rows = read_csv(client.get("/c/shropshire/register.csv?district=Oswestry&district=ignored"))
    assert [row[0] for row in rows[1:]] == ["Bryn Builders"]
    rows = read_csv(client.get("/c/shropshire/register.csv?standing=holders"))
    assert [row[0] for row in rows[1:]] == ["Acorn Care"]


def test_csv_cells_cannot_run_as_formulas(client, scheme):
    make_signatory(scheme, '=HYPERLINK("http://evil.example","Click")', town="+44 town")
    make_signatory(scheme, "@SUM(A1)", town="-1")
    rows = read_csv(client.get("/c/shropshire/register.csv"))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","Click")' in cells
    assert "'@SUM(A1)" in cells
    assert "'+44 town" in cells
    assert "'-1" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_json_parses_and_matches_the_register(client, register):
    response = client.get("/c/shropshire/register.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = json.loads(response.get_data(as_text=True))
    assert document["licence"] == "Open Government Licence v3.0"
    datetime.fromisoformat(document["generated_at"])
    names = [row["name"] for row in document["organisations"]]
    assert names == ["Acorn Care", "Bryn Builders"]
    assert list(document["organisations"][0]) == [*COLUMNS, "published_figures"]
    csv_rows = read_csv(client.get("/c/shropshire/register.csv"))
    assert len(csv_rows) - 1 == len(document["organisations"])
    page = client.get("/c/shropshire/register").get_data(as_text=True)
    assert f"{len(names)} organisations" in page


def test_json_is_valid_when_empty(client, scheme):
    document = json.loads(client.get("/c/shropshire/register.json").get_data(as_text=True))
    assert document["organisations"] == []


def test_exports_stream_across_several_batches(client, scheme, monkeypatch):
    monkeypatch.setattr(open_data_service, "EXPORT_BATCH_SIZE", 3)
    # Equal names cross a batch boundary: the keyset must tie-break on id.
    for n in range(4):
        make_signatory(scheme, "Same Name Ltd", slug=f"same-name-{n}")
    for n in range(6):
        make_signatory(scheme, f"firm {n}" if n % 2 else f"Firm {n}")
    response = client.get("/c/shropshire/register.json")
    assert response.is_streamed
    rows = json.loads(response.get_data(as_text=True))["organisations"]
    assert len(rows) == 10
    assert len({row["slug"] for row in rows}) == 10
    assert [row["name"].lower() for row in rows] == sorted(row["name"].lower() for row in rows)
    csv_rows = read_csv(client.get("/c/shropshire/register.csv"))
    assert [row[1] for row in csv_rows[1:]] == [row["slug"] for row in rows]


def test_csv_queries_grow_only_with_batches(client, scheme, monkeypatch, query_counter):
    monkeypatch.setattr(open_data_service, "EXPORT_BATCH_SIZE", 4)

    def queries() -> int:
        with query_counter() as counter:
            response = client.get("/c/shropshire/register.csv")
            response.get_data()
        return counter.value

    for n in range(3):
        make_holder(scheme, f"Firm A{n}")
    one_batch = queries()
    for n in range(3):
        make_holder(scheme, f"Firm B{n}")
    assert queries() == one_batch + 1  # 6 rows: a second batch, one query more
    for n in range(5):
        make_holder(scheme, f"Firm C{n}")
    assert queries() == one_batch + 2  # 11 rows: three batches


def test_feed_lists_public_changes_as_atom(client, scheme, register):
    make_signatory(scheme, "Tom & Jerry <Ltd>", signed_at=datetime(2026, 10, 1, 12))
    response = client.get("/c/shropshire/register/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles[0] == "Tom & Jerry <Ltd> signed the Social Value Charter"
    assert "Acorn Care was awarded the Social Value Charter Mark" in titles
    assert "Bryn Builders signed the Social Value Charter" in titles
    assert not any("Hidden" in title for title in titles)
    assert feed.findtext(f"{ATOM}updated") == "2026-10-01T12:00:00Z"
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http://localhost/c/shropshire/register/")
    assert len({entry.findtext(f"{ATOM}id") for entry in entries}) == len(entries)


def test_feed_is_limited_to_fifty_entries(client, scheme):
    for n in range(26):
        make_holder(scheme, f"Firm {n:02d}")  # a signing and an award each
    feed = ET.fromstring(client.get("/c/shropshire/register/feed.atom").get_data())
    assert len(feed.findall(f"{ATOM}entry")) == 50
