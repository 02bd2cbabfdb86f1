"""organisation ppon: the Public Procurement Organisation Number, unique when present

An organisation can record the PPON Find a Tender gave it ("PZPR-8554-XHNX", org-id list
GB-PPON) as one more identifier awards in published notices are matched on (issue 22). A new
nullable column with a unique index (several NULLs allowed on both databases), added without a
batch: rebuilding ``organisations`` on SQLite would lose the register's expression indexes. No
data to migrate: no organisation had one recorded before.

Revision ID: 7e4b1d6a9c52
Revises: 5d2a7c9e1f38
Create Date: 2026-12-06 15:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = "7e4b1d6a9c52"
down_revision = "5d2a7c9e1f38"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("organisations", sa.Column("ppon", sa.String(length=14), nullable=True))
    op.create_index(op.f("ix_organisations_ppon"), "organisations", ["ppon"], unique=True)


def downgrade():
    op.drop_index(op.f("ix_organisations_ppon"), table_name="organisations")
    op.drop_column("organisations", "ppon")
