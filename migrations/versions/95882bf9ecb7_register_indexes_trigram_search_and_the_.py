"""register indexes, trigram search and the register state

Indexes that end in the register's sort key (lower(name), id), one for the whole register and
one per exact-match filter, so every page and export batch is an index range scan; a trigram
index for searching part of a name on PostgreSQL; and the one-row register state whose version
public pages use for ETags and caches.

Revision ID: 95882bf9ecb7
Revises: beb3f798b819
Create Date: 2026-11-23 21:31:05.114620

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '95882bf9ecb7'
down_revision = 'beb3f798b819'
branch_labels = None
depends_on = None

ORDER_INDEXES = {
    "ix_organisations_register_order": [],
    "ix_organisations_district_order": ["district"],
    "ix_organisations_sector_order": ["sector"],
    "ix_organisations_type_order": ["organisation_type"],
}


def upgrade():
    op.create_table('register_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_state'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_district'))
    # The district index now leads ix_organisations_district_order.
    for name, leading in ORDER_INDEXES.items():
        op.create_index(
            name,
            'organisations',
            [*(sa.column(c) for c in leading), sa.text('lower(name)'), sa.column('id')],
        )
    if op.get_bind().dialect.name == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_organisations_name_trigram ON organisations "
            "USING gin (lower(name) gin_trgm_ops)"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_organisations_name_trigram", table_name="organisations")
    for name in ORDER_INDEXES:
        op.drop_index(name, table_name="organisations")
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_district'), ['district'], unique=False)

    op.drop_table('register_state')
