"""Every public surface tells the same standing, for every pair of lifecycle states and every
Mark row.

An oracle written here (not from the code) says who holds the Charter Mark on a day: an
organisation whose duties are neither suspended nor lapsed, whose Mark's lifecycle holds it
(accredited, renewal due, or renewing: not suspended for a missed duty, expired, revoked or only
applied for) and whose current Mark row is valid and not past its expiry (or, with no Mark row
recorded at all, a monitored signatory whose Mark's lifecycle holds it). The walk builds one
organisation for each combination of the two lifecycles' states (every Mark state of a monitored
signatory; none or a held Mark for the others) × Mark row status × expiry (past, in the renewal
window, later) and reads every surface through HTTP: the register page and its filters, the
CSV, the JSON, the API (and its ``standing`` filter), ``/verify``, the badge and the API's
certificate answer; the certificate (page and PDF) through its read model. A hypothesis test then
checks the SQL filters against the Python rules on generated days and windows.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from charter.extensions import db
from charter.models import Organisation
from charter.services.domain import signings
from charter.services.domain import standing as rules
from charter.services.read_models import certificate_issue, public_standing
from charter.services.read_models.register_query import PUBLIC_STATUS_LABELS
from tests.factories import make_mark, make_organisation
from workflows import lifecycle

MARK_STATUSES = (None, "valid", "suspended", "revoked", "expired")
EXPIRIES = {"past": -1, "window": 30, "later": 400}
HOLDER_LABELS = (PUBLIC_STATUS_LABELS["holder"], PUBLIC_STATUS_LABELS["holder_renewal_due"])


HELD_BY_ITS_LIFECYCLE = (
    "accredited",
    "renewal_due",
    "renewal_under_assessment",
    "renewal_information_requested",
)
# The two lifecycles' pairs walked: every Mark state of a monitored signatory, and no Mark or
# a held one for a signatory in any other public state of its duties.
PAIRS = [("monitoring", mark) for mark in lifecycle.MARK_STATES] + [
    (duties, mark)
    for duties in lifecycle.PUBLIC_STATES
    if duties != "monitoring"
    for mark in ("no_mark", "accredited")
]


def oracle_holds(
    states: rules.States, mark_status: str | None, expires_on: date | None, today: date
):
    if states.duties in ("suspended", "lapsed") or states.mark not in HELD_BY_ITS_LIFECYCLE:
        return False
    if mark_status is None:
        return states.duties == "monitoring"
    return mark_status == "valid" and expires_on >= today


def _combinations():
    for pair in PAIRS:
        yield rules.States(*pair), None, None
        for status, expiry in itertools.product(MARK_STATUSES[1:], EXPIRIES):
            yield rules.States(*pair), status, expiry


def _world(scheme, today):
    """One organisation per combination, by slug: (state, mark status, expiry, mark)."""
    world = {}
    for n, (state, status, expiry) in enumerate(_combinations()):
        organisation = make_organisation(
            scheme=scheme, status=state.duties, name=f"Standing {n:03d}", slug=f"standing-{n:03d}"
        )
        mark = None
        if status is not None:
            mark = make_mark(organisation, scheme, awarded_on=today - timedelta(days=700))
            mark.status = status
            mark.expires_on = today + timedelta(days=EXPIRIES[expiry])
        signings.signing_of(organisation).mark_status = state.mark  # as walked, whatever the row
        db.session.commit()
        world[organisation.slug] = (state, status, mark)
    return world


def _expected(world, today):
    return {
        slug: oracle_holds(state, status, mark.expires_on if mark else None, today)
        for slug, (state, status, mark) in world.items()
    }


def _register_labels(client, **filters) -> dict[str, str]:
    """slug -> the tag on the register's list, every page."""
    labels, page = {}, 1
    while True:
        html = client.get(
            "/c/shropshire/register", query_string={**filters, "page": page}
        ).get_data(True)
        found = re.findall(
            r'href="/c/shropshire/register/(standing-\d+)">'
            r'.*?<strong class="govuk-tag [^"]*">([^<]*)</strong>',
            html,
            re.S,
        )
        labels.update(found)
        if 'rel="next"' not in html:
            return labels
        page += 1


def _first_tag(html: str) -> str:
    """The standing's tag under a page's heading (not the phase banner's)."""
    return re.search(r'<p class="govuk-body"><strong class="govuk-tag [^"]*">([^<]*)<', html)[1]


def _api(client, **filters) -> dict[str, dict]:
    out, after = {}, None
    while True:
        query = {**filters, "limit": 100, **({"cursor": after} if after else {})}
        body = client.get("/api/v1/organisations", query_string=query).get_json()
        out.update((row["slug"], row) for row in body["data"])
        after = (body.get("links") or {}).get("next")
        if not after:
            return out
        after = re.search(r"cursor=([^&]+)", after)[1]


