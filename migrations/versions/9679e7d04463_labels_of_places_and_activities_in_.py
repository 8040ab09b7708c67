"""labels of places and activities in every interface language

Activities keep their label per interface language in one JSON column (the German and English
labels move into it); places keep their official name and get their names in the other
languages.

Revision ID: 9679e7d04463
Revises: 33c5e7b2b7d6
Create Date: 2026-12-01 17:20:20.619769

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9679e7d04463'
down_revision = '33c5e7b2b7d6'
branch_labels = None
depends_on = None

help_categories = sa.table(
    'help_categories',
    sa.column('key', sa.String),
    sa.column('label_de', sa.String),
    sa.column('label_en', sa.String),
    sa.column('labels', sa.JSON),
)
localities = sa.table('localities', sa.column('labels', sa.JSON))


def upgrade():
    with op.batch_alter_table('help_categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('labels', sa.JSON(), nullable=True))
    with op.batch_alter_table('localities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('labels', sa.JSON(), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(sa.select(help_categories.c.key, help_categories.c.label_de, help_categories.c.label_en))
    for key, label_de, label_en in rows.all():
        connection.execute(
            help_categories.update()
            .where(help_categories.c.key == key)
            .values(labels={'de': label_de, 'en': label_en})
        )
    connection.execute(localities.update().values(labels={}))

    with op.batch_alter_table('help_categories', schema=None) as batch_op:
        batch_op.alter_column('labels', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('label_en')
        batch_op.drop_column('label_de')
    with op.batch_alter_table('localities', schema=None) as batch_op:
        batch_op.alter_column('labels', existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table('localities', schema=None) as batch_op:
        batch_op.drop_column('labels')

    with op.batch_alter_table('help_categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_de', sa.VARCHAR(length=120), nullable=True))
        batch_op.add_column(sa.Column('label_en', sa.VARCHAR(length=120), nullable=True))

    # The labels in other languages are lost; German and English fall back on each other, then the key.
    connection = op.get_bind()
    rows = connection.execute(sa.select(help_categories.c.key, help_categories.c.labels))
    for key, labels in rows.all():
        label_de = labels.get('de') or labels.get('en') or key
        label_en = labels.get('en') or labels.get('de') or key
        connection.execute(
            help_categories.update()
            .where(help_categories.c.key == key)
            .values(label_de=label_de[:120], label_en=label_en[:120])
        )

    with op.batch_alter_table('help_categories', schema=None) as batch_op:
        batch_op.alter_column('label_de', existing_type=sa.VARCHAR(length=120), nullable=False)
        batch_op.alter_column('label_en', existing_type=sa.VARCHAR(length=120), nullable=False)
        batch_op.drop_column('labels')
