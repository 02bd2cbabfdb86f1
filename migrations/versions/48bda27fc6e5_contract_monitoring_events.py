"""contract monitoring events: the audit trail of what contract managers and suppliers did

Append-only rows, separate from the lifecycle audit (no state changes here).

Revision ID: 48bda27fc6e5
Revises: 8941a2a92761
Create Date: 2026-11-23 21:29:29.371505

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '48bda27fc6e5'
down_revision = '8941a2a92761'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contract_monitoring_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('commissioner_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('contract_figure_id', sa.Integer(), nullable=True),
    sa.Column('return_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=400), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_contract_monitoring_events_actor_id_users')),
    sa.ForeignKeyConstraint(['commissioner_id'], ['commissioners.id'], name=op.f('fk_contract_monitoring_events_commissioner_id_commissioners')),
    sa.ForeignKeyConstraint(['contract_figure_id'], ['contract_figures.id'], name=op.f('fk_contract_monitoring_events_contract_figure_id_contract_figures'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_monitoring_events_contract_id_contracts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_contract_monitoring_events_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['return_id'], ['monitoring_returns.id'], name=op.f('fk_contract_monitoring_events_return_id_monitoring_returns'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_monitoring_events'))
    )
    with op.batch_alter_table('contract_monitoring_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_monitoring_events_commissioner_id'), ['commissioner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_monitoring_events_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_monitoring_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_monitoring_events_organisation_id'), ['organisation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('contract_monitoring_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_monitoring_events_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_contract_monitoring_events_created_at'))
        batch_op.drop_index(batch_op.f('ix_contract_monitoring_events_contract_id'))
        batch_op.drop_index(batch_op.f('ix_contract_monitoring_events_commissioner_id'))

    op.drop_table('contract_monitoring_events')