def test_every_surface_tells_the_same_standing(app, scheme):
    today = date.today()
    world = _world(scheme, today)
    expected = _expected(world, today)
    holders = {slug for slug, holds in expected.items() if holds}
    assert len(holders) >= 10 and len(world) - len(holders) >= 10
    client = app.test_client()

    # The register page, its holders filter and its signatories filter.
    listed = _register_labels(client)
    assert set(listed) == set(world)
    assert {slug for slug, label in listed.items() if label in HOLDER_LABELS} == holders
    assert set(_register_labels(client, standing="holders")) == holders
    signatories = set(_register_labels(client, standing="signatories"))
    assert not signatories & holders
    for slug in world:
        page = client.get(f"/c/shropshire/register/{slug}").get_data(True)
        tag = _first_tag(page)
        assert (tag in HOLDER_LABELS) == expected[slug], (slug, world[slug], tag)
        assert tag == listed[slug]

    # The CSV and the JSON.
    rows = csv.DictReader(io.StringIO(client.get("/c/shropshire/register.csv").get_data(True)))
    csv_rows = {row["slug"]: row for row in rows}
    json_rows = {
        row["slug"]: row
        for row in client.get("/c/shropshire/register.json").get_json()["organisations"]
    }
    for slug, holds in expected.items():
        for row in (csv_rows[slug], json_rows[slug]):
            assert (row["status"] in rules.HOLDER_STATUSES) == holds, (slug, world[slug], row)
            assert (row["status_label"] in HOLDER_LABELS) == holds
            assert (row["status_label"] == listed[slug]) or holds is False
            if world[slug][2] is not None:
                assert (row["charter_mark_standing"] in rules.HOLDING_STANDINGS) == holds
        if (row["status"] in ("signatory", "working_towards")) != (slug in signatories):
            raise AssertionError((slug, world[slug], row["status"]))

    # The API, with and without its standing filter.
    api = _api(client)
    assert set(_api(client, standing="holders")) == holders
    for slug, holds in expected.items():
        assert (api[slug]["status"] in rules.HOLDER_STATUSES) == holds, (slug, world[slug])
        if api[slug]["charter_mark"]:
            assert (api[slug]["charter_mark"]["standing"] in rules.HOLDING_STANDINGS) == holds

    # /verify, the badge and the API's certificate answer; the certificate itself.
    with app.test_request_context():
        for slug, (_state, _status, mark) in world.items():
            if mark is None:
                continue
            holds = expected[slug]
            number = mark.certificate_number
            verify = client.get(f"/c/shropshire/verify/{number}").get_data(True)
            label = _first_tag(verify)
            assert (label in ("Valid", "Valid, renewal due")) == holds, (slug, world[slug], label)
            badge = client.get(f"/c/shropshire/badge/{number}.svg").get_data(True)
            assert (">Valid<" in badge or ">Renewal due<" in badge) == holds, (slug, badge)
            answer = client.get(f"/api/v1/certificates/{number}").get_json()["data"]
            assert (answer["standing"] in rules.HOLDING_STANDINGS) == holds
            organisation = db.session.get(Organisation, mark.organisation_id)
            certificate = certificate_issue.certificate_of(organisation, today)
            assert certificate.is_issued == holds, (slug, world[slug])


@settings(max_examples=200, deadline=None, database=None)
@given(
    duties=st.sampled_from(lifecycle.PUBLIC_STATES),
    mark_state=st.sampled_from(lifecycle.MARK_STATES),
    mark_status=st.sampled_from(MARK_STATUSES),
    days_to_expiry=st.integers(-800, 800),
    window=st.integers(0, 365),
)
def test_the_rules_agree_with_the_oracle(duties, mark_state, mark_status, days_to_expiry, window):
    state = rules.States(duties, mark_state)
    today = date(2026, 12, 6)
    expires_on = today + timedelta(days=days_to_expiry)
    mark = None if mark_status is None else rules.Facts(mark_status, expires_on, window)
    holds = oracle_holds(state, mark_status, expires_on, today)
    assert rules.holds_mark(state, mark, today) == holds
    if mark is not None:
        assert (rules.mark_standing(state, mark, today) in rules.HOLDING_STANDINGS) == holds
    label = public_standing.label(state, mark, today)
    assert (label in HOLDER_LABELS) == holds


def test_the_sql_filters_agree_with_the_rules_on_any_day(app, scheme):
    """The register's SQL for the standing filters against the Python rules, on generated days
    (before, on and after every expiry) over the whole walk."""
    base = date.today()
    world = _world(scheme, base)
    ids = {
        slug: db.session.scalar(select(Organisation.id).where(Organisation.slug == slug))
        for slug in world
    }

    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(offset=st.integers(-5, 450))
    def check(offset):
        today = base + timedelta(days=offset)
        in_sql = set(
            db.session.scalars(select(Organisation.id).where(rules.holding_clause(today, 0)))
        )
        in_sql_signatories = set(
            db.session.scalars(select(Organisation.id).where(rules.signatory_clause(today, 0)))
        )
        for slug, (state, _status, mark) in world.items():
            facts = public_standing.facts(mark)
            status = rules.public_status(state, facts, today)
            assert (ids[slug] in in_sql) == (status in rules.HOLDER_STATUSES), (slug, today)
            assert (ids[slug] in in_sql_signatories) == (status in rules.SIGNATORY_STATUSES), (
                slug,
                world[slug],
                today,
            )

    check()
