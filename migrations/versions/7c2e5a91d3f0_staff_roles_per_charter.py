"""staff roles per charter; the service administrator

Staff were a service-wide role on the account (``users.role``: member, assessor, admin). With
several charters (issue 20, docs/charters.md) a role is held in a charter: ``staff_roles`` has a
row per (person, charter, role: administrator or assessor), with who appointed them and when, and
when the role ended. The service-wide role left is the **service administrator**
(``users.service_admin``), the operator who creates charters and appoints their first
administrators. ``users.role`` goes: one name per concept.

Data migration: today's administrators could do everything, so each becomes an administrator of
the default (first) charter *and* a service administrator, and loses nothing; each assessor
becomes an assessor of the default charter. On a service without a charter (no scheme loaded)
there is nowhere to hold a charter role: administrators become service administrators only, and
assessors, with nothing to assess, become plain accounts.

Downgrade: ``role`` comes back as ``admin`` for a service administrator or anyone administering
a charter, ``assessor`` for anyone assessing one, ``member`` otherwise; the table and the flag go.

Revision ID: 7c2e5a91d3f0
Revises: 4038404a58b1
Create Date: 2026-12-06 09:40:00
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = "7c2e5a91d3f0"
down_revision = "4038404a58b1"
branch_labels = None
depends_on = None

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("role", sa.String),
    sa.column("service_admin", sa.Boolean),
)
charters = sa.table("charters", sa.column("id", sa.Integer))
staff_roles = sa.table(
    "staff_roles",
    sa.column("user_id", sa.Integer),
    sa.column("charter_id", sa.Integer),
    sa.column("role", sa.String),
    sa.column("appointed_at", sa.DateTime),
    sa.column("removed_at", sa.DateTime),
)
# users.role -> the role it becomes in the default charter
CHARTER_ROLE = {"admin": "administrator", "assessor": "assessor"}


def upgrade():
    op.create_table(
        "staff_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("charter_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("appointed_by_id", sa.Integer(), nullable=True),
        sa.Column("appointed_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_staff_roles_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["charter_id"], ["charters.id"], name=op.f("fk_staff_roles_charter_id_charters")
        ),
        sa.ForeignKeyConstraint(
            ["appointed_by_id"], ["users.id"], name=op.f("fk_staff_roles_appointed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"], ["users.id"], name=op.f("fk_staff_roles_removed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_roles")),
    )
    op.create_index(op.f("ix_staff_roles_user_id"), "staff_roles", ["user_id"], unique=False)
    op.create_index(
        "ix_staff_roles_charter_id_role", "staff_roles", ["charter_id", "role"], unique=False
    )
    op.create_index(
        "uq_staff_roles_open",
        "staff_roles",
        ["user_id", "charter_id", "role"],
        unique=True,
        sqlite_where=sa.text("removed_at IS NULL"),
        postgresql_where=sa.text("removed_at IS NULL"),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("service_admin", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    connection = op.get_bind()
    connection.execute(users.update().where(users.c.role == "admin").values(service_admin=True))
    default_charter = connection.execute(sa.select(sa.func.min(charters.c.id))).scalar()
    if default_charter is not None:
        now = datetime.now(UTC).replace(tzinfo=None)
        rows = connection.execute(
            sa.select(users.c.id, users.c.role)
            .where(users.c.role.in_(CHARTER_ROLE))
            .order_by(users.c.id)
        ).all()
        if rows:
            connection.execute(
                staff_roles.insert(),
                [
                    {
                        "user_id": user_id,
                        "charter_id": default_charter,
                        "role": CHARTER_ROLE[role],
                        "appointed_at": now,
                    }
                    for user_id, role in rows
                ],
            )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("role")


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=20), server_default="member", nullable=False)
        )

    connection = op.get_bind()
    open_roles = sa.select(staff_roles.c.user_id).where(staff_roles.c.removed_at.is_(None))
    connection.execute(
        users.update()
        .where(users.c.id.in_(open_roles.where(staff_roles.c.role == "assessor")))
        .values(role="assessor")
    )
    connection.execute(
        users.update()
        .where(
            sa.or_(
                users.c.service_admin.is_(True),
                users.c.id.in_(open_roles.where(staff_roles.c.role == "administrator")),
            )
        )
        .values(role="admin")
    )

    with op.batch_alter_table("users", schema=None) as batch_op:
        # The column had no server default before: the model gives "member".
        batch_op.alter_column("role", existing_type=sa.String(length=20), server_default=None)
        batch_op.drop_column("service_admin")
    op.drop_index("uq_staff_roles_open", table_name="staff_roles")
    op.drop_index("ix_staff_roles_charter_id_role", table_name="staff_roles")
    op.drop_index(op.f("ix_staff_roles_user_id"), table_name="staff_roles")
    op.drop_table("staff_roles")
