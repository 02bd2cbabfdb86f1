"""each charter's /impact is its own, and each lifecycle event names its signing

The impact summary rows (cells, like-for-like comparisons, lifecycle counts, builds) gain the
charter they were counted for: a charter's /impact shows the figures counted for it (its own
signings' returns, and figures another charter's return gave for a measure of the same
reference: see docs/charters.md, "How a figure reaches each charter"). ``audit_events`` gains
the signing whose lifecycle moved, so each charter counts its own signings, lapses and Marks.

Data migration: the summary rows were every organisation's, shown for the default charter (the
first made), so they become its rows until the next rebuild counts each charter's. Each audit
event takes its organisation's first signing (by id): until this revision only the default
charter's reviews and pages wrote lifecycle events for most organisations; an event of a later
signing made before this revision is attributed to the first, which the next rebuild's counts
show (nothing else reads the column yet). Downgrade drops the columns and the rows of every
charter but the default one.

Revision ID: a9c3e5f7b1d2
Revises: 7e4b1d6a9c52
Create Date: 2026-12-06 18:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "a9c3e5f7b1d2"
down_revision = "7e4b1d6a9c52"
branch_labels = None
depends_on = None

DEFAULT_CHARTER = "(SELECT min(id) FROM charters)"
# table: (its old unique constraint's name and columns, the new one's) or None.
SUMMARY_TABLES = {
    "impact_cells": (
        "uq_impact_cells_period_key_measure_code_dimension_dimension_value",
        "uq_impact_cells_charter_cell",
        ["period_key", "measure_code", "dimension", "dimension_value"],
    ),
    "impact_comparisons": (
        "uq_impact_comparisons_period_key_measure_code",
        "uq_impact_comparisons_charter_id_period_key_measure_code",
        ["period_key", "measure_code"],
    ),
    "impact_lifecycle_counts": (
        "uq_impact_lifecycle_counts_period_key_event",
        "uq_impact_lifecycle_counts_charter_id_period_key_event",
        ["period_key", "event"],
    ),
    "impact_builds": None,
}
WIDENED = ("impact_cells", "impact_comparisons")


def upgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signing_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_events_signing_id"), ["signing_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_events_signing_id_signings"), "signings", ["signing_id"], ["id"]
        )
    op.execute(
        "UPDATE audit_events SET signing_id = (SELECT min(signings.id) FROM signings "
        "WHERE signings.organisation_id = audit_events.organisation_id)"
    )

    for table, unique in SUMMARY_TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("charter_id", sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET charter_id = {DEFAULT_CHARTER}")
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in WIDENED:
                batch_op.alter_column(
                    "measure_code", existing_type=sa.String(30), type_=sa.String(100)
                )
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_charter_id_charters"), "charters", ["charter_id"], ["id"]
            )
            if unique is None:
                batch_op.create_index(batch_op.f(f"ix_{table}_charter_id"), ["charter_id"])
                continue
            old, new, columns = unique
            batch_op.drop_constraint(op.f(old), type_="unique")
            batch_op.create_unique_constraint(new, ["charter_id", *columns])
            if table == "impact_cells":
                batch_op.drop_index("ix_impact_cells_period_dimension")
                batch_op.create_index(
                    "ix_impact_cells_charter_period_dimension",
                    ["charter_id", "period_key", "dimension"],
                )


def downgrade():
    for table, unique in SUMMARY_TABLES.items():
        op.execute(
            f"DELETE FROM {table} WHERE charter_id IS NULL OR charter_id <> {DEFAULT_CHARTER}"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in WIDENED:  # every row left is a charter measure's code (30 at most)
                batch_op.alter_column(
                    "measure_code", existing_type=sa.String(100), type_=sa.String(30)
                )
            if unique is None:
                batch_op.drop_index(batch_op.f(f"ix_{table}_charter_id"))
            else:
                old, new, columns = unique
                if table == "impact_cells":
                    batch_op.drop_index("ix_impact_cells_charter_period_dimension")
                    batch_op.create_index(
                        "ix_impact_cells_period_dimension", ["period_key", "dimension"]
                    )
                batch_op.drop_constraint(new, type_="unique")
                batch_op.create_unique_constraint(op.f(old), columns)
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_charter_id_charters"), type_="foreignkey"
            )
            batch_op.drop_column("charter_id")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_audit_events_signing_id_signings"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_audit_events_signing_id"))
        batch_op.drop_column("signing_id")
