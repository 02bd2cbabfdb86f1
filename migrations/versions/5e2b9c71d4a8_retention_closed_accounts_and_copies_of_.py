"""retention, closed accounts and copies of a person's information

Issue 24. Accounts can be closed (``users.closed_at``, by whom and why: the holder, an
administrator on request, or the retention schedule); an organisation whose records the
retention schedule has erased says when (``organisations.records_erased_at``); and a copy of a
person's information waits in ``data_exports`` until its link expires. No data changes: every
existing account is open and every organisation's records are kept.

Revision ID: 5e2b9c71d4a8
Revises: fd7459915a1d
Create Date: 2026-12-06 05:18:27.761731

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2b9c71d4a8'
down_revision = 'fd7459915a1d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ready_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_data_exports_requested_by_id_users')),
    sa.ForeignKeyConstraint(['subject_id'], ['users.id'], name=op.f('fk_data_exports_subject_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_exports'))
    )
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_exports_subject_id'), ['subject_id'], unique=False)

    op.add_column('organisations', sa.Column('records_erased_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('closed_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_closed_by_id_users'), 'users', ['closed_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_closed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('closed_reason')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('closed_at')

    # Not a batch: on SQLite a batch rebuilds the table and loses its expression indexes.
    op.execute("ALTER TABLE organisations DROP COLUMN records_erased_at")

    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_exports_subject_id'))

    op.drop_table('data_exports')
