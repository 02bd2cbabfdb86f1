"""each charter names the commissioners that take part in it

The commissioners stay one managed list for the service; ``charter_commissioners`` says which
take part in which charter (issue 20). A contract counts for a charter when its commissioner
takes part in it.

Data migration: every commissioner on the list takes part in the default charter (the first
made), whose list it was until now. Downgrade drops the table.

Revision ID: f7b3d9e2a461
Revises: c2f8a4d6e913
Create Date: 2026-12-06 16:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "f7b3d9e2a461"
down_revision = "c2f8a4d6e913"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "charter_commissioners",
        sa.Column("charter_id", sa.Integer(), nullable=False),
        sa.Column("commissioner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["charter_id"],
            ["charters.id"],
            name=op.f("fk_charter_commissioners_charter_id_charters"),
        ),
        sa.ForeignKeyConstraint(
            ["commissioner_id"],
            ["commissioners.id"],
            name=op.f("fk_charter_commissioners_commissioner_id_commissioners"),
        ),
        sa.PrimaryKeyConstraint(
            "charter_id", "commissioner_id", name=op.f("pk_charter_commissioners")
        ),
    )
    with op.batch_alter_table("charter_commissioners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_charter_commissioners_commissioner_id"),
            ["commissioner_id"],
            unique=False,
        )
    op.execute(
        "INSERT INTO charter_commissioners (charter_id, commissioner_id, created_at) "
        "SELECT (SELECT min(id) FROM charters), commissioners.id, commissioners.created_at "
        "FROM commissioners WHERE EXISTS (SELECT 1 FROM charters)"
    )


def downgrade():
    with op.batch_alter_table("charter_commissioners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charter_commissioners_commissioner_id"))
    op.drop_table("charter_commissioners")
