"""audit documents: evidence files sent for an audit, and when they were sent

An organisation drawn for audit now uploads the source documents the assessor asks for in the
service (they were emailed before). Both columns are nullable: no existing row changes.

Revision ID: 58ae96b717b4
Revises: 3e9669e99f02
Create Date: 2026-11-24 00:16:44.794424

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "58ae96b717b4"
down_revision = "3e9669e99f02"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audit_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_evidence_files_audit_id"), ["audit_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_evidence_files_audit_id_mark_audits"),
            "mark_audits",
            ["audit_id"],
            ["id"],
        )

    with op.batch_alter_table("mark_audits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("documents_sent_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("mark_audits", schema=None) as batch_op:
        batch_op.drop_column("documents_sent_at")

    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_evidence_files_audit_id_mark_audits"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_evidence_files_audit_id"))
        batch_op.drop_column("audit_id")
