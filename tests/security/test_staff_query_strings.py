"""Staff lists answer a bad query string with a clear message (issue 11, item 16)."""

from __future__ import annotations

import pytest

from tests.factories import make_organisation


def test_an_unknown_status_filter_is_explained(admin_client, scheme):
    make_organisation(scheme=scheme, name="Acorn Builders")

    response = admin_client.get("/admin/organisations", query_string={"status": "bogus"})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Select a status from the list" in html
    assert "Acorn Builders" in html, "the list is still shown, unfiltered"


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999", "1.5", "٣"])
def test_a_bad_page_number_is_explained(admin_client, assessor_client, scheme, page):
    for client, url in ((admin_client, "/admin/organisations"), (assessor_client, "/assessor/")):
        response = client.get(url, query_string={"page": page})
        assert response.status_code == 400, url
        assert "The page number must be a whole number" in response.get_data(as_text=True)


def test_a_known_status_and_page_still_work(admin_client, scheme):
    make_organisation(scheme=scheme, name="Acorn Builders", status="signatory")

    response = admin_client.get("/admin/organisations?status=signatory&page=1")

    assert response.status_code == 200
    assert "Acorn Builders" in response.get_data(as_text=True)
