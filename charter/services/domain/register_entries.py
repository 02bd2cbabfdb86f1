"""Whether an organisation's entry is on a charter's public register: published, awaiting an
administrator's check, or hidden by an administrator with a reason. The entry is the
organisation's signing's (charter.models.signing): each charter's register has its own.

The register carries the council's name, so by default a new signatory's entry appears only once
an administrator has checked it (the scheme's ``[register] publish_new_signatories``:
``"after_check"``, or ``"at_once"``). An administrator can hide an entry with a reason (its
members see the reason on their dashboard) and bring it back. Every change is written to the
organisation's audit trail (a row whose state does not change, as the consent to publish is).

An entry not published is on no public surface: the register and its filters, CSV, JSON, Atom
feed, API, the organisation's page. ``/verify`` and the badge still answer for a Charter Mark's
certificate number (a Mark the scheme certified must not look forged because its register entry
is hidden), but name no register page. :func:`on_register_clause` is the rule in SQL and
:func:`is_on_register` in Python: the register's queries and anything else that publishes (the
retention rules among them) use them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import contains_eager

from charter.extensions import db
from charter.models import AuditEvent, Organisation, Signing, User
from charter.models.base import utcnow
from charter.models.scheme import Scheme
from charter.models.signing import (
    REGISTER_AWAITING_CHECK,
    REGISTER_HIDDEN,
    REGISTER_PUBLISHED,
)
from charter.services.domain import signings
from workflows import lifecycle

AFTER_CHECK = "after_check"
AT_ONCE = "at_once"
PUBLISH_SETTINGS = (AFTER_CHECK, AT_ONCE)

PUBLISHED_TRIGGER = "publish_register_entry"
HIDDEN_TRIGGER = "hide_register_entry"
SHOWN_TRIGGER = "show_register_entry"
AUDIT_LABELS = {
    PUBLISHED_TRIGGER: "Checked and published on the register",
    HIDDEN_TRIGGER: "Hidden from the register",
    SHOWN_TRIGGER: "Brought back onto the register",
}


class NotAllowed(Exception):
    """A change that does not apply to the entry as it is; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def on_register_clause(charter_id, *, whole_register: bool = False) -> ColumnElement[bool]:
    """SQL: the organisation's entry is on the public register of charter ``charter_id`` (an
    id, or a bound parameter; 0 for any charter's, as the API without ``charter=`` asks): its
    signing of that charter is in a public state and published.

    For a page, the signing is asked per organisation, as a correlated subquery: PostgreSQL
    runs it for each row the register walks in its order index (one probe of the signings'
    index ``(organisation_id, charter_id, register_entry, status)``, read from the index
    alone), so a page stops after its 25 rows. Written as EXISTS, the planner turned it into a
    semi-join that read every signing of the charter for each page (ten times slower at 50,000
    organisations).

    ``whole_register``: for a statement that reads every entry at once (a count, the filters'
    districts and sectors), that semi-join is the better plan: it reads the charter's
    signings once rather than probing for each organisation. At 100,000 organisations the
    register's count took 229 ms probed and 33 ms as a semi-join; its districts and sectors
    531 and 49 ms. Each is computed once per register version in every worker."""
    return _on_register(signings.of_signing_charter(charter_id), whole_register)


def on_register_among(charter_ids, *, whole_register: bool = False) -> ColumnElement[bool]:
    """SQL: the organisation's entry is on the public register of one of ``charter_ids`` (an
    expanding bound parameter: a region's charters, regions.py), asked as
    ``on_register_clause`` asks of one charter's."""
    return _on_register(Signing.charter_id.in_(charter_ids), whole_register)


def _on_register(of_charter: ColumnElement[bool], whole_register: bool) -> ColumnElement[bool]:
    published = (
        Signing.organisation_id == Organisation.id,
        of_charter,
        Signing.register_entry == REGISTER_PUBLISHED,
        Signing.status.in_(lifecycle.PUBLIC_STATES),
    )
    if whole_register:
        return exists(select(Signing.id).where(*published))
    return select(func.count()).where(*published).scalar_subquery() > 0


