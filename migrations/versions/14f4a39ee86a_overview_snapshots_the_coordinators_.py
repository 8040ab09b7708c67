"""overview snapshots: the coordinators' overview as last counted, per scope

Revision ID: 14f4a39ee86a
Revises: 2a7ac5214101
Create Date: 2026-12-02 04:33:59.554181

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '14f4a39ee86a'
down_revision = '2a7ac5214101'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'overview_snapshots',
        sa.Column('scope_key', sa.Text(), nullable=False),
        sa.Column('counted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('scope_key', name=op.f('pk_overview_snapshots')),
    )


def downgrade():
    op.drop_table('overview_snapshots')
