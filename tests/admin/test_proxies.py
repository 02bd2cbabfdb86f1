"""Administrators set the proxy values of the current scheme's measures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure
from tests.factories import submit

ROLES = [
    ("anonymous", "client", None),
    ("member", "member_client", 403),
    ("assessor", "assessor_client", 403),
    ("admin", "admin_client", 200),
]


@pytest.fixture
def measure(scheme):
    return db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id).order_by(Measure.position)
    )


def proxy_form(value: str, effective_from: date | None = None) -> dict:
    day = effective_from or date.today()
    return {"proxy_value": value, "effective_from": [str(day.day), str(day.month), str(day.year)]}


def _url(measure) -> str:
    return f"/admin/proxy-values/{measure.code}"


@pytest.mark.parametrize(("role", "client_fixture", "expected"), ROLES, ids=[r[0] for r in ROLES])
def test_permission_matrix(request, measure, role, client_fixture, expected):
    client = request.getfixturevalue(client_fixture)
    before = measure.proxy_value
    for url in ("/admin/proxy-values", _url(measure)):
        response = client.get(url)
        if expected is None:
            assert response.status_code == 302 and "/sign-in" in response.location
        else:
            assert response.status_code == expected
    response = submit(
        client,
        _url(measure),
        proxy_form("9.99"),
        form_url="/sign-in" if role == "anonymous" else "/",
    )
    db.session.refresh(measure)
    if role == "admin":
        assert response.status_code == 302
        assert measure.proxy_value == Decimal("9.99")
    else:
        assert response.status_code == (302 if expected is None else expected)
        assert measure.proxy_value == before


def test_the_list_explains_and_shows_each_measure(admin_client, scheme, measure):
    page = admin_client.get("/admin/proxy-values").get_data(as_text=True)
    assert "the scheme’s own choice" in page
    codes = db.session.scalars(select(Measure.code).where(Measure.scheme_id == scheme.id)).all()
    for code in codes:
        assert f"/admin/proxy-values/{code}" in page


@pytest.mark.parametrize(
    ("typed", "expected", "shown"),
    [
        ("0.25", "0.25", "£0.25"),
        ("£1,250.5", "1250.50", "£1,250.50"),
        ("0", "0.00", "£0<"),
        (" 3 ", "3.00", "£3<"),
    ],
)
def test_update(admin_client, measure, typed, expected, shown):
    response = submit(admin_client, _url(measure), proxy_form(typed))
    assert response.status_code == 302
    assert response.location.endswith("/admin/proxy-values")
    db.session.refresh(measure)
    assert measure.proxy_value == Decimal(expected)
    page = admin_client.get("/admin/proxy-values").get_data(as_text=True)
    assert shown in page  # pence only when there are any


def test_clear(admin_client, measure):
    measure.proxy_value = Decimal("1.50")
    db.session.commit()
    assert 'value="1.50"' in admin_client.get(_url(measure)).get_data(as_text=True)
    response = submit(admin_client, _url(measure), proxy_form(""))
    assert response.status_code == 302
    db.session.refresh(measure)
    assert measure.proxy_value is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter the proxy value as an amount in pounds, like 0.25"),
        ("NaN", "Enter the proxy value as an amount in pounds, like 0.25"),
        ("Infinity", "Enter the proxy value as an amount in pounds, like 0.25"),
        ("1e5", "Enter the proxy value as an amount in pounds, like 0.25"),
        ("1,2,3", "Enter the proxy value as an amount in pounds, like 0.25"),
        ("25%", "Enter the proxy value as an amount in pounds, without a % sign"),
        ("-1", "The proxy value must be 0 or more"),
        ("0.255", "Enter the proxy value to the nearest penny, like 0.25"),
        ("99999999999", "The proxy value must be £9,999,999,999.99 or less"),
    ],
)
def test_validation_changes_nothing(admin_client, measure, typed, message):
    measure.proxy_value = Decimal("1.50")
    db.session.commit()
    response = submit(admin_client, _url(measure), proxy_form(typed))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(measure)
    assert measure.proxy_value == Decimal("1.50")


def test_unknown_measure_is_a_404(admin_client, scheme):
    assert admin_client.get("/admin/proxy-values/NOPE").status_code == 404


def test_only_the_current_scheme_is_edited(admin_client, scheme, measure):
    scheme.is_current = False
    db.session.commit()
    assert admin_client.get(_url(measure)).status_code == 404


def test_a_new_value_is_added_to_the_history_not_written_over(admin_client, admin_user, measure):
    submit(admin_client, _url(measure), proxy_form("0.25"))
    later = date.today() + timedelta(days=30)
    response = submit(
        admin_client, _url(measure), {**proxy_form("0.40", later), "reason": "TOMs 2027"}
    )
    assert response.status_code == 302

    db.session.refresh(measure)
    assert measure.proxy_value == Decimal("0.25")  # the new one is not in force yet
    page = admin_client.get("/admin/proxy-values").get_data(as_text=True)
    assert "£0.40" in page and "£0.25" in page
    assert "TOMs 2027" in page and admin_user.full_name in page
    assert f"{later.day} {later:%B %Y}" in page


def test_a_value_starting_in_the_past_is_refused_and_nothing_saved(admin_client, measure):
    before = measure.proxy_value
    yesterday = date.today() - timedelta(days=1)
    response = submit(admin_client, _url(measure), proxy_form("5", yesterday))
    assert response.status_code == 200
    assert "must be today or later" in response.get_data(as_text=True)
    db.session.refresh(measure)
    assert measure.proxy_value == before


def test_a_post_without_the_date_boxes_is_a_form_error_not_a_crash(admin_client, measure):
    response = submit(admin_client, _url(measure), {"proxy_value": "1"})
    assert response.status_code == 200
    assert "Enter the date the value is in force from" in response.get_data(as_text=True)
