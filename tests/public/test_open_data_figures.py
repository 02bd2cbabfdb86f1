"""The register's JSON export carries each consenting organisation's published verified figures
in the API's shape ([] without consent), fetched once per keyset batch, and its ETag follows
monitoring returns as well as the register."""

from __future__ import annotations

import json

import pytest

from charter.extensions import db
from charter.services.domain.signings import signing_of
from charter.services.read_models import open_data as open_data_service
from tests.factories import make_approved_plan, make_return, sign_in
from tests.public.register_helpers import make_signatory

TARGETS = {"LE1": ("0", "1000"), "LE4": ("1", "3")}


def _reporting(scheme, name: str, *, consents: bool, **values):
    """A public organisation with an approved plan and a verified return for quarter 2."""
    organisation = make_signatory(scheme, name, status="monitoring")
    signing_of(organisation).publishes_figures = consents
    db.session.commit()
    measures = make_approved_plan(organisation, scheme, TARGETS)
    make_return(organisation, measures, 2, {k: str(v) for k, v in values.items()})
    return organisation, measures


def _export(client, path: str = "/c/shropshire/register.json") -> dict[str, dict]:
    document = json.loads(client.get(path).get_data(as_text=True))
    return {row["slug"]: row for row in document["organisations"]}


@pytest.fixture
def reporting(scheme):
    consenting, measures = _reporting(scheme, "Acorn Care", consents=True, LE1=4321, LE4=2)
    make_return(consenting, measures, 1, {"LE1": "1000"})
    make_return(consenting, measures, 3, {"LE1": "9876"}, status="submitted")
    private, _ = _reporting(scheme, "Bryn Builders", consents=False, LE1=5555)
    return consenting, private, measures


def test_consenting_organisations_have_their_verified_figures_per_period(client, reporting):
    consenting, private, _measures = reporting
    rows = _export(client)
    le1, le4 = rows[consenting.slug]["published_figures"]
    assert (le1["measure_code"], le4["measure_code"]) == ("LE1", "LE4")
    assert [(f["period_end"], f["value"]) for f in le1["figures"]] == [
        ("2026-03-22", "1000.00"),
        ("2026-06-20", "4321.00"),
    ]  # oldest first, and the submitted (unverified) quarter 3 is not there
    assert rows[private.slug]["published_figures"] == []


def test_the_export_and_the_api_say_the_same(client, reporting):
    rows = _export(client)
    for organisation in reporting[:2]:
        api = client.get(f"/api/v1/organisations/{organisation.slug}").get_json()["data"]
        assert rows[organisation.slug]["published_figures"] == api["published_figures"]


def test_consent_without_verified_figures_is_an_empty_list(client, scheme):
    organisation = make_signatory(scheme, "Quiet Ltd", status="monitoring")
    signing_of(organisation).publishes_figures = True
    db.session.commit()
    assert _export(client)[organisation.slug]["published_figures"] == []


def test_the_csv_stays_flat(client, reporting):
    header = client.get("/c/shropshire/register.csv").get_data(as_text=True).splitlines()[0]
    assert "published_figures" not in header


def test_figures_are_fetched_once_a_batch(client, scheme, monkeypatch, query_counter):
    monkeypatch.setattr(open_data_service, "EXPORT_BATCH_SIZE", 4)

    def queries() -> int:
        with query_counter() as counter:
            client.get("/c/shropshire/register.json").get_data()
        return counter.value

    def add(prefix: str, count: int) -> None:
        for n in range(count):
            _reporting(scheme, f"Firm {prefix}{n}", consents=n % 2 == 0, LE1=100 + n)

    add("A", 3)
    one_batch = queries()
    add("B", 3)
    assert queries() == one_batch + 2  # 6 rows: a second batch of rows (with marks) and figures
    add("C", 5)
    assert queries() == one_batch + 4  # 11 rows: three batches
    rows = _export(client).values()
    assert sum(1 for row in rows if row["published_figures"]) == 7  # A0 A2 B0 B2 C0 C2 C4


def test_a_repeat_request_is_a_304_until_the_register_or_a_figure_changes(
    client, reporting, scheme, query_counter
):
    consenting, _private, measures = reporting
    first = client.get("/c/shropshire/register.json")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    etag, since = first.headers["ETag"], first.headers["Last-Modified"]
    with query_counter() as counter:
        again = client.get("/c/shropshire/register.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert counter.value == 1  # the versions (register and pages) in one query
    assert (
        client.get("/c/shropshire/register.json", headers={"If-Modified-Since": since}).status_code
        == 304
    )

    make_return(consenting, measures, 4, {"LE1": "7"})  # verified: not a register change
    changed = client.get("/c/shropshire/register.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "7.00" in changed.get_data(as_text=True)

    etag = changed.headers["ETag"]
    make_signatory(scheme, "Second Firm")
    changed = client.get("/c/shropshire/register.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Second Firm" in changed.get_data(as_text=True)


def test_signed_in_people_get_the_same_export_and_it_is_not_stored(app, client, scheme, member):
    """The whole export is one file for everyone (open_data_files); a signed-in person's copy
    is still marked no-store, as every answer to them is. A searched one is made afresh."""
    visitor = app.test_client().get("/c/shropshire/register.json")
    sign_in(client, member.email)
    response = client.get("/c/shropshire/register.json")
    assert response.status_code == 200
    assert response.get_data() == visitor.get_data()
    assert response.headers["Cache-Control"] == "no-store"
    searched = client.get("/c/shropshire/register.json?q=firm")
    assert searched.status_code == 200 and "ETag" not in searched.headers
