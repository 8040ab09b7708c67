"""stored name keys for the duplicate check; trigram name search; indexes for every list filter

The duplicate check found its candidates by transliterating every name of a
birth year on each view of a refugee's page; the key it compares by is now
stored with the account (users.name_key, filled here for every existing
account by the app's own app.names.name_key) and indexed. Name and e-mail
searches (ILIKE '%…%') get trigram indexes on PostgreSQL (the extension
pg_trgm, created in the schema public if it is not there; it stays on
downgrade, other databases' objects may use it); SQLite gets plain indexes
on the same columns and keeps scanning for a part of a name.

Revision ID: 94666c49b990
Revises: b7e4c2a91d05
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa

from app.names import name_key


# revision identifiers, used by Alembic.
revision = '94666c49b990'
down_revision = 'b7e4c2a91d05'
branch_labels = None
depends_on = None

BATCH = 2000
# (index, table, columns): plain B-tree indexes for the lists' filters and the duplicate check.
INDEXES = (
    ('ix_users_name_key', 'users', ['name_key']),
    ('ix_refugee_profiles_birth_year', 'refugee_profiles', ['birth_year']),
    ('ix_refugee_profiles_status', 'refugee_profiles', ['status']),
    ('ix_volunteer_profiles_status', 'volunteer_profiles', ['status']),
    ('ix_refugee_languages_code', 'refugee_languages', ['code']),
    ('ix_volunteer_languages_code', 'volunteer_languages', ['code']),
    ('ix_refugee_needs_category_key', 'refugee_needs', ['category_key']),
    ('ix_volunteer_offers_category_key', 'volunteer_offers', ['category_key']),
    ('ix_volunteer_availability_slot', 'volunteer_availability', ['slot']),
    ('ix_agreements_status_ends_on', 'agreements', ['status', 'ends_on']),
)
TRIGRAM_INDEXES = (('ix_users_full_name_trgm', 'full_name'), ('ix_users_email_trgm', 'email'))


def _fill_name_keys() -> None:
    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('full_name', sa.String), sa.column('name_key', sa.String))
    rows = connection.execute(sa.select(users.c.id, users.c.full_name).order_by(users.c.id)).all()
    update = users.update().where(users.c.id == sa.bindparam('user_id')).values(name_key=sa.bindparam('key'))
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        connection.execute(update, [{'user_id': row.id, 'key': name_key(row.full_name or '')} for row in batch])


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=120), server_default='', nullable=False))
    _fill_name_keys()
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public')
        # Wherever the extension lives (public, or where an administrator put it), its operator class by full name:
        # a schema-qualified name works whatever the connection's search_path is.
        schema = op.get_bind().scalar(
            sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
        )
        for name, column in TRIGRAM_INDEXES:
            op.execute(f'CREATE INDEX {name} ON users USING gin ({column} {schema}.gin_trgm_ops)')
    else:
        for name, column in TRIGRAM_INDEXES:
            op.create_index(name, 'users', [column], unique=False)


def downgrade():
    for name, _column in TRIGRAM_INDEXES:
        op.drop_index(name, table_name='users')
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('name_key')
