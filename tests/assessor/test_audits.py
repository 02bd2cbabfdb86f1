"""The assessor's audit pages and the administrators' audit pages (issue 8)."""

from __future__ import annotations

import re

from sqlalchemy import select

from charter.extensions import db
from charter.models import Organisation, OutboxEmail
from charter.models.duties import MarkAudit
from tests.assessor.audit_helpers import audited_holder
from tests.factories import csrf_token, make_user, sign_in


def test_the_assessor_asks_for_documents_then_refers_concerns(
    app, assessor_client, assessor, admin_user, scheme
):
    audit = audited_holder(scheme, assessor)
    url = f"/assessor/audits/{audit.id}"
    page = assessor_client.get(url).get_data(as_text=True)
    assert "LE1" in page and "Ask for source documents" in page
    line_id = int(re.search(r'name="lines" type="checkbox" value="(\d+)"', page).group(1))

    token = csrf_token(assessor_client, url)
    response = assessor_client.post(
        f"{url}/request-documents",
        data={"csrf_token": token, "lines": [line_id], "request_text": "Supplier invoices"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(MarkAudit, audit.id).status == "documents_requested"
    assert db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.subject.contains("send the source documents"))
    )

    empty = assessor_client.post(
        f"{url}/outcome", data={"csrf_token": token, "outcome": "concerns", "reason": ""}
    )
    assert empty.status_code == 400
    assert "Say what the concerns are" in empty.get_data(as_text=True)

    referred = assessor_client.post(
        f"{url}/outcome",
        data={"csrf_token": token, "outcome": "concerns", "reason": "Invoices missing"},
    )
    assert referred.status_code == 302
    db.session.expire_all()
    audit = db.session.get(MarkAudit, audit.id)
    assert audit.status == "referred"
    # The assessor cannot suspend: the organisation is untouched until an administrator acts.
    assert db.session.get(Organisation, audit.organisation_id).mark_status == "accredited"
    assert db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == admin_user.email))


def test_another_assessor_cannot_see_or_act_on_the_audit(app, client, assessor, scheme):
    audit = audited_holder(scheme, assessor)
    other = make_user(role="assessor")
    sign_in(client, other.email)
    assert client.get(f"/assessor/audits/{audit.id}").status_code == 404
    assert client.get("/assessor/audits/99999999999").status_code == 404


def test_the_administrator_decides_on_referred_concerns(app, admin_client, scheme, assessor):
    audit = audited_holder(scheme, assessor)
    audit.status, audit.outcome_reason = "referred", "Invoices missing"
    db.session.commit()
    url = f"/admin/audits/{audit.id}/decision"
    token = csrf_token(admin_client, url)

    refused = admin_client.post(url, data={"csrf_token": token, "action": "suspend", "reason": ""})
    assert refused.status_code == 200 and "Enter the reason" in refused.get_data(as_text=True)

    done = admin_client.post(
        url, data={"csrf_token": token, "action": "revoke", "reason": "Figures not supported"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, audit.organisation_id).status == "monitoring"
    page = admin_client.get(f"/admin/organisations/{audit_organisation_slug(audit)}")
    assert "Revoked the Charter Mark" in page.get_data(as_text=True)


def audit_organisation_slug(audit) -> str:
    return db.session.get(Organisation, audit.organisation_id).slug


def test_audit_pages_query_counts_do_not_grow(
    app, assessor_client, admin_client, assessor, scheme, query_counter
):
    values = {"assessor": [], "admin": [], "dashboard": []}
    for added in (2, 6):  # 2 audits, then 8
        for _ in range(added):
            audited_holder(scheme, assessor)
        for key, client, url in (
            ("assessor", assessor_client, "/assessor/audits"),
            ("admin", admin_client, "/admin/audits"),
            ("dashboard", admin_client, "/admin/"),
        ):
            with query_counter() as statements:
                assert client.get(url).status_code == 200
            values[key].append(statements.value)
    assert all(small == large for small, large in values.values()), values
