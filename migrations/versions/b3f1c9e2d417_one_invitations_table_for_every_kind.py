"""one invitations table for every kind: members and contract managers

Issue 19: an organisation's members and a commissioner's contract managers were invited through
two tables with the same columns but one (``invitations.organisation_id``,
``contract_manager_invitations.commissioner_id``). Now ``invitations`` holds both: ``kind``
says what the person is invited to be ("member", "contract_manager"), its one target column is
set and the other NULL (CHECK ``ck_invitations_one_target``).

Data migration: member invitations keep their rows and ids, so the links already emailed for
them still open them. Contract manager invitations move in after them with new ids, keeping
their old id in ``legacy_id``: the links already emailed for them name that id, and the app
still opens them by it until they expire. Undone, contract manager invitations move back with
their old ids (new ones after the largest), and the links sent for them since stop working.

Revision ID: b3f1c9e2d417
Revises: 84d756153b99
Create Date: 2026-12-06 08:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "b3f1c9e2d417"
down_revision = "84d756153b99"
branch_labels = None
depends_on = None

# As charter.models.invitation.one_target_check writes it, written out here so this migration
# does not change if the model gains a kind.
ONE_TARGET = (
    "(kind = 'member' AND commissioner_id IS NULL AND organisation_id IS NOT NULL)"
    " OR (kind = 'contract_manager' AND commissioner_id IS NOT NULL AND organisation_id IS NULL)"
)
SHARED = ("email", "invited_by_id", "created_at", "accepted_at", "cancelled_at")

invitations = sa.table(
    "invitations",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("organisation_id", sa.Integer),
    sa.column("commissioner_id", sa.Integer),
    sa.column("legacy_id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("invited_by_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("accepted_at", sa.DateTime),
    sa.column("cancelled_at", sa.DateTime),
)
manager_invitations = sa.table(
    "contract_manager_invitations",
    sa.column("id", sa.Integer),
    sa.column("commissioner_id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("invited_by_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("accepted_at", sa.DateTime),
    sa.column("cancelled_at", sa.DateTime),
)


def _restart_ids(connection, table: str) -> None:
    """On PostgreSQL, the id sequence goes on after the ids written here."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table}"
            )
        )


def _move_in(connection) -> None:
    rows = connection.execute(
        sa.select(manager_invitations).order_by(manager_invitations.c.id)
    ).all()
    after = connection.execute(sa.select(sa.func.coalesce(sa.func.max(invitations.c.id), 0)))
    first = after.scalar()
    if rows:
        connection.execute(
            invitations.insert(),
            [
                {
                    "id": first + n,
                    "kind": "contract_manager",
                    "organisation_id": None,
                    "commissioner_id": row.commissioner_id,
                    "legacy_id": row.id,
                    **{name: getattr(row, name) for name in SHARED},
                }
                for n, row in enumerate(rows, 1)
            ],
        )
    _restart_ids(connection, "invitations")


def _move_out(connection) -> None:
    rows = connection.execute(
        sa.select(invitations)
        .where(invitations.c.kind == "contract_manager")
        .order_by(invitations.c.id)
    ).all()
    taken = max((row.legacy_id for row in rows if row.legacy_id is not None), default=0)
    moved = []
    for row in rows:
        if row.legacy_id is None:
            taken += 1
        moved.append(
            {
                "id": row.legacy_id if row.legacy_id is not None else taken,
                "commissioner_id": row.commissioner_id,
                **{name: getattr(row, name) for name in SHARED},
            }
        )
    if moved:
        connection.execute(manager_invitations.insert(), moved)
    connection.execute(invitations.delete().where(invitations.c.kind == "contract_manager"))
    _restart_ids(connection, "contract_manager_invitations")


def upgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=30), server_default="member", nullable=False)
        )
        batch_op.add_column(sa.Column("commissioner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("legacy_id", sa.Integer(), nullable=True))
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_invitations_commissioner_id"), ["commissioner_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_invitations_commissioner_id_commissioners"),
            "commissioners",
            ["commissioner_id"],
            ["id"],
        )
    _move_in(op.get_bind())
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=30), server_default=None)
        batch_op.create_check_constraint(batch_op.f("ck_invitations_one_target"), ONE_TARGET)
    with op.batch_alter_table("contract_manager_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_manager_invitations_commissioner_id"))
    op.drop_table("contract_manager_invitations")


def downgrade():
    op.create_table(
        "contract_manager_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commissioner_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commissioner_id"],
            ["commissioners.id"],
            name=op.f("fk_contract_manager_invitations_commissioner_id_commissioners"),
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_contract_manager_invitations_invited_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_manager_invitations")),
    )
    with op.batch_alter_table("contract_manager_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_manager_invitations_commissioner_id"),
            ["commissioner_id"],
            unique=False,
        )
    _move_out(op.get_bind())
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_invitations_one_target"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_invitations_commissioner_id_commissioners"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_invitations_commissioner_id"))
        batch_op.drop_column("legacy_id")
        batch_op.drop_column("commissioner_id")
        batch_op.drop_column("kind")
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)
