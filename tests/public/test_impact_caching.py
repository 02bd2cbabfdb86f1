"""/impact, its CSV and its JSON are kept (the page in memory, the CSV and JSON as built files)
and revalidated like the register (issue 23): keyed on the charter's /impact version, which the
rebuild moves (and a proxy value, a scheme or a charter changing), never an everyday change to
the register."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from charter.extensions import db
from charter.models import Measure, Organisation
from charter.services.domain import proxy_values
from charter.services.read_models.impact import version as impact_version
from tests.factories import make_user, sign_in
from tests.public.charter_helpers import new_charter
from tests.services.read_models.impact_helpers import contributor, rebuild, verified

YEAR = "2026-27"
URLS = {
    "page": f"/c/shropshire/impact?period={YEAR}&measure=LE1",
    "csv": "/c/shropshire/impact.csv",
    "json": "/c/shropshire/impact.json",
}


@pytest.fixture
def figures(scheme):
    for district in ("Shrewsbury", "Ludlow"):
        for amount in (100, 200, 300):
            organisation, measures = contributor(scheme, district)
            verified(organisation, measures, 2, LE1=amount)
    rebuild()


@pytest.mark.parametrize("answer", URLS)
def test_a_repeat_costs_only_the_version_and_a_304_the_same(client, figures, answer, query_counter):
    url = URLS[answer]
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"]  # weak for the page; the CSV's and JSON's files are exact
    assert first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    with query_counter() as counter:
        again = client.get(url)
    assert again.get_data() == first.get_data()
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert counter.value == 1  # the charters' /impact versions, one query
    with query_counter() as counter:
        revalidated = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304
    assert revalidated.get_data() == b""
    assert counter.value == 1
    with query_counter() as counter:
        since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    assert counter.value == 1


@pytest.mark.parametrize("answer", URLS)
def test_with_the_version_held_a_304_and_a_repeat_touch_no_database(
    app, client, figures, answer, query_counter
):
    app.config["REGISTER_VERSION_TTL"] = 60
    url = URLS[answer]
    first = client.get(url)
    with query_counter() as counter:
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
        assert client.get(url).get_data() == first.get_data()
    assert counter.value == 0


@pytest.mark.parametrize("answer", URLS)
def test_a_rebuild_with_new_figures_is_seen_at_once(client, scheme, figures, answer):
    url = URLS[answer]
    before = client.get(url)
    organisation, measures = contributor(scheme, "Ludlow")
    verified(organisation, measures, 2, LE1=4000)
    after_return = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after_return.status_code == 304  # a verified return changes nothing until rebuilt
    rebuild()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "4,600" in after.get_data(as_text=True) or "4600" in after.get_data(as_text=True)


def test_a_register_change_keeps_the_impact_answers(client, scheme, figures):
    url = URLS["page"]
    before = client.get(url)
    held = impact_version.current(1)
    organisation = db.session.query(Organisation).first()
    organisation.name = "Renamed Firm"
    db.session.commit()
    assert impact_version.current(1) == held
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304


def test_a_new_proxy_value_moves_the_version(client, scheme, figures):
    url = URLS["page"]
    before = client.get(url)
    measure = db.session.query(Measure).filter_by(scheme_id=scheme.id, code="LE1").one()
    proxy_values.set_proxy_value(
        measure,
        Decimal("2.50"),
        effective_from=date.today() + timedelta(days=1),
        today=date.today(),
        set_by_id=None,
        reason="A new value",
    )
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200


def test_each_charter_has_its_own_version_and_etag(client, scheme, figures):
    db.session.add(new_charter())
    db.session.commit()
    rebuild()
    shropshire = client.get("/c/shropshire/impact")
    worcestershire = client.get("/c/worcestershire/impact")
    assert shropshire.status_code == worcestershire.status_code == 200
    assert shropshire.headers["ETag"] != worcestershire.headers["ETag"]
    assert "Worcestershire" in worcestershire.get_data(as_text=True)
    assert "Worcestershire" not in shropshire.get_data(as_text=True)
    versions = {charter_id: impact_version.current(charter_id)[0] for charter_id in (1, 2)}
    assert versions[1] > 0 and versions[2] > 0
    # The other charter's revalidation is not answered with this one's copy.
    crossed = client.get(
        "/c/worcestershire/impact", headers={"If-None-Match": shropshire.headers["ETag"]}
    )
    assert crossed.status_code == 200


def test_a_refused_choice_is_not_kept(client, figures):
    url = "/c/shropshire/impact?period=nonsense"
    assert client.get(url).status_code == 400
    again = client.get(url)
    assert again.status_code == 400
    assert "ETag" not in again.headers
    assert "Choose a period from the list" in again.get_data(as_text=True)


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_parts_a_period_shares_are_rendered_once_and_read_the_same(
    app, client, scheme, figures, query_counter
):
    """Another measure of the same period reuses the period's totals, lifecycle and the proxy
    values rendered for this version, and reads the same as a page made afresh (a signed-in
    person's, which keeps nothing)."""
    client.get(f"/c/shropshire/impact?period={YEAR}&measure=LE1")
    with query_counter() as shared:
        page = client.get(f"/c/shropshire/impact?period={YEAR}&measure=LE4")
    with query_counter() as alone:
        client.get("/c/shropshire/impact?period=all&measure=LE8")
    assert shared.value < alone.value
    member = make_user(email="reader@example.com")
    signed_in = app.test_client()
    sign_in(signed_in, member.email)
    afresh = signed_in.get(f"/c/shropshire/impact?period={YEAR}&measure=LE4")
    assert _main(afresh.get_data(as_text=True)) == _main(page.get_data(as_text=True))


def test_a_rebuild_renders_the_shared_parts_again(client, scheme, figures):
    before = client.get(f"/c/shropshire/impact?period={YEAR}&measure=LE1").get_data(as_text=True)
    assert "From 6 organisations" in before
    organisation, measures = contributor(scheme, "Ludlow")
    verified(organisation, measures, 2, LE1=4000)
    rebuild()
    after = client.get(f"/c/shropshire/impact?period={YEAR}&measure=LE4").get_data(as_text=True)
    assert "From 7 organisations" in after
