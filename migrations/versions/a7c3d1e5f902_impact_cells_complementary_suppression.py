"""impact_cells.complementary: cells withheld to protect a small figure

Marked by `flask charter rebuild-impact` (nightly), which this migration leaves to the next
run: until then every cell reads as not withheld beyond its own organisations count, as before.

Revision ID: a7c3d1e5f902
Revises: 58ae96b717b4
Create Date: 2026-11-24 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c3d1e5f902"
down_revision = "58ae96b717b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("impact_cells", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("complementary", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("impact_cells", schema=None) as batch_op:
        batch_op.drop_column("complementary")
