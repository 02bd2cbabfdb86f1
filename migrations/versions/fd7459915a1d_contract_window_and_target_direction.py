"""contract window and value ceiling on schemes; which way is better on measures; a reason on
plan targets that go backwards

Issue 18. Schemes get [contracts] rules (the earliest start date, how many years ahead an end
date may be, the ceiling on a contract's value), measures say which direction is better and
whether a target may go the other way with a reason, and a plan target keeps that reason.
Every new column has a server default, so scheme versions loaded before keep working with the
defaults the scheme file would give.

Revision ID: fd7459915a1d
Revises: f27cd3836fe7
Create Date: 2026-12-06 05:35:00

"""

import sqlalchemy as sa
from alembic import op

revision = "fd7459915a1d"
down_revision = "f27cd3836fe7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "contract_earliest_start", sa.Date(), server_default="2000-01-01", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("contract_end_years_ahead", sa.Integer(), server_default="15", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "contract_max_value",
                sa.Numeric(precision=14, scale=2),
                server_default="10000000000",
                nullable=False,
            )
        )
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("better", sa.String(length=10), server_default="higher", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "allow_backwards_with_reason",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
    with op.batch_alter_table("plan_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("backwards_reason", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("plan_targets", schema=None) as batch_op:
        batch_op.drop_column("backwards_reason")
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_column("allow_backwards_with_reason")
        batch_op.drop_column("better")
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.drop_column("contract_max_value")
        batch_op.drop_column("contract_end_years_ahead")
        batch_op.drop_column("contract_earliest_start")
