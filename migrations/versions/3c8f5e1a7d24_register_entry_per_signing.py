"""each charter's register has its own entries: the register entry moves to the signing

An organisation's entry on a charter's public register (published, awaiting an administrator's
check, or hidden with a reason) is about that charter (issue 20, docs/charters.md):
``register_entry``, ``register_entry_changed_at`` and ``register_hidden_reason`` move from
``organisations`` to ``signings``. The register asks, for each organisation it walks, whether its
signing of the page's charter is published: ``ix_signings_register_entry`` answers from the
index alone. The register's order indexes keep ``status`` and ``name`` (INCLUDE, PostgreSQL).

Data migration: each signing takes its organisation's entry. An organisation without a signing
has no register to be on, and nothing to keep.

Downgrade: each organisation takes back its first signing's entry (published without one).

Revision ID: 3c8f5e1a7d24
Revises: 9e41c7b2d6a3
Create Date: 2026-12-06 13:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "3c8f5e1a7d24"
down_revision = "9e41c7b2d6a3"
branch_labels = None
depends_on = None

MOVED = ("register_entry", "register_entry_changed_at", "register_hidden_reason")
ORDER_INDEXES = {
    "ix_organisations_register_order": [],
    "ix_organisations_district_order": ["district"],
    "ix_organisations_sector_order": ["sector"],
    "ix_organisations_type_order": ["organisation_type"],
}
organisations = sa.table(
    "organisations",
    sa.column("id", sa.Integer),
    sa.column("register_entry", sa.String),
    sa.column("register_entry_changed_at", sa.DateTime),
    sa.column("register_hidden_reason", sa.Text),
)
signings = sa.table(
    "signings",
    sa.column("id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("register_entry", sa.String),
    sa.column("register_entry_changed_at", sa.DateTime),
    sa.column("register_hidden_reason", sa.Text),
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
            sa.Column(
                "register_entry", sa.String(length=20), server_default="published", nullable=False
            )
        )
        batch_op.add_column(sa.Column("register_entry_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("register_hidden_reason", sa.Text(), nullable=True))
        batch_op.create_index(
            "ix_signings_register_entry", ["organisation_id", "charter_id", "register_entry"]
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

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for column in MOVED:
            batch_op.drop_column(column)
    _order_indexes(["status", "name"])


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "register_entry", sa.String(length=20), server_default="published", nullable=False
            )
        )
        batch_op.add_column(sa.Column("register_entry_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("register_hidden_reason", sa.Text(), nullable=True))

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
    _order_indexes(["status", "name", "register_entry"])

    with op.batch_alter_table("signings", schema=None) as batch_op:
        batch_op.drop_index("ix_signings_register_entry")
        batch_op.drop_column("register_hidden_reason")
        batch_op.drop_column("register_entry_changed_at")
        batch_op.drop_column("register_entry")
