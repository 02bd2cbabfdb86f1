"""charters: their region; impact summary rows: their scope

A charter lies in one of the ONS's regions (charters.region, NULL: in none), so the combined
impact page can show a region's charters together (issue 21: Warwickshire's regional taskforce).
The summary rows of no one charter (charter_id NULL) were every charter's together; now they
may also be a region's, so each row says whose it is (``scope``): "" for a charter's own rows,
"all" for every charter's, "region:<slug>" for a region's. Existing rows with no charter are
every charter's: they become "all". Down again, a region's rows have nowhere to go (they would
read as every charter's) and are deleted; the rebuild makes them again.

Revision ID: c3a8e1f5d726
Revises: d4e7a2c9b153
Create Date: 2026-12-07 01:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "c3a8e1f5d726"
down_revision = "d4e7a2c9b153"
branch_labels = None
depends_on = None

SUMMARY = ("impact_cells", "impact_comparisons", "impact_lifecycle_counts", "impact_builds")


def upgrade():
    with op.batch_alter_table("charters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region", sa.String(length=40), nullable=True))
        batch_op.create_index("ix_charters_region", ["region"], unique=False)
    for table in SUMMARY:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("scope", sa.String(length=60), server_default="", nullable=False)
            )
        op.execute(sa.text(f"UPDATE {table} SET scope = 'all' WHERE charter_id IS NULL"))


def downgrade():
    for table in SUMMARY:
        op.execute(sa.text(f"DELETE FROM {table} WHERE scope LIKE 'region:%'"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("scope")
    with op.batch_alter_table("charters", schema=None) as batch_op:
        batch_op.drop_index("ix_charters_region")
        batch_op.drop_column("region")
