"""each signing has its own plans, returns, confirmations and audits: their unique rules are
per signing, not per organisation

An organisation that signs two charters makes an action plan, a return per monitoring period, an
annual confirmation and (as a holder) a yearly audit under each (issue 20): the unique rules
move from (organisation, …) to (signing, …). While every organisation had one signing the two
were the same, so no row conflicts.

Downgrade: the organisation's rules come back; it refuses (the database's own error) where an
organisation already has two signings' rows for the same period, anniversary, year or revision.

Revision ID: c2f8a4d6e913
Revises: e5a1c7d3b820
Create Date: 2026-12-06 16:00:00
"""

from alembic import op


revision = "c2f8a4d6e913"
down_revision = "e5a1c7d3b820"
branch_labels = None
depends_on = None

# table: the column the rule is about, besides the owner.
RULES = {
    "action_plans": "revision",
    "monitoring_returns": "period_start",
    "annual_confirmations": "anniversary",
    "mark_audits": "year",
}


def _move(old_owner: str, new_owner: str) -> None:
    for table, column in RULES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"uq_{table}_{old_owner}_{column}", type_="unique")
            batch_op.create_unique_constraint(
                f"uq_{table}_{new_owner}_{column}", [new_owner, column]
            )


def upgrade():
    _move("organisation_id", "signing_id")


def downgrade():
    _move("signing_id", "organisation_id")
