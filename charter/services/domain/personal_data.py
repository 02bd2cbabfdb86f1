"""Everything the service holds about one person (UK GDPR Article 15), as plain JSON-ready data.

"What you did" is found from the schema rather than a hand-kept list: every column that names
a user (``*_by_id``, ``actor_id``, ``user_id``...) is searched for the person, so a table added
later is included without anyone remembering to. Other people are left out: in each row, a
column naming someone else is blanked, and an organisation's records (for its owner) leave out
its members, invitations and audit trail, which name colleagues.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import (
    ActionPlan,
    AnnualConfirmation,
    Application,
    Charter,
    CharterMark,
    CommitmentAlternative,
    Contract,
    ContractCommitment,
    ContractFigure,
    DataExport,
    EvidenceFile,
    EvidenceLink,
    Invitation,
    Membership,
    MonitoringReturn,
    Organisation,
    OutboxEmail,
    PlanMilestone,
    PlanTarget,
    ReturnLine,
    ServiceCredit,
    Signature,
    StaffRole,
    User,
)
from charter.models.organisation import OWNER

# The person's own row: every column but the password's hash.
ACCOUNT_COLUMNS = (
    "id",
    "full_name",
    "email",
    "service_admin",
    "created_at",
    "email_verified_at",
    "password_changed_at",
    "reminder_emails",
    "closed_at",
)
# Tables whose rows name the person but are not "what they did": their own account, the copies
# of their information, and the outbox (listed below as the emails sent to them).
NOT_ACTIONS = {User.__table__.name, DataExport.__table__.name}
# An owner's organisation: its own records, each a table with organisation_id...
ORGANISATION_TABLES = (
    Signature,
    ActionPlan,
    MonitoringReturn,
    Contract,
    Application,
    CharterMark,
    AnnualConfirmation,
    EvidenceFile,
)
# ...and the rows hanging from them: (model, its parent column, the parent model).
CHILD_TABLES = (
    (PlanTarget, "plan_id", ActionPlan),
    (PlanMilestone, "plan_id", ActionPlan),
    (ReturnLine, "return_id", MonitoringReturn),
    (ContractFigure, "return_line_id", ReturnLine),
    (EvidenceLink, "return_line_id", ReturnLine),
    (ContractCommitment, "contract_id", Contract),
    (CommitmentAlternative, "contract_id", Contract),
    (ServiceCredit, "contract_id", Contract),
)


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def _user_columns(table) -> list:
    return [
        column
        for column in table.columns
        if any(fk.column.table.name == User.__table__.name for fk in column.foreign_keys)
    ]


def row_dict(table, row, subject_id: int) -> dict:
    """A row as a dict; a column naming any other person is blanked."""
    people = {column.name for column in _user_columns(table)}
    out = {}
    for column in table.columns:
        value = getattr(row, column.key)
        if column.name in people and value is not None and value != subject_id:
            value = None
        out[column.name] = plain(value)
    return out


def _tables_naming_users():
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        if table.name in NOT_ACTIONS:
            continue
        columns = _user_columns(table)
        if columns:
            yield table, columns


def actions_of(user: User) -> dict[str, list[dict]]:
    """Every row, in every table, that names the person: what they did or were given."""
    found: dict[str, list[dict]] = {}
    for table, columns in sorted(_tables_naming_users(), key=lambda found: found[0].name):
        condition = columns[0] == user.id
        for column in columns[1:]:
            condition = condition | (column == user.id)
        rows = db.session.execute(select(table).where(condition).order_by(table.c.id)).all()
        if rows:
            found[table.name] = [row_dict(table, row, user.id) for row in rows]
    return found


def emails_to(user: User) -> list[dict]:
    emails = db.session.scalars(
        select(OutboxEmail)
        .where(func.lower(OutboxEmail.to_address) == user.email.lower())
        .order_by(OutboxEmail.id)
    )
    return [
        {
            "to": email.to_address,
            "subject": email.subject,
            "body": email.body,
            "queued_at": plain(email.created_at),
            "status": email.status,
            "sent_at": plain(email.sent_at),
        }
        for email in emails
    ]


def memberships_of(user: User) -> list[tuple[Membership, Organisation]]:
    return list(
        db.session.execute(
            select(Membership, Organisation)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.user_id == user.id)
            .order_by(Organisation.name, Organisation.id)
        )
    )


def about(user: User) -> dict:
    """The person's own information: account, memberships, actions and the emails sent to them."""
    invitations = db.session.scalars(
        select(Invitation)
        .where(func.lower(Invitation.email) == user.email.lower())
        .order_by(Invitation.id)
    )
    return {
        "account": {name: plain(getattr(user, name)) for name in ACCOUNT_COLUMNS},
        # Staff roles, in each charter, ended ones included (charter.models.staff).
        "staff_roles": [
            {
                "charter": charter_name,
                "role": row.role,
                "appointed_at": plain(row.appointed_at),
                "removed_at": plain(row.removed_at),
            }
            for row, charter_name in db.session.execute(
                select(StaffRole, Charter.name)
                .join(Charter, Charter.id == StaffRole.charter_id)
                .where(StaffRole.user_id == user.id)
                .order_by(StaffRole.id)
            )
        ],
        "memberships": [
            {
                "organisation": organisation.name,
                "organisation_slug": organisation.slug,
                "role": membership.role_label,
                "since": plain(membership.created_at),
            }
            for membership, organisation in memberships_of(user)
        ],
        "invitations_to_you": [
            row_dict(Invitation.__table__, invitation, user.id) for invitation in invitations
        ],
        "what_you_did": actions_of(user),
        "emails_sent_to_you": emails_to(user),
    }


def owned_organisations(user: User) -> list[Organisation]:
    return [
        organisation
        for membership, organisation in memberships_of(user)
        if membership.role == OWNER
    ]


def organisation_records(organisation: Organisation, subject_id: int) -> dict:
    """An owner's organisation: its details and records, without its people."""
    records: dict[str, Any] = {
        "organisation": row_dict(Organisation.__table__, organisation, subject_id)
    }
    ids: dict[type, list[int]] = {}
    for model in ORGANISATION_TABLES:
        rows = db.session.scalars(
            select(model).where(model.organisation_id == organisation.id).order_by(model.id)
        ).all()
        ids[model] = [row.id for row in rows]
        records[model.__tablename__] = [row_dict(model.__table__, r, subject_id) for r in rows]
    for model, parent_column, parent in CHILD_TABLES:
        parent_ids = ids.get(parent, [])
        rows = (
            db.session.scalars(
                select(model)
                .where(getattr(model, parent_column).in_(parent_ids))
                .order_by(model.id)
            ).all()
            if parent_ids
            else []
        )
        ids[model] = [row.id for row in rows]
        records[model.__tablename__] = [row_dict(model.__table__, r, subject_id) for r in rows]
    return records


def evidence_of(organisation: Organisation) -> list[EvidenceFile]:
    return list(
        db.session.scalars(
            select(EvidenceFile)
            .where(EvidenceFile.organisation_id == organisation.id)
            .order_by(EvidenceFile.id)
        )
    )
