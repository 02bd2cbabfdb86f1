"""pledges and value kinds: a contract commitment made from a toolkit pledge keeps the numbers
the supplier put in its [#] and how often it reports; a return line and a per-contract figure
hold a pair's second figure, and a line an achievement's yes or no and the date achieved

Issue 21 (Worcestershire's toolkit): a pledge is chosen at tender with its numbers, which are
the pledge's, not always a target in the indicator's unit ("within [#] weeks"), so a pledge's
commitment may have no target_value: the column becomes nullable (every existing row keeps its
target). Every new column is nullable; existing rows are counts, pounds and the like, and keep
what they hold. Down again, the new columns go; a commitment with no target cannot stay, so the
downgrade refuses while any exists rather than invent one.

Revision ID: b8d3f6a2c417
Revises: a3c8e5f1d270
Create Date: 2026-12-06 18:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "b8d3f6a2c417"
down_revision = "a3c8e5f1d270"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contract_commitments") as batch:
        batch.add_column(sa.Column("pledge_numbers", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("frequency", sa.String(length=20), nullable=True))
        batch.alter_column(
            "target_value", existing_type=sa.Numeric(precision=14, scale=2), nullable=True
        )
    op.add_column(
        "return_lines", sa.Column("second_value", sa.Numeric(precision=14, scale=2), nullable=True)
    )
    op.add_column("return_lines", sa.Column("achieved", sa.Boolean(), nullable=True))
    op.add_column("return_lines", sa.Column("achieved_on", sa.Date(), nullable=True))
    op.add_column(
        "contract_figures",
        sa.Column("second_value", sa.Numeric(precision=14, scale=2), nullable=True),
    )


def downgrade():
    connection = op.get_bind()
    untargeted = connection.execute(
        sa.text("SELECT count(*) FROM contract_commitments WHERE target_value IS NULL")
    ).scalar()
    if untargeted:
        raise RuntimeError(
            f"{untargeted} commitments were made from pledges and have no target: remove them "
            "before going below b8d3f6a2c417"
        )
    with op.batch_alter_table("contract_figures") as batch:
        batch.drop_column("second_value")
    with op.batch_alter_table("return_lines") as batch:
        batch.drop_column("achieved_on")
        batch.drop_column("achieved")
        batch.drop_column("second_value")
    with op.batch_alter_table("contract_commitments") as batch:
        batch.alter_column(
            "target_value", existing_type=sa.Numeric(precision=14, scale=2), nullable=False
        )
        batch.drop_column("frequency")
        batch.drop_column("pledge_numbers")
