"""Steps shared by the signing tests."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from charter.models import AuditEvent, Membership, Organisation, OutboxEmail, Signature
from charter.services.domain import publishing
from charter.services.domain.schemes import principles_of
from charter.services.domain.signings import signing_of
from tests.factories import CSRF_RE, make_user, submit

VERSION_RE = re.compile(r'name="version"[^>]*value="(\d+)"')
SIGNATORY = {
    "signatory_name": "Sam Signer",
    "signatory_role": "Managing Director",
    "has_authority": "y",
}


def page(organisation, name: str = "") -> str:
    base = f"/organisations/{organisation.slug}/sign-the-charter"
    return f"{base}/{name}" if name else base


def codes_of(scheme) -> list[str]:
    return [p.code for p in principles_of(scheme)]


def answer_every_question(client, organisation, scheme, route="working_towards", publish="yes"):
    responses = [
        submit(client, page(organisation, "principles"), {"principles": codes_of(scheme)}),
        submit(client, page(organisation, "signatory"), SIGNATORY),
        submit(client, page(organisation, "route"), {"route": route}),
        submit(client, page(organisation, "publish-figures"), {"publish": publish}),
    ]
    for response in responses:
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert responses[-1].location.endswith(page(organisation, "check-your-answers"))


def open_check_answers(client, organisation) -> dict:
    """GET check your answers; return what its form would post (CSRF token and version)."""
    response = client.get(page(organisation, "check-your-answers"))
    assert response.status_code == 200, response.location
    html = response.get_data(as_text=True)
    return {
        "csrf_token": CSRF_RE.search(html).group(1),
        "version": VERSION_RE.search(html).group(1),
    }


def sign(client, organisation, form: dict):
    return client.post(page(organisation, "check-your-answers"), data=form)


def counts(db, organisation) -> dict:
    db.session.expire_all()

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    org = db.session.get(Organisation, organisation.id)
    return {
        "status": org.status,
        "version": signing_of(org).version_id,
        "route": signing_of(org).route,
        "publishes_figures": (
            signing_of(org).publishes_figures,
            signing_of(org).publishes_figures_decided_at,
        ),
        "signatures": count(Signature, Signature.organisation_id == organisation.id),
        # Lifecycle transitions; the answer to the publishing question is counted apart.
        "audit": count(
            AuditEvent,
            AuditEvent.organisation_id == organisation.id,
            AuditEvent.trigger.notin_(publishing.AUDIT_LABELS),
        ),
        "consent_audit": count(
            AuditEvent,
            AuditEvent.organisation_id == organisation.id,
            AuditEvent.trigger.in_(publishing.AUDIT_LABELS),
        ),
        "emails": count(OutboxEmail),
    }


def add_member(db, organisation, email: str, role: str = "contributor"):
    user = make_user(email=email, full_name="Colin Colleague")
    db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
    db.session.commit()
    return user


def session_key(organisation) -> str:
    return f"sign-the-charter:{organisation.id}"


def complete_answers(scheme, **changes) -> dict:
    answers = {
        "scheme_id": scheme.id,
        "principles": codes_of(scheme),
        "signatory_name": "Sam Signer",
        "signatory_role": "Managing Director",
        "has_authority": True,
        "route": "working_towards",
        "publishes_figures": True,
    }
    answers.update(changes)
    return answers
