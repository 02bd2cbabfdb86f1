"""notice poll run counts: what the last run of the Find a Tender poll fetched and kept

Four columns on notice_polls, for the administrators' page of imports and the poll (issue 22):
the last run's pages, the releases on them, those kept for commissioners' buyers, and the new
ones. Empty (NULL) for a poll that has not run since, which the page says. Nothing here reads
another migration's data, so the revision can be re-parented.

Revision ID: a4d2f6c8e913
Revises: c5e1a9d3f702
Create Date: 2026-12-06 22:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a4d2f6c8e913"
down_revision = "c5e1a9d3f702"
branch_labels = None
depends_on = None

COLUMNS = ("last_run_pages", "last_run_releases", "last_run_kept", "last_run_new_releases")


def upgrade():
    with op.batch_alter_table("notice_polls", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("notice_polls", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
