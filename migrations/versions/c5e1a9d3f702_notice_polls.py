"""notice polls: where the scheduled Find a Tender poll has got to

One new table (docs/ocds.md, "A scheduled poll"): per polled source and stage, the high-water
mark the next walk asks from (``updatedFrom``), and the walk in progress (its window's end and
the page it asks next). Nothing here reads another migration's data, so the revision can be
re-parented.

Revision ID: c5e1a9d3f702
Revises: 72a4c514ce93
Create Date: 2026-12-06 19:35:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c5e1a9d3f702"
down_revision = "72a4c514ce93"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notice_polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("updated_from", sa.String(length=19), nullable=False),
        sa.Column("window_to", sa.String(length=19), nullable=True),
        sa.Column("next_url", sa.Text(), nullable=True),
        sa.Column("last_run_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_polls")),
        sa.UniqueConstraint("source", name=op.f("uq_notice_polls_source")),
    )


def downgrade():
    op.drop_table("notice_polls")
