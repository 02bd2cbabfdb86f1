"""standards declarations and self-assessments: two new tables of a signing (issue 21)

A minimum standards declaration (Cheshire West and Chester) and a self-assessment
(Warwickshire's maturity index) are new rows of a signing, kept for good. No data to migrate:
nobody has declared or assessed before; a signatory of a scheme with minimum standards is asked
to declare on its dashboard.

Revision ID: a3c8e5f1d270
Revises: a9c3e5f7b1d2
Create Date: 2026-12-06 18:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "a3c8e5f1d270"
down_revision = "a9c3e5f7b1d2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "standards_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("signing_id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("standards", sa.JSON(), nullable=False),
        sa.Column("declared_at", sa.DateTime(), nullable=False),
        sa.Column("declared_by_id", sa.Integer(), nullable=True),
        sa.Column("lapses_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_standards_declarations_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["signing_id"],
            ["signings.id"],
            name=op.f("fk_standards_declarations_signing_id_signings"),
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"], ["schemes.id"], name=op.f("fk_standards_declarations_scheme_id_schemes")
        ),
        sa.ForeignKeyConstraint(
            ["declared_by_id"],
            ["users.id"],
            name=op.f("fk_standards_declarations_declared_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standards_declarations")),
    )
    with op.batch_alter_table("standards_declarations") as batch:
        batch.create_index(
            batch.f("ix_standards_declarations_organisation_id"), ["organisation_id"]
        )
        batch.create_index(batch.f("ix_standards_declarations_signing_id"), ["signing_id"])
        batch.create_index(batch.f("ix_standards_declarations_lapses_on"), ["lapses_on"])
    op.create_table(
        "self_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("signing_id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("best_score", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=100), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=False),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_self_assessments_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["signing_id"], ["signings.id"], name=op.f("fk_self_assessments_signing_id_signings")
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"], ["schemes.id"], name=op.f("fk_self_assessments_scheme_id_schemes")
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["users.id"],
            name=op.f("fk_self_assessments_completed_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessments")),
        sa.UniqueConstraint(
            "signing_id", "completed_on", name=op.f("uq_self_assessments_signing_id_completed_on")
        ),
    )
    with op.batch_alter_table("self_assessments") as batch:
        batch.create_index(batch.f("ix_self_assessments_organisation_id"), ["organisation_id"])
        batch.create_index(batch.f("ix_self_assessments_signing_id"), ["signing_id"])


def downgrade():
    op.drop_table("self_assessments")
    op.drop_table("standards_declarations")
