"""A charter's administrators appoint and remove its administrators on the staff page; the last
one stays; the page shows this charter's staff only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from charter.models import OutboxEmail
from charter.services.domain.charter_file import charter_table
from charter.services.domain.charters import create_charter
from charter.services.domain.schemes import read_toml
from tests.factories import make_user, roles_of, submit
from tests.services.domain.scheme_text_helpers import another_charter

APPOINT = "/admin/administrators/appoint"


def test_an_administrator_appoints_another_after_confirming(admin_client, db):
    person = make_user(email="rhian@example.com", full_name="Rhian Price")

    check = submit(admin_client, APPOINT, {"email": "rhian@example.com"})
    assert "Appoint Rhian Price as an administrator?" in check.get_data(as_text=True)
    assert roles_of(person) == set()

    done = submit(
        admin_client, APPOINT, {"email": "rhian@example.com", "confirmed": "yes"}, form_url=APPOINT
    )
    assert done.status_code == 302 and done.location.endswith("/admin/assessors")
    assert roles_of(person) == {"administrator"}
    email = db.session.scalar(select(OutboxEmail))
    assert "administrator of the Social Value Charter for Shropshire" in email.subject
    assert "Adam Admin has appointed you as an administrator" in email.body


def test_the_last_administrator_cannot_remove_themselves(admin_client, admin_user):
    url = f"/admin/administrators/{admin_user.id}/remove"
    response = submit(admin_client, url, form_url="/admin/assessors")
    assert response.status_code == 302
    listing = admin_client.get("/admin/assessors").get_data(as_text=True)
    assert "You are the charter&#39;s only administrator" in listing
    assert roles_of(admin_user) == {"administrator"}


def test_with_another_administrator_one_may_remove_themselves(admin_client, admin_user):
    make_user(email="second@example.com", role="administrator")
    url = f"/admin/administrators/{admin_user.id}/remove"
    assert submit(admin_client, url, form_url="/admin/assessors").status_code == 302
    assert roles_of(admin_user) == set()
    # No longer staff of this charter, but a service administrator still: told nothing.
    assert admin_client.get("/admin/assessors").status_code == 404


@pytest.mark.usefixtures("member")
def test_the_staff_page_lists_this_charters_staff_only(admin_client, assessor, db):
    second = create_charter(charter_table(read_toml(another_charter())))
    db.session.commit()
    make_user(email="w@example.com", full_name="Wyn Worcester", role="assessor", charter=second)

    html = admin_client.get("/admin/assessors").get_data(as_text=True)

    assert "Asha Assessor" in html and "Adam Admin" in html
    assert "Wyn Worcester" not in html and "Olive Owner" not in html
    assert f"/admin/administrators/{assessor.id}/remove" not in html
    assert f"/admin/assessors/{assessor.id}/revoke" in html
