"""Downloading evidence: its organisation's members and scheme staff only, never rendered."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from charter.extensions import db
from charter.models import Measure, MonitoringReturn, ReturnLine
from charter.services.infrastructure.evidence import delete_evidence, evidence_path, store_evidence
from tests.factories import make_organisation, make_user, sign_in, signing_id_for

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def make_evidence(organisation, user, data: bytes = PDF_BYTES, filename: str = "report.pdf"):
    """Evidence on one line of a draft monitoring return of ``organisation``, committed."""
    monitoring_return = MonitoringReturn(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        period_start=date(2025, 4, 1),
        period_end=date(2025, 9, 30),
        due_date=date(2025, 10, 31),
    )
    db.session.add(monitoring_return)
    db.session.flush()
    measure = db.session.scalar(select(Measure).order_by(Measure.id).limit(1))
    line = ReturnLine(return_id=monitoring_return.id, measure_id=measure.id)
    db.session.add(line)
    db.session.flush()
    evidence = store_evidence(
        FileStorage(stream=io.BytesIO(data), filename=filename),
        organisation=organisation,
        line=line,
        user=user,
    )
    db.session.commit()
    return evidence


def url_for_evidence(organisation, evidence) -> str:
    return f"/organisations/{organisation.slug}/evidence/{evidence.id}"


@pytest.fixture
def evidence(organisation, member):
    return make_evidence(organisation, member, filename="../Annual report 2025.pdf")


def assert_served_as_attachment(response, data: bytes, content_type: str, name: str) -> None:
    assert response.status_code == 200
    assert response.data == data
    assert response.mimetype == content_type
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_member_downloads_their_organisations_evidence(member_client, organisation, evidence):
    response = member_client.get(url_for_evidence(organisation, evidence))

    assert_served_as_attachment(response, PDF_BYTES, "application/pdf", "Annual_report_2025.pdf")


def test_html_uploaded_as_text_is_served_as_a_text_attachment(member_client, organisation, member):
    page = b"<html><script>alert(document.cookie)</script></html>"
    evidence = make_evidence(organisation, member, data=page, filename="page.html")

    response = member_client.get(url_for_evidence(organisation, evidence))

    assert_served_as_attachment(response, page, "text/plain", "page.txt")


def test_an_assessor_downloads_evidence(assessor_client, organisation, evidence):
    response = assessor_client.get(url_for_evidence(organisation, evidence))

    assert_served_as_attachment(response, PDF_BYTES, "application/pdf", "Annual_report_2025.pdf")


def test_an_admin_downloads_evidence(admin_client, organisation, evidence):
    response = admin_client.get(url_for_evidence(organisation, evidence))

    assert response.status_code == 200
    assert response.data == PDF_BYTES


def test_a_member_of_another_organisation_gets_not_found(app, scheme, organisation, evidence):
    outsider = make_user(email="outsider@example.com")
    other = make_organisation(owner=outsider, scheme=scheme)
    client = app.test_client()
    sign_in(client, outsider.email)

    assert client.get(url_for_evidence(organisation, evidence)).status_code == 404
    # Nor through their own organisation's address.
    assert client.get(url_for_evidence(other, evidence)).status_code == 404


def test_evidence_is_not_found_under_another_organisations_address(
    member_client, scheme, member, organisation, evidence
):
    """A member of two organisations cannot reach one's evidence through the other's URL."""
    second = make_organisation(owner=member, scheme=scheme)

    response = member_client.get(url_for_evidence(second, evidence))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, organisation, evidence):
    response = client.get(url_for_evidence(organisation, evidence))

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_unknown_or_deleted_evidence_is_not_found(member_client, organisation, evidence):
    url = url_for_evidence(organisation, evidence)
    path = evidence_path(evidence)
    delete_evidence(evidence)
    db.session.commit()

    assert not path.exists()
    assert member_client.get(url).status_code == 404
    assert member_client.get(f"/organisations/{organisation.slug}/evidence/999").status_code == 404


def test_a_missing_file_is_not_found(member_client, organisation, evidence):
    evidence_path(evidence).unlink()

    assert member_client.get(url_for_evidence(organisation, evidence)).status_code == 404
