import re

from tests.factories import make_organisation

ROW = re.compile(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a></th>')


def _names(response) -> list[str]:
    return ROW.findall(response.get_data(as_text=True))


def test_organisations_are_listed_25_to_a_page_with_pagination(admin_client, scheme):
    for n in range(30):
        make_organisation(scheme=scheme, name=f"Organisation {n:02d}")

    first = admin_client.get("/admin/organisations")
    second = admin_client.get("/admin/organisations?page=2")

    assert _names(first) == [f"Organisation {n:02d}" for n in range(25)]
    assert 'href="/organisations/' in first.get_data(as_text=True)
    assert _names(second) == [f"Organisation {n:02d}" for n in range(25, 30)]
    html = first.get_data(as_text=True)
    assert 'class="govuk-pagination"' in html
    assert "30 organisations" in html
    assert 'href="/admin/organisations?page=2"' in html
    assert admin_client.get("/admin/organisations?page=3").status_code == 404


def test_organisations_can_be_filtered_by_status(admin_client, scheme):
    make_organisation(scheme=scheme, name="Held Ltd", status="accredited")
    make_organisation(scheme=scheme, name="Signed Ltd", status="signatory")

    response = admin_client.get("/admin/organisations?status=accredited")

    assert _names(response) == ["Held Ltd"]
    html = response.get_data(as_text=True)
    assert "1 organisation" in html and "Charter Mark holder" in html
    assert 'class="govuk-pagination"' not in html


def test_the_status_filter_is_kept_across_pages(admin_client, scheme):
    for n in range(27):
        make_organisation(scheme=scheme, name=f"Signatory {n:02d}", status="signatory")
    make_organisation(scheme=scheme, name="Other", status="monitoring")

    html = admin_client.get("/admin/organisations?status=signatory").get_data(as_text=True)

    assert "27 organisations" in html
    assert 'href="/admin/organisations?status=signatory&amp;page=2"' in html


def test_an_unknown_status_is_explained(admin_client):
    response = admin_client.get("/admin/organisations?status=nonsense")

    assert response.status_code == 400
    assert "Select a status from the list" in response.get_data(as_text=True)
