"""session generation on users: sign-out and password changes end sessions server-side

Every existing session cookie lacks the generation, so everyone signs in once more after this
migration; no data changes.

Revision ID: 3e9669e99f02
Revises: 48bda27fc6e5
Create Date: 2026-11-23 21:31:12.526409

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3e9669e99f02"
down_revision = "48bda27fc6e5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
