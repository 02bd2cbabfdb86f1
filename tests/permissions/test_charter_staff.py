"""Staff see their own charter's signatories, never another's (issue 20): an organisation that
signed two charters is seen by each charter's staff through its own signing only (404, not 403,
for the other's). The administration pages act in the administrator's own charter
(docs/charters.md, "Staff")."""

from __future__ import annotations

import pytest

from charter.models import Charter
from charter.models.signing import acting_in
from charter.services.domain import signings
from charter.services.domain.schemes import load_scheme_text
from tests.factories import make_organisation, make_user, sign_in
from tests.public.charter_helpers import second_charter_text


@pytest.fixture
def world(app, db, scheme):
    worcestershire = load_scheme_text(second_charter_text()).scheme
    charter = db.session.get(Charter, worcestershire.charter_id)
    only_shropshire = make_organisation(scheme=scheme, name="Severn Only Ltd", status="monitoring")
    both = make_organisation(scheme=scheme, name="Both Charters Ltd", status="monitoring")
    signings.start(both, worcestershire).status = "signatory"
    db.session.commit()
    return {
        "shropshire_admin": make_user(email="admin@shropshire.example", role="administrator"),
        "worcestershire_admin": make_user(
            email="admin@worcestershire.example", role="administrator", charter=charter
        ),
        "only_shropshire": only_shropshire,
        "both": both,
        "worcestershire": worcestershire,
    }


# (who, path, status): {only} is Severn Only Ltd, {both} the one that signed both charters.
CASES = [
    ("worcestershire_admin", "/admin/", 200),
    ("worcestershire_admin", "/admin/organisations?charter=worcestershire", 200),
    ("worcestershire_admin", "/admin/organisations/{both}", 200),
    ("worcestershire_admin", "/admin/organisations/{only}", 404),
    ("worcestershire_admin", "/admin/people", 404),  # the service's
    ("worcestershire_admin", "/organisations/{only}", 404),
    ("worcestershire_admin", "/organisations/{only}?charter=worcestershire", 404),
    ("worcestershire_admin", "/organisations/{both}?charter=worcestershire", 200),
    # Without the charter named, the organisation's pages are its first signing's: Shropshire's.
    ("worcestershire_admin", "/organisations/{both}", 404),
    ("worcestershire_admin", "/organisations/{both}/action-plan", 404),
    ("shropshire_admin", "/organisations/{both}", 200),
    ("shropshire_admin", "/organisations/{both}?charter=worcestershire", 404),
    ("shropshire_admin", "/organisations/{only}", 200),
    # A charter named that the person is not staff of is not theirs to act in.
    ("shropshire_admin", "/admin/organisations?charter=worcestershire", 200),
]


@pytest.mark.parametrize(("who", "path", "status"), CASES)
def test_each_charter_s_staff_see_its_own_signings(client, world, who, path, status):
    sign_in(client, world[who].email)
    url = path.format(only=world["only_shropshire"].slug, both=world["both"].slug)
    assert client.get(url).status_code == status


def test_a_charter_s_administrators_list_its_own_signatories(client, world):
    sign_in(client, world["shropshire_admin"].email)
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert "Both Charters Ltd" in page and "Severn Only Ltd" in page
    # Shown in its Shropshire state, not its Worcestershire one.
    row = page.split("Both Charters Ltd", 1)[1].split("</tr>", 1)[0]
    assert "Monitoring" in row and "Charter signatory" not in row


def test_an_organisation_that_signed_only_another_charter_is_not_found_by_administrators(
    client, db, world
):
    only_worcestershire = make_organisation(scheme=world["worcestershire"], status="signatory")
    sign_in(client, world["shropshire_admin"].email)
    assert client.get(f"/admin/organisations/{only_worcestershire.slug}").status_code == 404
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert only_worcestershire.name not in page


def test_another_charter_s_administrators_list_their_own_signatories(client, world):
    sign_in(client, world["worcestershire_admin"].email)
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert "Both Charters Ltd" in page and "Severn Only Ltd" not in page
    # Shown in its Worcestershire state.
    row = page.split("Both Charters Ltd", 1)[1].split("</tr>", 1)[0]
    assert "Charter signatory" in row and "Monitoring" not in row


def test_naming_a_charter_one_is_not_staff_of_changes_nothing(client, world):
    sign_in(client, world["shropshire_admin"].email)
    page = client.get("/admin/organisations?charter=worcestershire").get_data(as_text=True)
    assert "Severn Only Ltd" in page  # still Shropshire's list: not staff of Worcestershire


def test_a_review_or_a_page_acting_in_a_charter_reads_that_signing(db, world):
    both = world["both"]
    with acting_in(world["worcestershire"].charter_id):
        assert both.status == "signatory"
    assert both.status == "monitoring"  # its first signing, Shropshire's
