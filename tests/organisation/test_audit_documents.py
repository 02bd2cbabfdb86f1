"""An organisation drawn for audit uploads the source documents the assessor asked for and
sends them; the assessor reads them on the audit's page."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import EvidenceFile, Membership, Organisation, OutboxEmail, ReturnLine, User
from charter.models.duties import MarkAudit
from tests.assessor.audit_helpers import audited_holder
from tests.factories import csrf_token, make_organisation, make_user, sign_in
from tests.services.infrastructure.storage_helpers import EXE_BYTES, PDF_BYTES


def _requested(assessor_client, audit, returns_asked: int = 1) -> list[int]:
    """The assessor asks for documents behind the first ``returns_asked`` figures."""
    url = f"/assessor/audits/{audit.id}"
    page = assessor_client.get(url).get_data(as_text=True)
    line_ids = [int(i) for i in re.findall(r'name="lines" type="checkbox" value="(\d+)"', page)]
    chosen = line_ids[:returns_asked]
    response = assessor_client.post(
        f"{url}/request-documents",
        data={
            "csrf_token": csrf_token(assessor_client, url),
            "lines": chosen,
            "request_text": "Invoices to local suppliers",
        },
    )
    assert response.status_code == 302
    return chosen


def _owner_client(client, audit):
    owner = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == audit.organisation_id)
    )
    sign_in(client, owner.email)
    return client


def _url(audit) -> str:
    slug = db.session.get(Organisation, audit.organisation_id).slug
    return f"/organisations/{slug}/audits/{audit.id}"


def _upload(client, audit, line_id, data=PDF_BYTES, name="invoices.pdf"):
    url = _url(audit)
    return client.post(
        f"{url}/documents",
        data={
            "csrf_token": csrf_token(client, url),
            "figure": str(line_id) if line_id is not None else "",
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _send(client, audit):
    url = _url(audit)
    return client.post(f"{url}/send-documents", data={"csrf_token": csrf_token(client, url)})


def _audit(audit_id: int) -> MarkAudit:
    db.session.expire_all()
    return db.session.get(MarkAudit, audit_id)


def test_upload_send_and_the_assessor_reads_them(app, client, assessor_client, assessor, scheme):
    audit = audited_holder(scheme, assessor)
    (line_id,) = _requested(assessor_client, audit)
    request_email = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.subject.contains("send the source documents"))
    )
    assert _url(audit) in request_email.body  # the email says where to upload

    owner = _owner_client(client, audit)
    dashboard = owner.get(_url(audit).split("/audits")[0]).get_data(as_text=True)
    assert "Go to your audit" in dashboard and "Invoices to local suppliers" in dashboard
    page = owner.get(_url(audit)).get_data(as_text=True)
    assert "Invoices to local suppliers" in page and "LE1" in page
    assert "No documents uploaded yet" in page

    assert _upload(owner, audit, line_id).status_code == 302
    page = owner.get(_url(audit)).get_data(as_text=True)
    assert "invoices.pdf uploaded" in page and "Remove" in page
    document = db.session.scalar(select(EvidenceFile).where(EvidenceFile.audit_id == audit.id))
    assert document.return_line_id == line_id

    assert _send(owner, audit).status_code == 302
    sent = _audit(audit.id)
    assert sent.status == "documents_sent" and sent.documents_sent_at is not None
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == assessor.email))
    assert "the source documents are ready" in email.subject
    assert f"/assessor/audits/{audit.id}" in email.body

    assessor_page = assessor_client.get(f"/assessor/audits/{audit.id}").get_data(as_text=True)
    assert "invoices.pdf" in assessor_page and "Sent to you on" in assessor_page
    download = re.search(r'href="([^"]+/evidence/\d+)"', assessor_page).group(1)
    answer = assessor_client.get(download)
    assert answer.status_code == 200 and answer.data == PDF_BYTES

    # Sent: no more uploads or removals until the assessor asks again.
    refused = _upload(owner, audit, line_id)
    assert refused.status_code == 302
    assert "not asking for documents" in owner.get(_url(audit)).get_data(as_text=True)
    url = _url(audit)
    owner.post(f"{url}/documents/{document.id}/remove", data={"csrf_token": csrf_token(owner, url)})
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 1


def test_refused_uploads_keep_nothing_and_say_why(app, client, assessor_client, assessor, scheme):
    audit = audited_holder(scheme, assessor, returns=2)
    _requested(assessor_client, audit, returns_asked=2)
    owner = _owner_client(client, audit)

    no_figure = _upload(owner, audit, None)
    assert no_figure.status_code == 400
    assert "Select the figure this document is for" in no_figure.get_data(as_text=True)

    line_ids = _audit(audit.id).requested_line_ids
    wrong_type = _upload(owner, audit, line_ids[0], data=EXE_BYTES, name="invoices.pdf")
    assert wrong_type.status_code == 400
    assert "must be a" in wrong_type.get_data(as_text=True)

    # A figure the assessor did not ask about is refused like a missing choice.
    other = _upload(owner, audit, 2**31 - 1)
    assert other.status_code == 400

    nothing = _send(owner, audit)
    assert nothing.status_code == 302
    assert "Upload at least one document" in owner.get(_url(audit)).get_data(as_text=True)
    assert _audit(audit.id).status == "documents_requested"
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0


def test_a_document_can_be_removed_before_it_is_sent(
    app, client, assessor_client, assessor, scheme
):
    audit = audited_holder(scheme, assessor)
    (line_id,) = _requested(assessor_client, audit)
    owner = _owner_client(client, audit)
    _upload(owner, audit, line_id)
    document = db.session.scalar(select(EvidenceFile).where(EvidenceFile.audit_id == audit.id))
    url = _url(audit)
    response = owner.post(
        f"{url}/documents/{document.id}/remove", data={"csrf_token": csrf_token(owner, url)}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
    missing = owner.post(
        f"{url}/documents/{document.id}/remove", data={"csrf_token": csrf_token(owner, url)}
    )
    assert missing.status_code == 404


def test_the_return_does_not_list_audit_documents(app, client, assessor_client, assessor, scheme):
    audit = audited_holder(scheme, assessor)
    (line_id,) = _requested(assessor_client, audit)
    owner = _owner_client(client, audit)
    _upload(owner, audit, line_id, name="payroll-records.pdf")
    assert "payroll-records.pdf" in owner.get(_url(audit)).get_data(as_text=True)
    slug = _url(audit).split("/")[2]
    line = db.session.get(ReturnLine, line_id)
    return_url = f"/organisations/{slug}/returns/{line.return_id}"
    page = owner.get(return_url)
    assert page.status_code == 200 and "LE1" in page.get_data(as_text=True)
    assert "payroll-records.pdf" not in page.get_data(as_text=True)


def test_only_members_act_and_other_organisations_see_nothing(
    app, client, assessor_client, assessor, scheme
):
    audit = audited_holder(scheme, assessor)
    (line_id,) = _requested(assessor_client, audit)
    url = _url(audit)
    # The assessor may look at the organisation's page but not upload for it.
    assert assessor_client.get(url).status_code == 200
    assert _upload(assessor_client, audit, line_id).status_code == 404

    stranger = make_user()
    other = make_organisation(owner=stranger, scheme=scheme)
    sign_in(client, stranger.email)
    assert client.get(url).status_code == 404
    # Another organisation's address with this audit's id: no such audit there.
    assert client.get(f"/organisations/{other.slug}/audits/{audit.id}").status_code == 404
