"""register entries: published, awaiting a check, or hidden with a reason; the scheme's setting

A new signatory's register entry can wait for an administrator's check before it is published
(schemes' ``publish_new_signatories``: "after_check", the default, or "at_once"), and an
administrator can hide an entry with a reason and bring it back (``organisations.register_entry``,
``register_entry_changed_at``, ``register_hidden_reason``).

Data migration: every existing organisation counts as checked (its entry stays published, as it
was before this setting existed), written out rather than left to the column's default.

Data migration of the public record: a Charter Mark that expired while its holder's renewal was
being assessed had its status set to expired but no dated ``expire_mark`` row in the audit trail
(the lifecycle does not move from under assessment), so the register's history and the Atom feed
could not tell it. Each expired Mark with no ``expire_mark`` row since its award gains one, dated
when the Mark's status changed, a row whose state does not change.

The register's order indexes carry ``register_entry`` too on PostgreSQL (INCLUDE), so a page's
keys, filtered by whether each entry is published, still come from an index-only scan.

Revision ID: 84d756153b99
Revises: da50753536a3
Create Date: 2026-12-06 05:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "84d756153b99"
down_revision = "da50753536a3"
branch_labels = None
depends_on = None

ORDER_INDEXES = {
    "ix_organisations_register_order": [],
    "ix_organisations_district_order": ["district"],
    "ix_organisations_sector_order": ["sector"],
    "ix_organisations_type_order": ["organisation_type"],
}
organisations = sa.table(
    "organisations",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("register_entry", sa.String),
)
charter_marks = sa.table(
    "charter_marks",
    sa.column("organisation_id", sa.Integer),
    sa.column("awarded_on", sa.Date),
    sa.column("status", sa.String),
    sa.column("status_changed_at", sa.DateTime),
)
audit_events = sa.table(
    "audit_events",
    sa.column("organisation_id", sa.Integer),
    sa.column("actor_id", sa.Integer),
    sa.column("actor_label", sa.String),
    sa.column("trigger", sa.String),
    sa.column("from_state", sa.String),
    sa.column("to_state", sa.String),
    sa.column("reason", sa.Text),
    sa.column("created_at", sa.DateTime),
)


def _record_unrecorded_expiries(connection) -> None:
    expired = connection.execute(
        sa.select(
            charter_marks.c.organisation_id,
            charter_marks.c.awarded_on,
            charter_marks.c.status_changed_at,
            organisations.c.status,
        )
        .join(organisations, organisations.c.id == charter_marks.c.organisation_id)
        .where(charter_marks.c.status == "expired")
    ).all()
    rows = []
    for organisation_id, awarded_on, changed_at, status in expired:
        recorded = connection.execute(
            sa.select(sa.func.count())
            .select_from(audit_events)
            .where(
                audit_events.c.organisation_id == organisation_id,
                audit_events.c.trigger == "expire_mark",
                audit_events.c.created_at >= awarded_on,
            )
        ).scalar()
        if not recorded:
            rows.append(
                {
                    "organisation_id": organisation_id,
                    "actor_id": None,
                    "actor_label": "Scheduled review",
                    "trigger": "expire_mark",
                    "from_state": status,
                    "to_state": status,
                    "reason": None,
                    "created_at": changed_at,
                }
            )
    if rows:
        connection.execute(audit_events.insert(), rows)


def _recreate(include: list[str]) -> None:
    for name, leading in ORDER_INDEXES.items():
        op.drop_index(name, table_name="organisations")
        op.create_index(
            name,
            "organisations",
            [*(sa.column(c) for c in leading), sa.text("lower(name)"), sa.column("id")],
            postgresql_include=include,
        )


def upgrade():
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "publish_new_signatories",
                sa.String(length=20),
                server_default="after_check",
                nullable=False,
            )
        )
    # Plain ADD COLUMN (SQLite can): a batch would copy the table on SQLite and lose the
    # register's expression indexes, which SQLite cannot reflect.
    op.add_column(
        "organisations",
        sa.Column(
            "register_entry", sa.String(length=20), server_default="published", nullable=False
        ),
    )
    op.add_column("organisations", sa.Column("register_entry_changed_at", sa.DateTime()))
    op.add_column("organisations", sa.Column("register_hidden_reason", sa.Text()))
    # Existing signatories count as checked.
    op.get_bind().execute(organisations.update().values(register_entry="published"))
    _record_unrecorded_expiries(op.get_bind())
    if op.get_bind().dialect.name == "postgresql":
        _recreate(["status", "name", "register_entry"])


def downgrade():
    # The expiries added to the audit trail stay: they record what happened, and when.
    if op.get_bind().dialect.name == "postgresql":
        _recreate(["status", "name"])
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("register_hidden_reason")
        batch_op.drop_column("register_entry_changed_at")
        batch_op.drop_column("register_entry")
    if op.get_bind().dialect.name == "sqlite":
        # The batch copied the table without the expression indexes it cannot reflect.
        for name, leading in ORDER_INDEXES.items():
            op.create_index(
                name,
                "organisations",
                [*(sa.column(c) for c in leading), sa.text("lower(name)"), sa.column("id")],
            )
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.drop_column("publish_new_signatories")
