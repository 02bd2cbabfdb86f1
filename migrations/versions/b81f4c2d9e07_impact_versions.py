"""impact versions: one row per charter, moved by each rebuild of the impact figures

/impact (its page, CSV and JSON) is answered from memory by ETag and revalidated with a 304 like
the register (issue 23): the answer changes only when the summary rows are rebuilt, or when what
the page shows beside them changes (proxy values, the scheme's measures, the charter). This
table counts those changes per charter; no data to migrate (a charter without a row is at
version 0 until its first change).

Revision ID: b81f4c2d9e07
Revises: 9b1e4c7d2a60
Create Date: 2026-12-06 12:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = "b81f4c2d9e07"
down_revision = "9b1e4c7d2a60"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "impact_versions",
        sa.Column("charter_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["charter_id"], ["charters.id"], name=op.f("fk_impact_versions_charter_id_charters")
        ),
        sa.PrimaryKeyConstraint("charter_id", name=op.f("pk_impact_versions")),
    )


def downgrade():
    op.drop_table("impact_versions")
