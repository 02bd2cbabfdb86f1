"""A service administrator sets the region of each charter (Charters and their regions), the
combined pages' choices follow at once; a region not in the list is refused with a message and
changes nothing; a charter's administrator who is not a service administrator gets a 404."""

from __future__ import annotations

import pytest

from charter.extensions import db
from charter.models import Charter
from charter.models.staff import ADMINISTRATOR
from tests.factories import make_user


@pytest.fixture
def charter(app, scheme):
    return db.session.get(Charter, scheme.charter_id)


@pytest.fixture
def service_admin(client_request):
    user = make_user(email="service@admin.example", role="admin")
    client_request.sign_in(user)
    return user


def test_a_service_administrator_moves_a_charter_to_another_region(
    client_request, service_admin, charter
):
    page = client_request.get("admin.list_charters")
    assert "Charters and their regions" in page.get_text()
    selected = page.select_one(f"#region-{charter.id} option[selected]")
    assert selected["value"] == "west-midlands"
    client_request.post(
        "admin.set_charter_region",
        charter_id=charter.id,
        _data={"region": "north-west"},
        _expected_redirect="/admin/charters",
        _form_page="/admin/charters",
    )
    db.session.expire_all()
    assert db.session.get(Charter, charter.id).region == "north-west"
    public = client_request.get("public.show_combined_impact")
    choices = [radio["value"] for radio in public.select("input[name=region]")]
    assert choices == ["", "north-west"]  # every charter, or the one region with a charter


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("atlantis", "There is no region ‘atlantis’: choose one of North East, North West"),
        ("West Midlands", "There is no region ‘West Midlands’"),
    ],
)
def test_a_region_not_in_the_list_is_refused_and_nothing_changes(
    client_request, service_admin, charter, region, message
):
    page = client_request.post(
        "admin.set_charter_region",
        charter_id=charter.id,
        _data={"region": region},
        _expected_status=400,
        _form_page="/admin/charters",
    )
    assert any(message in error for error in client_request.error_summary(page))
    db.session.expire_all()
    assert db.session.get(Charter, charter.id).region == "west-midlands"


def test_no_region_takes_the_charter_out_of_every_region(client_request, service_admin, charter):
    client_request.post(
        "admin.set_charter_region",
        charter_id=charter.id,
        _data={"region": ""},
        _expected_redirect="/admin/charters",
        _form_page="/admin/charters",
    )
    db.session.expire_all()
    assert db.session.get(Charter, charter.id).region is None


def test_a_charters_administrator_alone_cannot_see_it(client_request, charter):
    user = make_user(email="charter@admin.example", role=ADMINISTRATOR)
    client_request.sign_in(user)
    client_request.get("admin.list_charters", _expected_status=404)
    client_request.post(
        "admin.set_charter_region",
        charter_id=charter.id,
        _data={"region": "north-west"},
        _expected_status=404,
        _form_page="/admin/commissioners",  # a page of theirs with a form: a good CSRF token
    )
    db.session.expire_all()
    assert db.session.get(Charter, charter.id).region == "west-midlands"
