"""scheme features for other charters: an optional award, shared references, value kinds,
pledges, themes and priorities, minimum standards, weightings, service credits, self-assessment

Issue 21: the scheme files of Worcestershire, Cheshire West and Chester and Warwickshire need
what Shropshire's did not. Every new column is nullable or has a default, so existing schemes
keep loading. Data: every existing scheme version is Shropshire's, which awards the Charter
Mark, so it gets has_award true and award_name "Charter Mark"; every existing measure's National
TOMs code (toms_ref) becomes its shared reference.

Revision ID: e5a1c7d3b820
Revises: d4a7e2c9b815
Create Date: 2026-12-06 15:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "e5a1c7d3b820"
down_revision = "d4a7e2c9b815"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_id"], ["schemes.id"], name=op.f("fk_themes_scheme_id_schemes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("scheme_id", "code", name=op.f("uq_themes_scheme_id_code")),
    )
    op.create_index(op.f("ix_themes_scheme_id"), "themes", ["scheme_id"])
    op.create_table(
        "priorities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_id"], ["schemes.id"], name=op.f("fk_priorities_scheme_id_schemes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priorities")),
        sa.UniqueConstraint("scheme_id", "code", name=op.f("uq_priorities_scheme_id_code")),
    )
    op.create_index(op.f("ix_priorities_scheme_id"), "priorities", ["scheme_id"])
    op.create_table(
        "theme_priorities",
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priorities.id"],
            name=op.f("fk_theme_priorities_priority_id_priorities"),
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_theme_priorities_theme_id_themes")
        ),
        sa.PrimaryKeyConstraint("theme_id", "priority_id", name=op.f("pk_theme_priorities")),
    )
    with op.batch_alter_table("schemes") as batch:
        batch.add_column(
            sa.Column("has_award", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(sa.Column("award_name", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("minimum_standards", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("weighting_bands", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column("service_credits", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("service_credits_over", sa.Numeric(14, 2), nullable=True))
        batch.add_column(sa.Column("service_credits_terms", sa.Text(), nullable=True))
        batch.add_column(sa.Column("self_assessment", sa.JSON(), nullable=True))
    with op.batch_alter_table("measures") as batch:
        batch.add_column(sa.Column("reference", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("parts", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("pledge", sa.Text(), nullable=True))
        batch.add_column(sa.Column("measurement", sa.Text(), nullable=True))
        batch.add_column(sa.Column("frequencies", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("theme_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_measures_reference"), ["reference"])
        batch.create_index(batch.f("ix_measures_theme_id"), ["theme_id"])
        batch.create_foreign_key(
            batch.f("fk_measures_theme_id_themes"), "themes", ["theme_id"], ["id"]
        )
    op.execute("UPDATE schemes SET award_name = 'Charter Mark'")
    op.execute("UPDATE measures SET reference = toms_ref")


def downgrade():
    with op.batch_alter_table("measures") as batch:
        batch.drop_constraint(batch.f("fk_measures_theme_id_themes"), type_="foreignkey")
        batch.drop_index(batch.f("ix_measures_theme_id"))
        batch.drop_index(batch.f("ix_measures_reference"))
        for column in ("theme_id", "frequencies", "measurement", "pledge", "parts", "reference"):
            batch.drop_column(column)
    with op.batch_alter_table("schemes") as batch:
        for column in (
            "self_assessment",
            "service_credits_terms",
            "service_credits_over",
            "service_credits",
            "weighting_bands",
            "minimum_standards",
            "award_name",
            "has_award",
        ):
            batch.drop_column(column)
    op.drop_table("theme_priorities")
    op.drop_index(op.f("ix_priorities_scheme_id"), table_name="priorities")
    op.drop_table("priorities")
    op.drop_index(op.f("ix_themes_scheme_id"), table_name="themes")
    op.drop_table("themes")
