"""contract terminations from notices: a termination notice proposed on an accepted award

A later notice (Find a Tender's UK11, contracts[].status "terminated") for an award a member
accepted is proposed to the organisation like a published change (issue 22): these columns hold
what it says (the date the contract ended, the reason code) and whether it was answered. Only
new nullable columns: no data to migrate (no termination was kept before).

Revision ID: 5d2a7c9e1f38
Revises: f7b3d9e2a461
Create Date: 2026-12-06 15:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "5d2a7c9e1f38"
down_revision = "f7b3d9e2a461"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("awarded_suppliers") as batch_op:
        batch_op.add_column(sa.Column("termination_status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("termination_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("termination_reason", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("awarded_suppliers") as batch_op:
        batch_op.drop_column("termination_reason")
        batch_op.drop_column("termination_date")
        batch_op.drop_column("termination_status")
