"""indexes for the overview and the proposals page: open proposals and sponsorships by status within a scope,
the latest check-in of an agreement, and the foreign keys the pages join on

Revision ID: b7d4e1a9c2f0
Revises: 94666c49b990
Create Date: 2026-12-02 01:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7d4e1a9c2f0'
down_revision = '94666c49b990'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_status_refugee_id', ['status', 'refugee_id'], unique=False)
    with op.batch_alter_table('unmatched_refugees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unmatched_refugees_refugee_id'), ['refugee_id'], unique=False)
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index('ix_agreements_status_refugee_id', ['status', 'refugee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_proposal_id'), ['proposal_id'], unique=False)
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_ins_agreement_id'))
        batch_op.create_index('ix_check_ins_agreement_id_happened_on', ['agreement_id', 'happened_on'], unique=False)


def downgrade():
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_check_ins_agreement_id_happened_on')
        batch_op.create_index(batch_op.f('ix_check_ins_agreement_id'), ['agreement_id'], unique=False)
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_proposal_id'))
        batch_op.drop_index('ix_agreements_status_refugee_id')
    with op.batch_alter_table('unmatched_refugees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unmatched_refugees_refugee_id'))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_status_refugee_id')
