"""The organisation's certificate page and PDF: issued only while the Mark is in force, naming
its issuer, dates and standing, with a QR code to the check page, and tagged for screen readers
(PDF/UA-1). For a Mark not in force the page says why there is no certificate, and since when."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from markupsafe import escape

from charter.extensions import db
from charter.formatting import format_date as long_date
from charter.security import links
from charter.services.domain.marks import add_months
from tests.factories import make_mark, make_organisation, make_user, set_stage, sign_in
from tests.organisation import pdf_helpers

ISSUER = "Social Value Group"
MEMBERS = "Representatives from the Local Authority, Health, Police & Crime Commissioner's Office"


def _url(organisation, pdf: bool = False) -> str:
    return f"/organisations/{organisation.slug}/certificate" + (".pdf" if pdf else "")


def test_the_certificate_page(member_client, organisation, scheme):
    mark = make_mark(organisation, scheme, awarded_on=date.today() - timedelta(days=30))
    response = member_client.get(_url(organisation))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert mark.certificate_number in page
    assert organisation.name in page
    assert "This certifies that" in page
    assert ISSUER in page and str(escape(MEMBERS)) in page
    assert f"Standing on {long_date(date.today())}" in page
    assert f"{long_date(mark.awarded_on)} to {long_date(mark.expires_on)}" in page
    assert f'href="http://localhost/c/shropshire/verify/{mark.certificate_number}"' in page
    assert 'src="data:image/svg+xml' in page  # the QR code
    assert ">Valid<" in page
    assert _url(organisation, pdf=True) in page


def test_the_pdf_names_the_issuer_the_dates_and_the_standing(member_client, organisation, scheme):
    awarded_on = date.today() - timedelta(days=30)
    mark = make_mark(organisation, scheme, awarded_on=awarded_on)
    response = member_client.get(_url(organisation, pdf=True))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="charter-mark-{mark.certificate_number}.pdf"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    data = response.get_data()
    text = pdf_helpers.text(data)
    assert "Charter Mark certificate" in text
    assert organisation.name in text and organisation.district in text
    assert f"Certificate number {mark.certificate_number}" in text
    assert f"Issued by {ISSUER} {MEMBERS}" in text
    assert f"Date of issue {long_date(awarded_on)}" in text
    expires = add_months(awarded_on, scheme.validity_months)
    assert f"Valid {long_date(awarded_on)} to {long_date(expires)}" in text
    assert f"Standing on {long_date(date.today())} Valid" in text
    verify_url = f"http://localhost/c/shropshire/verify/{mark.certificate_number}"
    assert verify_url in text
    assert pdf_helpers.link_targets(data) == [verify_url]
    assert len(pdf_helpers.reader(data).pages) == 1


def test_the_qr_code_on_the_pdf_decodes_to_the_check_page(member_client, organisation, scheme):
    mark = make_mark(organisation, scheme)
    data = member_client.get(_url(organisation, pdf=True)).get_data()
    verify_url = f"http://localhost/c/shropshire/verify/{mark.certificate_number}"
    assert pdf_helpers.qr_codes(data) == [verify_url]
    # ... and the page it leads to says the certificate is valid.
    page = member_client.get(verify_url.removeprefix("http://localhost")).get_data(as_text=True)
    assert mark.certificate_number in page and "Valid" in page


def test_the_pdf_is_tagged_for_screen_readers(member_client, organisation, scheme):
    mark = make_mark(organisation, scheme)
    data = member_client.get(_url(organisation, pdf=True)).get_data()
    reader = pdf_helpers.reader(data)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712  (a pypdf BooleanObject)
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title == (
        f"Charter Mark certificate {mark.certificate_number}: {organisation.name}"
    )
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # claims PDF/UA-1
    tags = pdf_helpers.tags(data)
    roles = [tag.role for tag in tags]
    assert roles[0] == "/Document"
    assert roles.count("/H1") == 1
    assert {"/P", "/Table", "/TR", "/TH", "/TD", "/Link"} <= set(roles)
    [figure] = [tag for tag in tags if tag.role == "/Figure"]
    assert (
        figure.alt
        == f"QR code linking to http://localhost/c/shropshire/verify/{mark.certificate_number}"
    )


def test_the_check_address_comes_from_service_url_not_the_request(
    app, member_client, organisation, scheme
):
    """The request comes to localhost; the certificate points where the service is published."""
    app.config["SERVICE_URL"] = "https://charter.example.gov.uk"
    links.register(app)  # as create_app does, with this SERVICE_URL
    mark = make_mark(organisation, scheme)
    response = member_client.get(_url(organisation, pdf=True))
    assert response.status_code == 200
    published = f"https://charter.example.gov.uk/c/shropshire/verify/{mark.certificate_number}"
    assert pdf_helpers.qr_codes(response.get_data()) == [published]
    # An address this long wraps onto a second line in the PDF: one link box per line.
    assert set(pdf_helpers.link_targets(response.get_data())) == {published}
    assert "localhost" not in pdf_helpers.text(response.get_data())


def test_a_renewal_due_mark_still_has_its_certificate(member_client, organisation, scheme):
    awarded_on = add_months(date.today(), -scheme.validity_months) + timedelta(days=10)
    make_mark(organisation, scheme, awarded_on=awarded_on)
    response = member_client.get(_url(organisation, pdf=True))
    assert response.status_code == 200
    assert f"Standing on {long_date(date.today())} Valid, renewal due" in pdf_helpers.text(
        response.get_data()
    )


def test_characters_beyond_latin_1_are_printed_as_they_are(member_client, organisation, scheme):
    organisation.name = "Smith’s Builders – Łódź"
    db.session.commit()
    make_mark(organisation, scheme)
    response = member_client.get(_url(organisation, pdf=True))
    assert response.status_code == 200
    assert "Smith’s Builders – Łódź" in pdf_helpers.text(response.get_data())


CHANGED_AT = datetime(2026, 3, 4, 15, 30)

# (mark status, organisation status, days since expiry or None, the page's heading)
WITHHELD = [
    pytest.param(
        "revoked", "monitoring", None, "Your Charter Mark was revoked on 4 March 2026", id="revoked"
    ),
    pytest.param(
        "suspended",
        "suspended",
        None,
        "Your Charter Mark has been suspended since 4 March 2026",
        id="suspended-by-an-administrator",
    ),
    pytest.param(
        "suspended",
        "mark_suspended",
        None,
        "Your Charter Mark has been suspended since 4 March 2026",
        id="suspended-for-a-missed-return",
    ),
    pytest.param("expired", "monitoring", 20, "Your Charter Mark expired after", id="expired"),
    pytest.param(
        "valid",
        "accredited",
        1,
        "Your Charter Mark expired after",
        id="past-its-date-not-yet-marked",
    ),
]


@pytest.mark.parametrize(("status", "organisation_status", "expired_days", "heading"), WITHHELD)
def test_no_certificate_for_a_mark_not_in_force(
    member_client, organisation, scheme, status, organisation_status, expired_days, heading
):
    awarded_on = date.today() - timedelta(days=30)
    if expired_days is not None:
        awarded_on = add_months(date.today() - timedelta(days=expired_days), -24)
    mark = make_mark(organisation, scheme, awarded_on=awarded_on, status=status)
    mark.status_changed_at = CHANGED_AT
    mark.revoked_reason = "Invoices paid late" if status == "revoked" else None
    organisation.status = organisation_status
    db.session.commit()

    refused = member_client.get(_url(organisation, pdf=True))
    page = member_client.get(_url(organisation))

    assert refused.status_code == 409
    assert refused.headers["Content-Type"].startswith("text/html")
    assert refused.headers["Cache-Control"] == "private, no-store"
    assert page.status_code == 200
    for html in (refused.get_data(as_text=True), page.get_data(as_text=True)):
        assert heading in html
        assert "This certifies that" not in html
        assert "Download the certificate" not in html
        assert 'src="data:image/svg+xml' not in html
        assert "What you can do" in html
        assert f"http://localhost/c/shropshire/verify/{mark.certificate_number}" in html
        if expired_days is not None:
            assert f"was valid until {long_date(mark.expires_on)}" in html
        if status == "revoked":
            assert "Invoices paid late" in html
    dashboard = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Why there is no certificate to download" in dashboard
    assert _url(organisation, pdf=True) not in dashboard


def test_a_system_suspension_says_what_to_send(member_client, organisation, scheme):
    make_mark(organisation, scheme, status="suspended")
    set_stage(organisation, "mark_suspended")
    db.session.commit()
    page = member_client.get(_url(organisation)).get_data(as_text=True)
    assert "Send the overdue monitoring return" in page
    assert "reinstated" in page


def test_staff_may_see_the_certificate(admin_client, organisation, scheme):
    make_mark(organisation, scheme)
    assert admin_client.get(_url(organisation)).status_code == 200


def test_no_mark_is_a_404(member_client, organisation):
    assert member_client.get(_url(organisation)).status_code == 404
    assert member_client.get(_url(organisation, pdf=True)).status_code == 404


def test_other_people_cannot_see_it(app, client, organisation, scheme):
    make_mark(organisation, scheme)
    url = _url(organisation)
    assert client.get(url).status_code == 302  # to sign in
    stranger = make_user()
    make_organisation(owner=stranger, scheme=scheme)
    sign_in(client, stranger.email)
    assert client.get(url).status_code == 404
    assert client.get(url + ".pdf").status_code == 404


def test_the_dashboard_shows_the_mark(member_client, organisation, scheme):
    mark = make_mark(organisation, scheme)
    page = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert mark.certificate_number in page
    assert _url(organisation, pdf=True) in page
    assert "govuk-tag--green" in page


def test_the_dashboard_lists_the_mark_history(member_client, organisation, scheme):
    from tests.factories import audit

    mark = make_mark(organisation, scheme)
    audit(organisation, "award_mark", "under_assessment", "accredited", datetime(2026, 5, 4, 9))
    page = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Charter Mark history" in page
    assert f"Gained the Charter Mark, certificate {mark.certificate_number}" in page
    assert "4 May 2026" in page
