"""register entries: published, awaiting a check, or hidden with a reason; the scheme's setting

A new signatory's register entry can wait for an administrator's check before it is published
(schemes' ``publish_new_signatories``: "after_check", the default, or "at_once"), and an
administrator can hide an entry with a reason and bring it back (``organisations.register_entry``,
``register_entry_changed_at``, ``register_hidden_reason``).

Data migration: every existing organisation counts as checked (its entry stays published, as it
was before this setting existed), written out rather than left to the column's default.

The register's order indexes carry ``register_entry`` too on PostgreSQL (INCLUDE), so a page's
keys, filtered by whether each entry is published, still come from an index-only scan.

Revision ID: 84d756153b99
Revises: 73c8e9bcf287
Create Date: 2026-12-06 05:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "84d756153b99"
down_revision = "73c8e9bcf287"
branch_labels = None
depends_on = None

ORDER_INDEXES = {
    "ix_organisations_register_order": [],
    "ix_organisations_district_order": ["district"],
    "ix_organisations_sector_order": ["sector"],
    "ix_organisations_type_order": ["organisation_type"],
}
organisations = sa.table("organisations", sa.column("register_entry", sa.String))


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
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "register_entry", sa.String(length=20), server_default="published", nullable=False
            )
        )
        batch_op.add_column(sa.Column("register_entry_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("register_hidden_reason", sa.Text(), nullable=True))
    # Existing signatories count as checked.
    op.get_bind().execute(organisations.update().values(register_entry="published"))
    if op.get_bind().dialect.name == "postgresql":
        _recreate(["status", "name", "register_entry"])


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _recreate(["status", "name"])
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("register_hidden_reason")
        batch_op.drop_column("register_entry_changed_at")
        batch_op.drop_column("register_entry")
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.drop_column("publish_new_signatories")
