import re

import pytest

from tests.factories import make_organisation, make_user, sign_in, signing_id_for


def _count_in_row(html: str, label: str) -> int:
    match = re.search(re.escape(label) + r"</a>\s*</th>\s*<td[^>]*>(?:<strong>)?(\d+)", html)
    assert match, f"no row for {label}"
    return int(match.group(1))


def test_dashboard_counts_organisations_by_status_with_links(admin_client, scheme):
    for _ in range(3):
        make_organisation(scheme=scheme, status="accredited")
    make_organisation(scheme=scheme, status="suspended")
    html = admin_client.get("/admin/").get_data(as_text=True)

    assert _count_in_row(html, "Charter Mark holder") == 3
    assert _count_in_row(html, "Suspended") == 1
    assert _count_in_row(html, "Withdrawn") == 0
    assert _count_in_row(html, "All organisations") == 4
    assert 'href="/admin/organisations?status=accredited"' in html


@pytest.mark.usefixtures("assessor")
def test_dashboard_counts_people_by_role_and_shows_the_scheme(admin_client, member, scheme):
    make_user(role="assessor")
    # Members of the charter's signatories: an account of no organisation is no one's.
    make_organisation(owner=member, scheme=scheme)
    make_user(email="nobody@example.com")
    html = admin_client.get("/admin/").get_data(as_text=True)

    people = re.findall(
        r'<th scope="row" class="govuk-table__header">([A-Za-z ]+)</th>\s*'
        r"<td[^>]*>(\d+)</td>",
        html,
    )
    roles = ("Organisation members", "Assessors", "Administrators")
    # Other tables (audits by status) share the layout: read the roles' rows.
    assert {k: v for k, v in people if k in roles} == {
        "Organisation members": "1",
        "Assessors": "2",
        "Administrators": "1",
    }
    assert "Supporting the local economy" in html
    assert re.search(r"Principles\s*</dt>\s*<dd[^>]*>\s*6\s*</dd>", html)
    assert re.search(r"Measures\s*</dt>\s*<dd[^>]*>\s*12 \(6 core\)\s*</dd>", html)


def test_dashboard_counts_audits_by_status(admin_client, scheme):
    from charter.extensions import db
    from charter.models.duties import MarkAudit

    organisation = make_organisation(scheme=scheme, status="accredited")
    db.session.add(
        MarkAudit(
            organisation_id=organisation.id,
            signing_id=signing_id_for(organisation.id),
            year=2027,
            certificate_number="CM-22222222",
        )
    )
    db.session.commit()
    html = admin_client.get("/admin/").get_data(as_text=True)
    rows = dict(re.findall(r">([A-Za-z ]+)</th>\s*<td[^>]*>(\d+)</td>", html))
    assert rows["Assigned to an assessor"] == "1"
    assert rows["Figures confirmed"] == "0"


def test_before_any_charter_a_service_administrator_administers_none(app):
    # No charter, so no charter administrator: the service administrator's next step is
    # `flask charter create-charter FILE --administrator EMAIL` (docs/charters.md).
    make_user(email="admin@example.com", role="admin")
    client = app.test_client()
    sign_in(client, "admin@example.com")
    assert client.get("/admin/").status_code == 404


@pytest.mark.parametrize("organisations", [1, 20])
def test_dashboard_queries_do_not_grow_with_organisations(
    admin_client, scheme, query_counter, organisations
):
    for _ in range(organisations):
        make_organisation(scheme=scheme)
    admin_client.get("/admin/")  # warm up: the session user is loaded on the first request
    with query_counter() as count:
        assert admin_client.get("/admin/").status_code == 200
    # 8, the audits counted by status (one grouped query), the flagged figures waiting, the
    # entries awaiting a check and the awards from published notices waiting for a match.
    assert count.value <= 12