def registers_of(organisation_ids: list[int]) -> dict[int, list[int]]:
    """The charters (ids, in the order signed) on whose registers each organisation is: the
    combined register's "signed" line. One query for a page of organisations."""
    found: dict[int, list[int]] = {i: [] for i in organisation_ids}
    if not organisation_ids:
        return found
    rows = db.session.execute(
        select(Signing.organisation_id, Signing.charter_id)
        .where(
            Signing.organisation_id.in_(organisation_ids),
            Signing.register_entry == REGISTER_PUBLISHED,
            Signing.status.in_(lifecycle.PUBLIC_STATES),
        )
        .order_by(Signing.organisation_id, Signing.id)
    )
    for organisation_id, charter_id in rows:
        found[organisation_id].append(charter_id)
    return found


def is_on_register(organisation: Organisation) -> bool:
    """Whether the organisation's entry is on the register of the charter it signed."""
    signing = signings.signing_of(organisation)
    return (
        signing is not None
        and organisation.status in lifecycle.PUBLIC_STATES
        and signing.register_entry == REGISTER_PUBLISHED
    )


def on_signing(organisation: Organisation, scheme: Scheme, was_on_register: bool) -> None:
    """A new signatory (one that was not on the register) waits for a check when the scheme
    says so; a signatory signing again (a new version of the scheme) keeps its entry."""
    signing = signings.required_signing_of(organisation)
    if (
        not was_on_register
        and scheme.publish_new_signatories == AFTER_CHECK
        and signing.register_entry == REGISTER_PUBLISHED
    ):
        signing.register_entry = REGISTER_AWAITING_CHECK
        signing.register_entry_changed_at = utcnow()


def _awaiting(charter_id):
    return (
        select(Organisation)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .where(
            Signing.charter_id == charter_id,
            Signing.register_entry == REGISTER_AWAITING_CHECK,
            Signing.status.in_(lifecycle.PUBLIC_STATES),
        )
    )


def awaiting_check(charter_id: int | None) -> list[Organisation]:
    """Signatories of the charter whose entry waits for an administrator's check, oldest
    first."""
    return list(
        db.session.scalars(
            _awaiting(charter_id)
            .options(contains_eager(Organisation.signings))
            .order_by(Signing.register_entry_changed_at, Organisation.id)
        ).unique()
    )


def awaiting_check_count(charter_id: int | None) -> int:
    return db.session.scalar(select(func.count()).select_from(_awaiting(charter_id).subquery()))


def publish(organisation: Organisation, admin: User) -> None:
    if signings.required_signing_of(organisation).register_entry != REGISTER_AWAITING_CHECK:
        raise NotAllowed(f"{organisation.name} is not waiting for a check.")
    _change(organisation, admin, REGISTER_PUBLISHED, PUBLISHED_TRIGGER)


def hide(organisation: Organisation, admin: User, reason: str) -> None:
    if signings.required_signing_of(organisation).register_entry == REGISTER_HIDDEN:
        raise NotAllowed(f"{organisation.name} is already hidden from the register.")
    _change(organisation, admin, REGISTER_HIDDEN, HIDDEN_TRIGGER, reason)


def bring_back(organisation: Organisation, admin: User) -> None:
    if signings.required_signing_of(organisation).register_entry != REGISTER_HIDDEN:
        raise NotAllowed(f"{organisation.name} is not hidden from the register.")
    _change(organisation, admin, REGISTER_PUBLISHED, SHOWN_TRIGGER)


def _change(
    organisation: Organisation, admin: User, entry: str, trigger: str, reason: str | None = None
) -> None:
    now: datetime = utcnow()
    signing = signings.required_signing_of(organisation)
    signing.register_entry = entry
    signing.register_entry_changed_at = now
    signing.register_hidden_reason = reason
    db.session.add(
        AuditEvent(
            organisation_id=organisation.id,
            signing_id=signing.id,
            actor_id=admin.id,
            actor_label=admin.full_name,
            trigger=trigger,
            from_state=organisation.status,
            to_state=organisation.status,
            reason=reason,
            created_at=now,
        )
    )
