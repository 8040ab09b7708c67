"""privacy lifecycle: erasure requests, erasure and retention warnings on accounts

Four timestamps on users (app/privacy): when erasure was asked for, when it
was carried out, when the person was warned of erasure for inactivity and
when they chose to keep the account. Existing accounts start with none set.

Revision ID: b7e4c2a91d05
Revises: b7e1c2d3a4f5
Create Date: 2026-12-02 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e4c2a91d05'
down_revision = 'b7e1c2d3a4f5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erasure_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retention_warned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retention_kept_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_erased_at'), ['erased_at'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_erased_at'))
        batch_op.drop_column('retention_kept_at')
        batch_op.drop_column('retention_warned_at')
        batch_op.drop_column('erased_at')
        batch_op.drop_column('erasure_requested_at')
