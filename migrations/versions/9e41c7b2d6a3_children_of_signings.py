"""action plans, returns, applications, Marks, annual confirmations and audits belong to a signing

Each of these rows is about an organisation's commitment to one charter (issue 20,
docs/charters.md): it gains ``signing_id``. ``organisation_id`` stays, since pages and reviews
find them by organisation.

Data migration: each row takes its organisation's signing. An organisation with such rows but
no signing (only in data made outside the service: the signings migration gave one to every
organisation with a scheme or an answer) is first given one under the newest scheme version, so
no row is left without. Then the column becomes required.

Downgrade: the column goes (the signings stay, as the previous revision made them).

Revision ID: 9e41c7b2d6a3
Revises: 5a7d2c8e4b19
Create Date: 2026-12-06 13:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "9e41c7b2d6a3"
down_revision = "5a7d2c8e4b19"
branch_labels = None
depends_on = None

CHILDREN = (
    "action_plans",
    "monitoring_returns",
    "applications",
    "charter_marks",
    "annual_confirmations",
    "mark_audits",
)
organisations = sa.table(
    "organisations", sa.column("id", sa.Integer), sa.column("created_at", sa.DateTime)
)
schemes = sa.table("schemes", sa.column("id", sa.Integer), sa.column("charter_id", sa.Integer))
signings = sa.table(
    "signings",
    sa.column("id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("charter_id", sa.Integer),
    sa.column("scheme_id", sa.Integer),
    sa.column("publishes_figures", sa.Boolean),
    sa.column("created_at", sa.DateTime),
)


def _child(name: str) -> sa.TableClause:
    return sa.table(
        name, sa.column("organisation_id", sa.Integer), sa.column("signing_id", sa.Integer)
    )


def upgrade():
    for name in CHILDREN:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column("signing_id", sa.Integer(), nullable=True))

    connection = op.get_bind()
    newest = connection.execute(sa.select(sa.func.max(schemes.c.id))).scalar()
    if newest is not None:
        unsigned = sa.union(
            *[sa.select(_child(name).c.organisation_id) for name in CHILDREN]
        ).subquery()
        connection.execute(
            signings.insert().from_select(
                ["organisation_id", "charter_id", "scheme_id", "publishes_figures", "created_at"],
                sa.select(
                    organisations.c.id,
                    schemes.c.charter_id,
                    schemes.c.id,
                    sa.false(),
                    organisations.c.created_at,
                )
                .join(schemes, schemes.c.id == newest)
                .where(
                    organisations.c.id.in_(sa.select(unsigned.c.organisation_id)),
                    ~sa.exists().where(signings.c.organisation_id == organisations.c.id),
                ),
            )
        )
    for name in CHILDREN:
        child = _child(name)
        connection.execute(
            child.update().values(
                signing_id=sa.select(sa.func.min(signings.c.id))
                .where(signings.c.organisation_id == child.c.organisation_id)
                .scalar_subquery()
            )
        )
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column("signing_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{name}_signing_id"), ["signing_id"])
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{name}_signing_id_signings"), "signings", ["signing_id"], ["id"]
            )


def downgrade():
    for name in CHILDREN:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{name}_signing_id_signings"), "foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{name}_signing_id"))
            batch_op.drop_column("signing_id")
