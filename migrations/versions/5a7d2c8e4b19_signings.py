"""signings: what is about one charter leaves the organisation

Organisations and people belong to the service; signing belongs to a charter (issue 20,
docs/charters.md). ``signings`` has a row per (organisation, charter) with the scheme version
signed under, the route to the Mark and the consent to publish verified figures, which were the
organisation's ``scheme_id``, ``route``, ``publishes_figures`` and
``publishes_figures_decided_at``.

Data migration: one signing for each organisation that has a scheme (every organisation made
through the service has one from its registration), in that scheme's charter, copying the four
columns and dating the signing from the organisation's registration. An organisation with no
scheme (possible only in data made outside the service) that nevertheless has a route or a
publishing answer gets a signing under the newest scheme version, so no answer is lost; one with
none of them has nothing to keep and gets no signing.

Downgrade: each organisation takes back its first signing's columns; the table goes.

Revision ID: 5a7d2c8e4b19
Revises: 7c2e5a91d3f0
Create Date: 2026-12-06 12:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = "5a7d2c8e4b19"
down_revision = "7c2e5a91d3f0"
branch_labels = None
depends_on = None

MOVED = ("scheme_id", "route", "publishes_figures", "publishes_figures_decided_at")
# The register's order indexes: a batch on SQLite copies the table without these expression
# indexes (SQLite cannot reflect them), so they are made again after each batch there.
ORDER_INDEXES = {
    "ix_organisations_register_order": [],
    "ix_organisations_district_order": ["district"],
    "ix_organisations_sector_order": ["sector"],
    "ix_organisations_type_order": ["organisation_type"],
}

organisations = sa.table(
    "organisations",
    sa.column("id", sa.Integer),
    sa.column("scheme_id", sa.Integer),
    sa.column("route", sa.String),
    sa.column("publishes_figures", sa.Boolean),
    sa.column("publishes_figures_decided_at", sa.DateTime),
    sa.column("created_at", sa.DateTime),
)
schemes = sa.table("schemes", sa.column("id", sa.Integer), sa.column("charter_id", sa.Integer))
signings = sa.table(
    "signings",
    sa.column("id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("charter_id", sa.Integer),
    sa.column("scheme_id", sa.Integer),
    sa.column("route", sa.String),
    sa.column("publishes_figures", sa.Boolean),
    sa.column("publishes_figures_decided_at", sa.DateTime),
    sa.column("created_at", sa.DateTime),
)


def upgrade():
    op.create_table(
        "signings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("charter_id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=30), nullable=True),
        sa.Column("publishes_figures", sa.Boolean(), nullable=False),
        sa.Column("publishes_figures_decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_signings_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["charter_id"], ["charters.id"], name=op.f("fk_signings_charter_id_charters")
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"], ["schemes.id"], name=op.f("fk_signings_scheme_id_schemes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signings")),
        sa.UniqueConstraint(
            "organisation_id", "charter_id", name=op.f("uq_signings_organisation_id_charter_id")
        ),
    )
    op.create_index(op.f("ix_signings_organisation_id"), "signings", ["organisation_id"])
    op.create_index(op.f("ix_signings_charter_id"), "signings", ["charter_id"])
    op.create_index(op.f("ix_signings_scheme_id"), "signings", ["scheme_id"])

    connection = op.get_bind()
    newest = connection.execute(sa.select(sa.func.max(schemes.c.id))).scalar()
    scheme_id = sa.func.coalesce(organisations.c.scheme_id, newest)
    answered = sa.or_(
        organisations.c.scheme_id.is_not(None),
        organisations.c.route.is_not(None),
        organisations.c.publishes_figures_decided_at.is_not(None),
        organisations.c.publishes_figures.is_(True),
    )
    if newest is not None:
        connection.execute(
            signings.insert().from_select(
                [
                    "organisation_id",
                    "charter_id",
                    "scheme_id",
                    "route",
                    "publishes_figures",
                    "publishes_figures_decided_at",
                    "created_at",
                ],
                sa.select(
                    organisations.c.id,
                    schemes.c.charter_id,
                    schemes.c.id,
                    organisations.c.route,
                    sa.func.coalesce(organisations.c.publishes_figures, sa.false()),
                    organisations.c.publishes_figures_decided_at,
                    organisations.c.created_at,
                )
                .join(schemes, schemes.c.id == scheme_id)
                .where(answered)
                .order_by(organisations.c.id),
            )
        )

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint("fk_organisations_scheme_id_schemes", type_="foreignkey")
        for column in MOVED:
            batch_op.drop_column(column)
    _order_indexes_again_on_sqlite()


def _order_indexes_again_on_sqlite() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, leading in ORDER_INDEXES.items():
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.create_index(
            name,
            "organisations",
            [*(sa.column(c) for c in leading), sa.text("lower(name)"), sa.column("id")],
        )


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheme_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("route", sa.String(length=30), nullable=True))
        batch_op.add_column(
            sa.Column(
                "publishes_figures", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("publishes_figures_decided_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            "fk_organisations_scheme_id_schemes", "schemes", ["scheme_id"], ["id"]
        )
    _order_indexes_again_on_sqlite()

    connection = op.get_bind()
    first = (
        sa.select(sa.func.min(signings.c.id)).group_by(signings.c.organisation_id).scalar_subquery()
    )
    rows = connection.execute(
        sa.select(signings.c.organisation_id, *[signings.c[column] for column in MOVED]).where(
            signings.c.id.in_(first)
        )
    ).all()
    if rows:
        connection.execute(
            organisations.update()
            .where(organisations.c.id == sa.bindparam("organisation"))
            .values({column: sa.bindparam(f"new_{column}") for column in MOVED}),
            [
                {"organisation": row[0]} | {f"new_{c}": v for c, v in zip(MOVED, row[1:])}
                for row in rows
            ],
        )
    # An organisation without a signing keeps the default answer: not publishing.
    connection.execute(
        organisations.update()
        .where(organisations.c.publishes_figures.is_(None))
        .values(publishes_figures=False)
    )
    op.drop_index(op.f("ix_signings_scheme_id"), table_name="signings")
    op.drop_index(op.f("ix_signings_charter_id"), table_name="signings")
    op.drop_index(op.f("ix_signings_organisation_id"), table_name="signings")
    op.drop_table("signings")
