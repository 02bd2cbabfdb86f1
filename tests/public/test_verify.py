"""Public verification of a Charter Mark certificate, with no sign-in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from charter.extensions import db
from tests.factories import make_mark


def _awarded_days_ago(scheme, days: int) -> date:
    return date.today() - timedelta(days=days)


@pytest.fixture
def valid_mark(organisation, scheme):
    return make_mark(organisation, scheme)


def test_a_valid_certificate(client, organisation, scheme, valid_mark):
    response = client.get(f"/verify/{valid_mark.certificate_number}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert organisation.name in page
    assert organisation.district in page
    assert scheme.name in page
    assert "govuk-tag--green" in page
    assert ">Valid<" in page
    assert valid_mark.expires_on.strftime("%-d %B %Y") in page


def test_lookup_is_case_insensitive_and_redirects_to_the_one_address(client, valid_mark):
    response = client.get(f"/verify/{valid_mark.certificate_number.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{valid_mark.certificate_number}")


def test_renewal_due(client, organisation, scheme):
    # Awarded so long ago that it expires inside the renewal window.
    awarded = date.today() - timedelta(days=400)
    mark = make_mark(organisation, scheme, awarded_on=awarded)
    mark.expires_on = date.today() + timedelta(days=scheme.renewal_window_days - 1)
    db.session.commit()
    page = client.get(f"/verify/{mark.certificate_number}").get_data(as_text=True)
    assert "govuk-tag--yellow" in page
    assert "renewal due" in page


def test_expired_by_date_never_looks_valid(client, organisation, scheme):
    mark = make_mark(organisation, scheme, awarded_on=date.today() - timedelta(days=800))
    assert mark.expires_on < date.today()
    response = client.get(f"/verify/{mark.certificate_number}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Expired" in page
    assert "govuk-tag--grey" in page
    assert "Valid" not in page
    assert "govuk-tag--green" not in page


@pytest.mark.parametrize(
    ("status", "label", "tag"),
    [
        ("expired", "Expired", "govuk-tag--grey"),
        ("suspended", "Suspended", "govuk-tag--red"),
        ("revoked", "Revoked", "govuk-tag--red"),
    ],
)
def test_status_decides_the_standing(client, organisation, scheme, status, label, tag):
    mark = make_mark(organisation, scheme, status=status)
    page = client.get(f"/verify/{mark.certificate_number}").get_data(as_text=True)
    assert f">{label}<" in page
    assert tag in page
    assert "govuk-tag--green" not in page
    if status != "suspended":
        assert "Valid" not in page


def test_a_superseded_certificate_points_to_the_current_one(client, organisation, scheme):
    old = make_mark(organisation, scheme, awarded_on=date.today() - timedelta(days=30))
    new = make_mark(organisation, scheme)
    page = client.get(f"/verify/{old.certificate_number}").get_data(as_text=True)
    assert "Valid" not in page
    assert new.certificate_number in page


def test_unknown_certificate_is_a_helpful_404(client, scheme):
    response = client.get("/verify/CM-22222222")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Certificate not found" in page
    assert "CM-22222222" in page
    assert "Valid" not in page


def test_nonsense_is_a_404_with_the_text_escaped(client, scheme):
    response = client.get("/verify/<script>x")
    assert response.status_code == 404
    assert "<script>x" not in response.get_data(as_text=True)


def test_the_start_page(client, scheme):
    response = client.get("/verify")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="certificate_number"' in page
    assert "govuk-error-summary" not in page


def test_the_start_page_redirects_to_the_certificate(client, valid_mark):
    number = valid_mark.certificate_number
    response = client.get("/verify", query_string={"certificate_number": f" {number.lower()} "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{number}")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a certificate number, like CM-7K3F9QX2"),
        ("   ", "Enter a certificate number, like CM-7K3F9QX2"),
        ("CM-123", "Enter a certificate number in the correct format, like CM-7K3F9QX2"),
    ],
)
def test_the_start_page_validates(client, scheme, typed, message):
    response = client.get("/verify", query_string={"certificate_number": typed})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert "<title>Error:" in page


def test_the_holder_links_to_the_public_register_entry(client, organisation, valid_mark):
    organisation.status = "accredited"
    db.session.commit()
    mark = valid_mark
    html = client.get(f"/verify/{mark.certificate_number}").get_data(as_text=True)
    assert f'href="/register/{organisation.slug}"' in html


def test_a_certificate_check_is_one_query(client, valid_mark, query_counter):
    """The mark, its scheme and its holder come in one query: checks name many different
    certificates, so most are rendered afresh."""

    def queries(number: str) -> int:
        with query_counter() as counter:
            response = client.get(f"/verify/{number}")
            response.get_data()
        return counter.value

    not_a_number = queries("nonsense")  # no lookup: only what every public answer reads
    assert queries(valid_mark.certificate_number) == not_a_number + 1
