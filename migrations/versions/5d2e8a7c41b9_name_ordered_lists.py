"""a B-tree index on users (full_name, id): the lists of people, ordered by name, read one page in order

The refugee, volunteer and staff lists are ordered by name. Without an index
PostgreSQL joined and sorted every person for each page (10 ms at district
size, on every view); with it, it reads the first rows in name order and stops.

Revision ID: 5d2e8a7c41b9
Revises: 14f4a39ee86a
Create Date: 2026-12-03 07:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d2e8a7c41b9'
down_revision = '14f4a39ee86a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_users_full_name_id', 'users', ['full_name', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_users_full_name_id', table_name='users')
