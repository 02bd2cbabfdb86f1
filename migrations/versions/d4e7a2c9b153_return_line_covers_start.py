"""return lines: the period a pledge's figure covers

A pledge reported once a year (Worcestershire's toolkit, issue 21) is asked for in the return
of the year's last quarter, and its figure covers the whole year, not that quarter: the line
records the first day of the period it covers (it ends with its return's). A nullable column:
existing lines keep every value and cover their return's period, as they were reported.

Revision ID: d4e7a2c9b153
Revises: a4d2f6c8e913
Create Date: 2026-12-06 22:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "d4e7a2c9b153"
down_revision = "a4d2f6c8e913"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("covers_start", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_column("covers_start")
