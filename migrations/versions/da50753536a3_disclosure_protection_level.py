"""disclosure protection level; like-for-like comparisons; impact figures withheld until rebuilt

Schemes gain ``disclosure_protection_percent`` (the scheme file's [disclosure]
protection_percent, 20 by default): every withheld public impact figure must stay uncertain by at
least this share of its upper end, whatever else is published.

Impact cells gain the part of each figure from organisations that publish their own figures
(``published_organisations``, ``published_total``, ``published_monetised``): anyone can add
those up, so disclosure control protects the rest.

``impact_comparisons``: each measure's figure for the organisations that reported in both a
period and the same period a year before (the like-for-like year-on-year line), filled by the
rebuild.

Data correction: the summary rows' complementary flags were set by a rule that let withheld
figures be worked out across tables (the LE1 year total less the business cell gave the VCSE
year, less a shown quarter the other quarter). Until the next rebuild sets them afresh (nightly,
or `flask charter rebuild-impact`), every summary row is withheld from the public: safe, not
pretty. Staff figures are unaffected.

Revision ID: da50753536a3
Revises: 5be71c0d94fa
Create Date: 2026-12-06 06:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "da50753536a3"
down_revision = "5be71c0d94fa"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "disclosure_protection_percent",
                sa.Integer(),
                nullable=False,
                server_default="20",
            )
        )
    op.create_table(
        "impact_comparisons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(length=10), nullable=False),
        sa.Column("measure_code", sa.String(length=30), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("previous_total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("organisations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_comparisons")),
        sa.UniqueConstraint(
            "period_key",
            "measure_code",
            name=op.f("uq_impact_comparisons_period_key_measure_code"),
        ),
    )
    with op.batch_alter_table("impact_cells", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "published_organisations", sa.Integer(), nullable=False, server_default="0"
            )
        )
        batch_op.add_column(
            sa.Column(
                "published_total",
                sa.Numeric(precision=18, scale=2),
                nullable=False,
                server_default="0",
            )
        )
        batch_op.add_column(
            sa.Column("published_monetised", sa.Numeric(precision=18, scale=2), nullable=True)
        )
    cells = sa.table("impact_cells", sa.column("complementary", sa.Boolean()))
    op.execute(cells.update().values(complementary=True))


def downgrade():
    with op.batch_alter_table("impact_cells", schema=None) as batch_op:
        batch_op.drop_column("published_monetised")
        batch_op.drop_column("published_total")
        batch_op.drop_column("published_organisations")
    op.drop_table("impact_comparisons")
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.drop_column("disclosure_protection_percent")
