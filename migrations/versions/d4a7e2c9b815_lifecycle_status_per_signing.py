"""each signing has its own lifecycle: the status moves from the organisation to the signing

An organisation's lifecycle status (registered, signatory, plan submitted, monitoring, holder,
lapsed, suspended...) is about one charter (issue 20, docs/charters.md "Signings"): ``status``,
``status_before_suspension`` and ``status_changed_at`` move from ``organisations`` to
``signings``, and the signing gets the optimistic lock (``version_id``) that made two
transitions from the same state unable to both commit.

The register asks, for each organisation it walks in its order index, whether its signing of
the page's charter is published *and in a public state*: ``ix_signings_register_entry`` grows
the status so that probe is still answered from the index alone. ``ix_signings_charter_status``
answers the per-charter counts (the administrators' dashboard, the reviews' selections). The
register's order indexes keep only ``name`` (INCLUDE, PostgreSQL).

Data migration: each signing takes its organisation's status. An organisation without a signing
registered with no charter, so had nothing but "registered" to keep.

Downgrade: each organisation takes back its first signing's status ("registered" without one).

Revision ID: d4a7e2c9b815
Revises: b81f4c2d9e07
Create Date: 2026-12-06 15:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = "d4a7e2c9b815"
down_revision = "b81f4c2d9e07"
branch_labels = None
depends_on = None

MOVED = ("status", "status_before_suspension", "status_changed_at")
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
    sa.column("status_before_suspension", sa.String),
    sa.column("status_changed_at", sa.DateTime),
    sa.column("created_at", sa.DateTime),
)
signings = sa.table(
    "signings",
    sa.column("id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("status_before_suspension", sa.String),
    sa.column("status_changed_at", sa.DateTime),
)


def _order_indexes(include: list[str]) -> None:
    """The register's order indexes, made again: a batch on SQLite rebuilt the table without
    them (SQLite cannot reflect expression indexes), and on PostgreSQL dropping a column they
    include dropped them."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, leading in ORDER_INDEXES.items():
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.create_index(
            name,
            "organisations",
            [*(sa.column(c) for c in leading), sa.text("lower(name)"), sa.column("id")],
            **({"postgresql_include": include} if postgresql else {}),
        )


def upgrade():
    with op.batch_alter_table("signings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=30), server_default="registered", nullable=False)
        )
        batch_op.add_column(sa.Column("status_before_suspension", sa.String(30), nullable=True))
        batch_op.add_column(sa.Column("status_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("version_id", sa.Integer(), server_default="1", nullable=False)
        )

    connection = op.get_bind()
    connection.execute(
        signings.update().values(
            {
                column: sa.select(organisations.c[column])
                .where(organisations.c.id == signings.c.organisation_id)
                .scalar_subquery()
                for column in MOVED
            }
        )
    )

    with op.batch_alter_table("signings", schema=None) as batch_op:
        batch_op.alter_column("status_changed_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_index("ix_signings_register_entry")
        batch_op.create_index(
            "ix_signings_register_entry",
            ["organisation_id", "charter_id", "register_entry", "status"],
        )
        batch_op.create_index("ix_signings_charter_status", ["charter_id", "status"])

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index("ix_organisations_status")
        for column in MOVED:
            batch_op.drop_column(column)
    _order_indexes(["name"])


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=30), server_default="registered", nullable=False)
        )
        batch_op.add_column(sa.Column("status_before_suspension", sa.String(30), nullable=True))
        batch_op.add_column(sa.Column("status_changed_at", sa.DateTime(), nullable=True))

    connection = op.get_bind()
    first = (
        sa.select(sa.func.min(signings.c.id)).group_by(signings.c.organisation_id).scalar_subquery()
    )
    rows = connection.execute(
        sa.select(signings.c.organisation_id, *[signings.c[column] for column in MOVED]).where(
            signings.c.id.in_(first)
        )
    ).all()
    if rows:
        connection.execute(
            organisations.update()
            .where(organisations.c.id == sa.bindparam("organisation"))
            .values({column: sa.bindparam(f"new_{column}") for column in MOVED}),
            [
                {"organisation": row[0]} | {f"new_{c}": v for c, v in zip(MOVED, row[1:])}
                for row in rows
            ],
        )
    connection.execute(
        organisations.update()
        .where(organisations.c.status_changed_at.is_(None))
        .values(status_changed_at=organisations.c.created_at)
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column("status_changed_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index("ix_organisations_status", ["status"], unique=False)
    _order_indexes(["status", "name"])

    with op.batch_alter_table("signings", schema=None) as batch_op:
        batch_op.drop_index("ix_signings_charter_status")
        batch_op.drop_index("ix_signings_register_entry")
        batch_op.create_index(
            "ix_signings_register_entry", ["organisation_id", "charter_id", "register_entry"]
        )
        batch_op.drop_column("version_id")
        batch_op.drop_column("status_changed_at")
        batch_op.drop_column("status_before_suspension")
        batch_op.drop_column("status")
