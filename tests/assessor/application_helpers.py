"""Helpers for the assessment tests: an organisation's application ready to judge, and the
assessor's judgements and decisions posted through HTTP."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import AuditEvent, EvidenceFile, EvidenceLink, Organisation, ReturnLine
from charter.models.assessment import Application, CharterMark
from tests.factories import (
    csrf_token,
    make_application,
    make_approved_plan,
    make_commissioner,
    make_contract,
    make_return,
    make_user,
    sign_in,
    submit,
)
from tests.organisation.plan_helpers import core_codes

OPTIONAL_CODE = "LE12"


def applied(organisation, scheme, member, *, delete_a_file: bool = False) -> Application:
    """An organisation under assessment with an approved plan, two verified returns meeting
    every target, evidence, a contract, and its application with the service's snapshot."""
    codes = [*core_codes(scheme), OPTIONAL_CODE]
    measures = make_approved_plan(organisation, scheme, {code: ("0", "50") for code in codes})
    first = make_return(organisation, measures, 1, {code: "30" for code in codes})
    make_return(organisation, measures, 2, {code: "30" for code in codes})
    le1_line = db.session.scalar(
        select(ReturnLine.id).where(
            ReturnLine.return_id == first.id, ReturnLine.measure_id == measures["LE1"].id
        )
    )
    files = [
        EvidenceFile(
            organisation_id=organisation.id,
            return_line_id=le1_line,
            original_name=name,
            stored_name=f"stored-{organisation.id}-{name}",
            size=10,
            sha256="0" * 64,
            content_type="application/pdf",
        )
        for name in ("spend-report.pdf", "old.pdf")
    ]
    db.session.add_all(files)
    db.session.add(
        EvidenceLink(
            return_line_id=le1_line,
            url="https://example.com/spend",
            description="Supplier spend report",
        )
    )
    make_contract(organisation, make_commissioner("Shropshire Council"), title="Highways work")
    application = make_application(organisation, scheme, member, date(2026, 12, 1))
    if delete_a_file:
        # Later changes do not reach the snapshot: the file is still named, but not linked.
        db.session.delete(files[1])
    db.session.commit()
    return application


def application_url(application, rest: str = "") -> str:
    return f"/assessor/applications/{application.id}{rest}"


def measure_ids(application) -> dict[str, int]:
    return {m["code"]: m["measure_id"] for m in application.snapshot["targets"]}


def judge(client, application, code: str, verdict: str = "met", comment: str = "Evidence fits"):
    measure_id = measure_ids(application)[code]
    prefix = f"measure-{measure_id}"
    return submit(
        client,
        application_url(application, f"/measures/{measure_id}/judgement"),
        {f"{prefix}-verdict": verdict, f"{prefix}-comment": comment},
        form_url=application_url(application),
    )


def judge_all(client, application, verdict="met", **overrides):
    for code in measure_ids(application):
        response = judge(client, application, code, overrides.get(code, verdict))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def decide(client, application, action: str, prefix: str, field: str, text: str, **extra):
    db.session.refresh(application)
    data = {f"{prefix}-version": str(application.version_id), f"{prefix}-{field}": text}
    data.update({f"{prefix}-{k}": v for k, v in extra.items()})
    return submit(
        client,
        application_url(application, f"/{action}"),
        data,
        form_url=application_url(application),
    )


def post_unoffered(client, application, action: str, prefix: str, version=None, **fields):
    """Post a decision the page does not offer this person (so ``submit`` finds no form): the
    CSRF token comes from the work list, the version from the application unless given."""
    version = application.version_id if version is None else version
    data = {"csrf_token": csrf_token(client, "/assessor/"), f"{prefix}-version": str(version)}
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return client.post(application_url(application, f"/{action}"), data=data)


def award(client, application, rationale="Every target met, with good evidence."):
    return decide(client, application, "award", "award", "rationale", rationale)


def refuse(client, application, reasons="Core targets not met."):
    return decide(client, application, "refusal", "refusal", "reasons", reasons)


def ask(client, application, questions="Send the supplier invoices for LE1."):
    return decide(client, application, "information-request", "request", "questions", questions)


def moderate(client, application, decision="confirm", reasons=""):
    return decide(
        client, application, "moderation", "moderation", "reasons", reasons, decision=decision
    )


def audit_events(organisation, trigger: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.organisation_id == organisation.id, AuditEvent.trigger == trigger
            )
        )
    )


def fresh(application, organisation):
    db.session.expire_all()
    return db.session.get(Application, application.id), db.session.get(
        Organisation, organisation.id
    )


def mark_count() -> int:
    return db.session.scalar(select(func.count()).select_from(CharterMark))


def second_assessor_client(app):
    other = make_user(email="second@example.com", full_name="Sam Second", role="assessor")
    client = app.test_client()
    sign_in(client, other.email)
    return client, other
