"""Public verification of a Charter Mark certificate, with no sign-in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from charter.extensions import db
from charter.formatting import format_date
from tests.factories import make_mark, set_stage


@pytest.fixture
def valid_mark(organisation, scheme):
    return make_mark(organisation, scheme)


def standing(page) -> tuple[str, set[str]]:
    """The certificate's standing as shown: the tag's words and its colour classes."""
    tag = page.select_one("main .govuk-tag")
    return tag.get_text(strip=True), set(tag["class"]) - {"govuk-tag"}


def verify(client_request, mark, **kwargs):
    return client_request.get(
        "public.verify_certificate", certificate_number=mark.certificate_number, **kwargs
    )


def test_a_valid_certificate(client_request, organisation, scheme, valid_mark):
    page = verify(client_request, valid_mark)
    assert client_request.heading(page) == organisation.name
    assert standing(page) == ("Valid", {"govuk-tag--green"})
    text = page.get_text(" ")
    assert organisation.district in text
    assert scheme.name in text
    assert format_date(valid_mark.expires_on) in text


def test_lookup_is_case_insensitive_and_redirects_to_the_one_address(client, valid_mark):
    response = client.get(f"/c/shropshire/verify/{valid_mark.certificate_number.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/c/shropshire/verify/{valid_mark.certificate_number}"
    )


def test_renewal_due(client_request, organisation, scheme):
    # Awarded so long ago that it expires inside the renewal window.
    mark = make_mark(organisation, scheme, awarded_on=date.today() - timedelta(days=400))
    mark.expires_on = date.today() + timedelta(days=scheme.renewal_window_days - 1)
    db.session.commit()
    words, colour = standing(verify(client_request, mark))
    assert colour == {"govuk-tag--yellow"}
    assert "renewal due" in words


@pytest.mark.parametrize(
    ("status", "awarded_days_ago", "shown"),
    [
        # Expired by its date, whatever its recorded status: it never looks valid.
        ("valid", 800, ("Expired", {"govuk-tag--grey"})),
        ("expired", 0, ("Expired", {"govuk-tag--grey"})),
        ("suspended", 0, ("Suspended", {"govuk-tag--red"})),
        ("revoked", 0, ("Revoked", {"govuk-tag--red"})),
    ],
)
def test_status_and_date_decide_the_standing(
    client_request, organisation, scheme, status, awarded_days_ago, shown
):
    mark = make_mark(
        organisation,
        scheme,
        status=status,
        awarded_on=date.today() - timedelta(days=awarded_days_ago),
    )
    page = verify(client_request, mark)
    assert standing(page) == shown
    if status != "suspended":
        assert "Valid" not in page.get_text()


def test_a_superseded_certificate_points_to_the_current_one(client, organisation, scheme):
    old = make_mark(organisation, scheme, awarded_on=date.today() - timedelta(days=30))
    new = make_mark(organisation, scheme)
    page = client.get(f"/c/shropshire/verify/{old.certificate_number}").get_data(as_text=True)
    assert "Valid" not in page
    assert new.certificate_number in page


def test_unknown_certificate_is_a_helpful_404(client, scheme):
    response = client.get("/c/shropshire/verify/CM-22222222")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Certificate not found" in page
    assert "CM-22222222" in page
    assert "Valid" not in page


def test_nonsense_is_a_404_with_the_text_escaped(client, scheme):
    response = client.get("/c/shropshire/verify/<script>x")
    assert response.status_code == 404
    assert "<script>x" not in response.get_data(as_text=True)


def test_the_start_page(client, scheme):
    response = client.get("/c/shropshire/verify")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="certificate_number"' in page
    assert "govuk-error-summary" not in page


def test_the_start_page_redirects_to_the_certificate(client, valid_mark):
    number = valid_mark.certificate_number
    response = client.get(
        "/c/shropshire/verify", query_string={"certificate_number": f" {number.lower()} "}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/shropshire/verify/{number}")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a certificate number, like CM-7K3F9QX2"),
        ("   ", "Enter a certificate number, like CM-7K3F9QX2"),
        ("CM-123", "Enter a certificate number in the correct format, like CM-7K3F9QX2"),
    ],
)
def test_the_start_page_validates(client, scheme, typed, message):
    response = client.get("/c/shropshire/verify", query_string={"certificate_number": typed})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert "<title>Error:" in page


def test_the_holder_links_to_the_public_register_entry(client, organisation, valid_mark):
    set_stage(organisation, "accredited")
    db.session.commit()
    mark = valid_mark
    html = client.get(f"/c/shropshire/verify/{mark.certificate_number}").get_data(as_text=True)
    assert f'href="/c/shropshire/register/{organisation.slug}"' in html


def test_a_certificate_check_is_one_query(client, valid_mark, query_counter):
    """The mark, its scheme and its holder come in one query: checks name many different
    certificates, so most are rendered afresh."""

    def queries(number: str) -> int:
        with query_counter() as counter:
            response = client.get(f"/c/shropshire/verify/{number}")
            response.get_data()
        return counter.value

    not_a_number = queries("nonsense")  # no lookup: only what every public answer reads
    assert queries(valid_mark.certificate_number) == not_a_number + 1
