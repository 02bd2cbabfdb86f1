"""The embeddable SVG badge."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from charter.extensions import db
from tests.factories import make_mark


def _badge(client, number, **kwargs):
    return client.get(f"/c/shropshire/badge/{number}.svg", **kwargs)


def test_a_valid_badge(client, organisation, scheme):
    mark = make_mark(organisation, scheme)
    response = _badge(client, mark.certificate_number)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "Social Value Charter Mark" in svg
    assert "Valid" in svg
    assert "#00703c" in svg
    assert "<script" not in svg.lower()
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    assert response.headers["ETag"]


def test_the_etag_gives_304(client, organisation, scheme):
    mark = make_mark(organisation, scheme)
    etag = _badge(client, mark.certificate_number).headers["ETag"]
    again = _badge(client, mark.certificate_number, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    # When the standing changes, so does the ETag.
    mark.status = "revoked"
    db.session.commit()
    changed = _badge(client, mark.certificate_number, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_lookup_is_case_insensitive(client, organisation, scheme):
    mark = make_mark(organisation, scheme)
    assert _badge(client, mark.certificate_number.lower()).status_code == 200


def test_renewal_due_badge(client, organisation, scheme):
    mark = make_mark(organisation, scheme, awarded_on=date.today() - timedelta(days=400))
    mark.expires_on = date.today() + timedelta(days=1)
    db.session.commit()
    response = _badge(client, mark.certificate_number)
    svg = response.get_data(as_text=True)
    assert "Renewal due" in svg
    assert "#ffdd00" in svg
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_expired_by_date(client, organisation, scheme):
    mark = make_mark(organisation, scheme, awarded_on=date.today() - timedelta(days=800))
    svg = _badge(client, mark.certificate_number).get_data(as_text=True)
    assert "Expired" in svg
    assert "#505a5f" in svg
    assert "Valid" not in svg


@pytest.mark.parametrize(
    ("status", "text"),
    [("expired", "Expired"), ("suspended", "Suspended"), ("revoked", "Revoked")],
)
def test_not_valid_badges(client, organisation, scheme, status, text):
    mark = make_mark(organisation, scheme, status=status)
    response = _badge(client, mark.certificate_number)
    assert response.status_code == 200
    svg = response.get_data(as_text=True)
    assert text in svg
    assert "Valid" not in svg
    assert "#00703c" not in svg
    assert response.headers["Cache-Control"] == "public, max-age=300"
    if status != "expired":
        assert "#d4351c" in svg


def test_unknown_certificate_is_a_404_svg(client, scheme):
    response = _badge(client, "CM-22222222")
    assert response.status_code == 404
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "Unknown certificate" in svg
    assert "Valid" not in svg
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_badge_text_is_escaped():
    from charter.public.views.verify import badge_svg

    svg = badge_svg("<script>&", ("#000000", "#ffffff"))
    assert "<script>" not in svg
    assert "&lt;script&gt;&amp;" in svg


def test_a_badge_is_one_query(client, organisation, scheme, query_counter):
    """Each holder's website asks for a different badge, so most are rendered afresh."""
    mark = make_mark(organisation, scheme)

    def queries(number: str) -> int:
        with query_counter() as counter:
            _badge(client, number).get_data()
        return counter.value

    not_a_number = queries("nonsense")  # no lookup: only what every public answer reads
    assert queries(mark.certificate_number) == not_a_number + 1
    assert queries("CM-22222222") == not_a_number + 1
