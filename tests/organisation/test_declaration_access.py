"""Who may use the minimum standards and self-assessment pages where the scheme has them (the
permission matrix's world is Shropshire's, whose scheme has neither): an owner declares, a
contributor sees the declaration but may not make it and completes the self-assessment, the
charter's staff look but do not act, another organisation's owner and anyone signed out are
told nothing or sent to sign in."""

from __future__ import annotations

import pytest

from charter.models import Membership
from tests.factories import make_organisation, make_user, sign_in
from tests.organisation.declaration_helpers import CHESHIRE_WEST, WARWICKSHIRE, load_council
from tests.organisation.test_self_assessment import TEST_SELF_ASSESSMENT

PAGES = {
    "declare": (CHESHIRE_WEST, "minimum-standards"),
    "assessment": (WARWICKSHIRE, "self-assessment"),
    "assess": (WARWICKSHIRE, "self-assessment/new"),
}
# (page, who, GET, POST): POST only where it is refused (an allowed one is its feature's test).
CASES = [
    ("declare", "owner", 200, None),
    ("declare", "contributor", 200, 403),
    ("declare", "outsider", 404, 404),
    ("declare", "assessor", 200, 404),
    ("declare", "anonymous", 302, 302),
    ("assessment", "owner", 200, None),
    ("assessment", "contributor", 200, None),
    ("assessment", "outsider", 404, None),
    ("assessment", "assessor", 200, None),
    ("assess", "contributor", 200, None),
    ("assess", "assessor", 404, 404),
    ("assess", "outsider", 404, 404),
    ("assess", "anonymous", 302, 302),
]


@pytest.mark.parametrize(("page", "who", "get", "post"), CASES)
def test_who_may_use_the_pages(app, db, page, who, get, post):
    council, rest = PAGES[page]
    scheme = load_council(council, TEST_SELF_ASSESSMENT if council == WARWICKSHIRE else "")
    owner = make_user(email="owner@home.example")
    home = make_organisation(owner=owner, scheme=scheme, status="signatory")
    people = {"owner": owner}
    people["contributor"] = make_user(email="contributor@home.example")
    db.session.add(
        Membership(user_id=people["contributor"].id, organisation_id=home.id, role="contributor")
    )
    # The only charter here is the default: its assessor is the charter's staff.
    people["assessor"] = make_user(email="assessor@council.example", role="assessor")
    people["outsider"] = make_user(email="outsider@elsewhere.example")
    make_organisation(owner=people["outsider"], scheme=scheme, status="signatory")
    db.session.commit()
    client = app.test_client()
    if who != "anonymous":
        sign_in(client, people[who].email)
        client.get("/")  # a page, for the CSRF token the test config may check

    url = f"/organisations/{home.slug}/{rest}"
    assert client.get(url).status_code == get
    if post is not None:
        app.config["WTF_CSRF_ENABLED"] = False
        assert client.post(url, data={}).status_code == post
