"""Small factories and request helpers for tests."""

from __future__ import annotations

import re
from itertools import count

from sqlalchemy import select

from charter.extensions import db
from charter.models import Membership, Organisation, User
from charter.models.base import utcnow
from charter.services.domain import signings
from workflows.states import MARK_LABELS, NOT_HELD, split_stage

PASSWORD = "correct horse battery staple"
_seq = count(1)

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_user(
    email: str | None = None,
    full_name: str = "Test Person",
    role: str = "member",
    password: str = PASSWORD,
    verified: bool = True,
    charter=None,
) -> User:
    """An account; ``role`` "assessor", "administrator" (of ``charter``, by default the default
    charter) or "admin" (that and a service administrator)."""
    from charter.services.domain.accounts import hash_password

    user = User(
        email=email or f"user{next(_seq)}@example.com",
        full_name=full_name,
        password_hash=hash_password(password),
        email_verified_at=utcnow() if verified else None,
        # "admin": what every administrator was before roles were per charter, as the
        # migration made them: a service administrator and an administrator of the default
        # charter. "administrator" is the charter role alone.
        service_admin=role == "admin",
    )
    db.session.add(user)
    db.session.flush()
    if role != "member":
        give_role(user, STAFF_ROLES[role], charter)
    db.session.commit()
    return user


STAFF_ROLES = {"admin": "administrator", "administrator": "administrator", "assessor": "assessor"}


def give_role(user: User, role: str, charter=None) -> None:
    """Make ``user`` ``role`` of ``charter`` (the default charter when None, if there is one)."""
    from charter.models import StaffRole
    from charter.services.domain.charters import default_charter
    from charter.services.domain.staff import forget_roles

    charter = charter or default_charter()
    if charter is None:
        return
    db.session.add(StaffRole(user_id=user.id, charter_id=charter.id, role=role))
    db.session.flush()
    forget_roles(user)


# Fields of an organisation's signing (charter.models.signing) that make_organisation accepts.
SIGNING_FIELDS = {
    "route",
    "publishes_figures",
    "publishes_figures_decided_at",
    "status_before_suspension",
    "status_changed_at",
    "mark_status",
}


def make_organisation(
    owner: User | None = None,
    scheme=None,
    name: str | None = None,
    status: str = "registered",
    **fields,
) -> Organisation:
    n = next(_seq)
    org = Organisation(
        name=name or f"Test Organisation {n}",
        slug=fields.pop("slug", f"test-organisation-{n}"),
        organisation_type=fields.pop("organisation_type", "business"),
        size=fields.pop("size", "small"),
        sector=fields.pop("sector", "Construction"),
        address_line_1=fields.pop("address_line_1", "1 High Street"),
        town=fields.pop("town", "Shrewsbury"),
        postcode=fields.pop("postcode", "SY1 1AA"),
        district=fields.pop("district", "Shrewsbury"),
        identifier_scheme=fields.pop("identifier_scheme", "GB-COH"),
        identifier=fields.pop("identifier", f"{n:08d}"),
        **{name: value for name, value in fields.items() if name not in SIGNING_FIELDS},
    )
    if org.identifier:
        org.org_id = f"{org.identifier_scheme}-{org.identifier}"
    db.session.add(org)
    db.session.flush()
    if scheme is not None:
        signing = signings.start(org, scheme)
        # A stage (workflows.states.stage): a Mark's state is a monitored signatory's.
        signing.status, signing.mark_status = split_stage(status)
        for name in SIGNING_FIELDS & set(fields):
            setattr(signing, name, fields[name])
        before = fields.get("status_before_suspension")
        if before is not None and before in MARK_LABELS:
            signing.status_before_suspension, signing.mark_status = split_stage(before)
    elif status != "registered":
        raise ValueError("an organisation's lifecycle is its signing's: give it a scheme")
    if owner is not None:
        db.session.add(Membership(user_id=owner.id, organisation_id=org.id, role="owner"))
    db.session.commit()
    return org


def csrf_token(client, url: str) -> str:
    """GET ``url`` and return the CSRF token of its form."""
    response = client.get(url)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {response.status_code})"
    return match.group(1)


