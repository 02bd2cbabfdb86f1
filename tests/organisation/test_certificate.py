"""The organisation's certificate page and PDF."""

from __future__ import annotations

import re
import zlib

from charter.extensions import db
from tests.factories import make_mark, make_organisation, make_user, sign_in


def _pdf_text(data: bytes) -> bytes:
    """The PDF's content streams, inflated: fpdf2 compresses them."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            out.append(stream)
    return b"\n".join(out)


def test_the_certificate_page(member_client, organisation, scheme):
    mark = make_mark(organisation, scheme)
    response = member_client.get(f"/organisations/{organisation.slug}/certificate")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert mark.certificate_number in page
    assert organisation.name in page
    assert f"{scheme.name}, version {scheme.version}" in page
    assert f"http://localhost/verify/{mark.certificate_number}" in page
    assert ">Valid<" in page


def test_the_pdf(member_client, organisation, scheme):
    mark = make_mark(organisation, scheme)
    response = member_client.get(f"/organisations/{organisation.slug}/certificate.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="charter-mark-{mark.certificate_number}.pdf"'
    )
    data = response.get_data()
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert mark.certificate_number.encode() in text
    assert organisation.name.encode() in text
    assert b"Valid" in text


def test_the_pdf_shows_a_revoked_mark_as_revoked(member_client, organisation, scheme):
    make_mark(organisation, scheme, status="revoked")
    text = _pdf_text(
        member_client.get(f"/organisations/{organisation.slug}/certificate.pdf").get_data()
    )
    assert b"Revoked" in text
    assert b"Valid" not in text


def test_the_pdf_copes_with_characters_outside_latin_1(member_client, organisation, scheme):
    organisation.name = "Smith’s Builders – Łódź"
    db.session.commit()
    make_mark(organisation, scheme)
    response = member_client.get(f"/organisations/{organisation.slug}/certificate.pdf")
    assert response.status_code == 200
    assert b"Smith's Builders - ?" in _pdf_text(response.get_data())


def test_staff_may_see_the_certificate(admin_client, organisation, scheme):
    make_mark(organisation, scheme)
    assert admin_client.get(f"/organisations/{organisation.slug}/certificate").status_code == 200


def test_no_mark_is_a_404(member_client, organisation):
    assert member_client.get(f"/organisations/{organisation.slug}/certificate").status_code == 404
    url = f"/organisations/{organisation.slug}/certificate.pdf"
    assert member_client.get(url).status_code == 404


def test_other_people_cannot_see_it(app, client, organisation, scheme):
    make_mark(organisation, scheme)
    url = f"/organisations/{organisation.slug}/certificate"
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
    assert f"/organisations/{organisation.slug}/certificate.pdf" in page
    assert "govuk-tag--green" in page


def test_the_dashboard_lists_the_mark_history(member_client, organisation, scheme):
    from datetime import datetime

    from tests.factories import audit

    mark = make_mark(organisation, scheme)
    audit(organisation, "award_mark", "under_assessment", "accredited", datetime(2026, 5, 4, 9))
    page = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Charter Mark history" in page
    assert f"Gained the Charter Mark, certificate {mark.certificate_number}" in page
    assert "4 May 2026" in page
