"""An organisation's page, a certificate check and a badge are kept in memory and revalidated
like the register (issue 9), and every change to what they show is seen at once: the register's
data for all three, and for the organisation's page also its plan, returns and contracts (the
*pages* version)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from charter.extensions import db
from charter.models import CharterMark, Contract, Organisation
from charter.services.read_models import register_version
from tests.factories import make_approved_plan, make_commissioner, make_contract, make_return
from tests.public.register_helpers import make_holder


def _urls(organisation, mark) -> dict[str, str]:
    return {
        "entry": f"/c/shropshire/register/{organisation.slug}",
        "verify": f"/c/shropshire/verify/{mark.certificate_number}",
        "badge": f"/c/shropshire/badge/{mark.certificate_number}.svg",
        "api": f"/api/v1/organisations/{organisation.slug}",
    }


@pytest.mark.parametrize("page", ["entry", "verify", "badge", "api"])
def test_a_repeat_request_costs_only_the_version(client, scheme, page, query_counter):
    organisation, mark = make_holder(scheme, "Cached Firm")
    url = _urls(organisation, mark)[page]
    first = client.get(url)
    assert first.status_code == 200
    with query_counter() as counter:
        again = client.get(url)
    assert again.get_data() == first.get_data()
    assert counter.value == 1  # the versions (one row each, one query)
    with query_counter() as counter:
        revalidated = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304
    assert counter.value == 1


def test_the_badge_keeps_its_own_headers_from_memory(client, scheme):
    organisation, mark = make_holder(scheme, "Badge Firm")
    url = _urls(organisation, mark)["badge"]
    for response in (client.get(url), client.get(url)):
        assert response.headers["Cache-Control"] == "public, max-age=3600"
        assert response.headers["Content-Security-Policy"] == (
            "default-src 'none'; style-src 'unsafe-inline'"
        )
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.mimetype == "image/svg+xml"


def test_a_revoked_mark_shows_at_once_on_all_three(client, scheme):
    organisation, mark = make_holder(scheme, "Revoked Firm")
    urls = _urls(organisation, mark)
    before = {name: client.get(url) for name, url in urls.items()}
    assert "Valid" in before["badge"].get_data(as_text=True)
    db.session.get(CharterMark, mark.id).status = "revoked"
    db.session.commit()
    for name, url in urls.items():
        after = client.get(url, headers={"If-None-Match": before[name].headers["ETag"]})
        assert after.status_code == 200, name
        assert "Revoked" in after.get_data(as_text=True), name


def test_a_renamed_holder_shows_at_once(client, scheme):
    organisation, mark = make_holder(scheme, "Old Name Firm")
    urls = _urls(organisation, mark)
    for url in urls.values():
        client.get(url)
    db.session.get(Organisation, organisation.id).name = "New Name Firm"
    db.session.commit()
    for name in ("entry", "verify", "api"):
        assert "New Name Firm" in client.get(urls[name]).get_data(as_text=True), name


def test_a_new_contract_shows_at_once_without_emptying_the_registers_cache(client, scheme):
    organisation, mark = make_holder(scheme, "Contract Firm")
    commissioner = make_commissioner()  # also commits make_holder's last audit row
    url = _urls(organisation, mark)["entry"]
    assert "No contracts with public-sector commissioners" in client.get(url).get_data(as_text=True)
    register_etag = client.get("/c/shropshire/register").headers["ETag"]
    state = register_version.current()
    make_contract(organisation, commissioner, value="25000")
    moved = register_version.current()
    assert moved.pages_version > state.pages_version
    assert moved.version == state.version  # the register's own pages keep their cache
    assert (
        client.get("/c/shropshire/register", headers={"If-None-Match": register_etag}).status_code
        == 304
    )
    assert "1 contract won" in client.get(url).get_data(as_text=True)

    db.session.query(Contract).filter_by(organisation_id=organisation.id).delete()
    db.session.commit()  # a bulk statement moves it too
    assert "No contracts with public-sector commissioners" in client.get(url).get_data(as_text=True)


@pytest.mark.usefixtures("on_fixture_day")
def test_a_verified_return_and_a_plan_show_at_once(client, scheme):
    organisation, mark = make_holder(scheme, "Plan Firm")
    url = _urls(organisation, mark)["entry"]
    assert "No action plan approved yet" in client.get(url).get_data(as_text=True)
    measures = make_approved_plan(organisation, scheme, {"LE1": ("0", "10")})
    page = client.get(url).get_data(as_text=True)
    assert "0 of 1 target in its action plan met" in page
    returned = make_return(organisation, measures, 1, {"LE1": "12"}, status="submitted")
    assert "0 of 1 target" in client.get(url).get_data(as_text=True)
    returned.status = "verified"
    db.session.commit()
    assert "1 of 1 target in its action plan met" in client.get(url).get_data(as_text=True)


def test_a_change_committed_elsewhere_is_seen_within_the_ttl(app, client, scheme):
    """Another process's change reaches this one when the held versions are read again (at most
    REGISTER_VERSION_TTL seconds later, well inside the pages' max-age)."""
    organisation, mark = make_holder(scheme, "Elsewhere Firm")
    url = _urls(organisation, mark)["badge"]
    app.config["REGISTER_VERSION_TTL"] = 60
    assert "Valid" in client.get(url).get_data(as_text=True)
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE charter_marks SET expires_on = ? WHERE id = ?"
            if db.engine.dialect.name == "sqlite"
            else "UPDATE charter_marks SET expires_on = %s WHERE id = %s",
            (date.today() - timedelta(days=1), mark.id),
        )
        connection.exec_driver_sql("UPDATE register_state SET version = version + 1")
    db.session.expire_all()  # another process's session would not hold the old row
    assert "Valid" in client.get(url).get_data(as_text=True)  # still held
    app.extensions.pop("register_version_held")  # as when the TTL runs out
    assert "Expired" in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("page", ["entry", "verify", "badge", "api"])
def test_an_answer_from_memory_carries_the_headers_it_was_first_sent_with(client, scheme, page):
    """Kept with its ETag, Last-Modified and Cache-Control, in the same order."""
    organisation, mark = make_holder(scheme, "Header Firm")
    url = _urls(organisation, mark)[page]

    first, again = client.get(url), client.get(url)

    def kept(response):
        return [(k, v) for k, v in response.headers.items() if k != "X-Request-Id"]

    assert first.status_code == again.status_code == 200
    assert kept(again) == kept(first)
    assert again.get_data() == first.get_data()
    assert {"ETag", "Last-Modified", "Cache-Control"} <= set(again.headers.keys())