def submit(client, url: str, data: dict | None = None, *, form_url: str | None = None, **kwargs):
    """POST a form the way a browser would: fetch the page for its CSRF token, then send."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, form_url or url)
    return client.post(url, data=payload, **kwargs)


def sign_in(client, email: str, password: str = PASSWORD):
    response = submit(client, "/sign-in", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def make_commissioner(name: str | None = None, **fields):
    from charter.models import Commissioner
    from charter.services.domain.charter_commissioners import set_taking_part
    from charter.services.domain.charters import default_charter

    charter = fields.pop("charter", None) or default_charter()
    commissioner = Commissioner(
        name=name or f"Commissioner {next(_seq)}",
        org_id=fields.pop("org_id", None),
        is_active=fields.pop("is_active", True),
        **fields,
    )
    db.session.add(commissioner)
    db.session.flush()
    if charter is not None:  # taking part in the default charter, as every one did before
        set_taking_part(commissioner, charter.id, True)
    db.session.commit()
    return commissioner


def make_contract(organisation: Organisation, commissioner, **fields):
    from datetime import date
    from decimal import Decimal

    from charter.models import Contract

    contract = Contract(
        organisation_id=organisation.id,
        commissioner_id=commissioner.id,
        title=fields.pop("title", f"Contract {next(_seq)}"),
        reference=fields.pop("reference", None),
        value=Decimal(str(fields.pop("value", "10000"))),
        start_date=fields.pop("start_date", date(2026, 4, 1)),
        end_date=fields.pop("end_date", date(2028, 3, 31)),
        **fields,
    )
    db.session.add(contract)
    db.session.commit()
    return contract


def make_approved_plan(
    organisation: Organisation, scheme, targets: dict[str, tuple], decided_at=None
):
    """An approved plan with ``{measure code: (baseline, target)}``; returns measures by code.
    Approved on 1 January 2026 unless ``decided_at`` says: plan year 1 is then 2026."""
    from datetime import date, datetime, timedelta
    from decimal import Decimal

    from sqlalchemy import select

    from charter.models import ActionPlan, Measure, PlanTarget

    measures = {
        m.code: m for m in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
    }
    plan = ActionPlan(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        scheme_id=scheme.id,
        revision=1,
        status="approved",
        decided_at=decided_at or datetime(2026, 1, 1, 9, 0),
    )
    plan.targets = [
        PlanTarget(
            measure_id=measures[code].id,
            baseline=Decimal(baseline),
            target_value=Decimal(target),
            target_date=date.today() + timedelta(days=365),
            approach="Buy local",
        )
        for code, (baseline, target) in targets.items()
    ]
    db.session.add(plan)
    db.session.commit()
    return measures


def make_return(organisation: Organisation, measures: dict, quarter: int, values: dict, **fields):
    """A monitoring return for quarter ``quarter`` of 2026 (verified unless ``status`` says), or
    for ``period=(start, end)`` when given (then ``quarter`` is ignored)."""
    from datetime import date, timedelta
    from decimal import Decimal

    from charter.models import MonitoringReturn, ReturnLine

    start, end = fields.pop("period", None) or (
        date(2026, 3 * quarter - 2, 1),
        date(2026, 3 * quarter - 2, 1) + timedelta(days=80),
    )
    monitoring_return = MonitoringReturn(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        period_start=start,
        period_end=end,
        due_date=start + timedelta(days=110),
        status=fields.pop("status", "verified"),
        **fields,
    )
    monitoring_return.lines = [
        ReturnLine(measure_id=measures[code].id, actual_value=Decimal(value), narrative="Done")
        for code, value in values.items()
    ]
    db.session.add(monitoring_return)
    db.session.commit()
    return monitoring_return


def make_mark(organisation, scheme, awarded_on=None, status: str = "valid"):
    """A Charter Mark awarded on an application made for it (committed)."""
    from datetime import date

    from charter.models import Application
    from charter.services.domain import marks

    application = Application(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        scheme_id=scheme.id,
        snapshot={},
        status="awarded",
    )
    db.session.add(application)
    db.session.flush()
    mark = marks.create_mark(organisation, application, scheme, awarded_on or date.today())
    mark.status = status
    _mark_lifecycle_follows(organisation, mark)
    db.session.commit()
    return mark


def _mark_lifecycle_follows(organisation, mark) -> None:
    """The signing's Mark lifecycle as the award (or the Mark's end) would have left it, as the
    two-lifecycles migration reads it from the Mark row: a Mark in force is held (an
    application meanwhile is its renewal), an expired or revoked one ended. A state the test
    gave that already holds a Mark is kept."""
    from datetime import date

    signing = signings.signing_of(organisation)
    if signing is None:
        return
    if mark.status == "valid" and mark.expires_on >= date.today():
        if signing.mark_status in NOT_HELD:
            signing.mark_status = "accredited"
        elif signing.mark_status in ("under_assessment", "information_requested"):
            signing.mark_status = f"renewal_{signing.mark_status}"
    elif mark.status in ("expired", "revoked") and signing.mark_status in NOT_HELD:
        signing.mark_status = f"mark_{mark.status}"


def make_application(organisation, scheme, submitted_by=None, today=None):
    """The organisation under assessment and its application, with the snapshot the service
    takes (as of ``today``, default the real today). Flushed, not committed."""
    from flask import current_app

    from charter.models import Application
    from charter.services.domain.snapshots import take_snapshot

    # Only a monitored signatory applies; a holder's application is its renewal, and it holds
    # its Mark meanwhile.
    if organisation.status in ("registered", "signatory", "plan_submitted"):
        organisation.status = "monitoring"
    organisation.mark_status = (
        "renewal_under_assessment"
        if organisation.mark_status in ("accredited", "renewal_due")
        else "under_assessment"
    )
    db.session.flush()
    with current_app.test_request_context():
        snapshot = take_snapshot(organisation, scheme, today)
    application = Application(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        scheme_id=scheme.id,
        submitted_by_id=submitted_by.id if submitted_by is not None else None,
        snapshot=snapshot,
    )
    db.session.add(application)
    db.session.flush()
    return application


def audit(organisation, trigger, from_state, to_state, when, reason=None, signing_id=None):
    """An audit row written directly, at a chosen time (for history tests); ``signing_id``: the
    signing whose lifecycle moved (None: the organisation as a whole)."""
    from charter.models import AuditEvent

    db.session.add(
        AuditEvent(
            organisation_id=organisation.id,
            signing_id=signing_id,
            actor_label="Test",
            trigger=trigger,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            created_at=when,
        )
    )
    db.session.commit()


def roles_of(user: User, charter=None) -> set[str]:
    """``user``'s roles in ``charter`` (the default charter when None), read afresh."""
    from charter.services.domain import staff
    from charter.services.domain.charters import default_charter

    staff.forget_roles(user)
    return set(staff.roles_in(user, charter or default_charter()))


def roles_by_email() -> dict[str, set[str]]:
    """Every account's open charter roles, across charters, by email address."""
    from sqlalchemy import select

    from charter.models import StaffRole

    found: dict[str, set[str]] = {email: set() for email in db.session.scalars(select(User.email))}
    for email, role in db.session.execute(
        select(User.email, StaffRole.role)
        .join(StaffRole, StaffRole.user_id == User.id)
        .where(StaffRole.removed_at.is_(None))
    ):
        found[email].add(role)
    return found


def signing_id_for(organisation_id: int) -> int:
    """The id of the organisation's signing, for a row a test makes that belongs to one."""
    from charter.models import Signing
    from charter.services.domain.signings import in_acting_charter

    found = db.session.scalar(
        select(Signing.id)
        .where(Signing.organisation_id == organisation_id, in_acting_charter())
        .order_by(Signing.id)
    )
    assert found is not None, f"organisation {organisation_id} has no signing: give it a scheme"
    return found


def set_stage(holder, state: str) -> None:
    """Put an organisation's (acting) signing, or a signing, at ``state`` as people are shown
    it (workflows.states.stage): a Mark's state is a monitored signatory's. Not committed."""
    holder.status, holder.mark_status = split_stage(state)
