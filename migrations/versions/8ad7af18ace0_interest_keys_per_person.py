"""interest keys per person; the free text becomes a note for coordinators

Volunteers and refugees now tick interests from a list (app/interests.py) that
the matching engine compares by key, in every language. The free text they
wrote stays, unchanged, as ``interests_note``; where a comma-separated item of
it is an interest's label in any language (compared without case and extra
whitespace, labels from the catalogues), the interest's key is added.
``flask interests map-notes`` maps the rest later and lists what it could not.
The downgrade keeps every chosen interest: the English label of a key the note
does not name is added to the note.

Revision ID: 8ad7af18ace0
Revises: c69034098c54
Create Date: 2026-12-01 21:16:52.606237

"""
from alembic import op
import sqlalchemy as sa

# The vocabulary and the label matching are the app's, shared with the command, so that both map alike.
from app.interests import INTEREST_LABELS, app_label_index, keys_in_text


# revision identifiers, used by Alembic.
revision = '8ad7af18ace0'
down_revision = 'c69034098c54'
branch_labels = None
depends_on = None

PROFILE_TABLES = {'volunteer_profiles': 'volunteer_interests', 'refugee_profiles': 'refugee_interests'}


def _interest_table(name, profiles):
    op.create_table(name,
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], [f'{profiles}.id'], name=op.f(f'fk_{name}_profile_id_{profiles}'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    sa.UniqueConstraint('profile_id', 'key', name=op.f(f'uq_{name}_profile_id'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_profile_id'), ['profile_id'], unique=False)


def upgrade():
    for profiles, interests in PROFILE_TABLES.items():
        _interest_table(interests, profiles)
        with op.batch_alter_table(profiles, schema=None) as batch_op:
            batch_op.alter_column('interests', new_column_name='interests_note', existing_type=sa.Text(), existing_nullable=False)

    connection = op.get_bind()
    index = app_label_index()
    for profiles, interests in PROFILE_TABLES.items():
        notes = connection.execute(sa.text(f"SELECT id, interests_note FROM {profiles} WHERE interests_note != ''"))
        rows = [
            {'profile_id': profile_id, 'key': key}
            for profile_id, note in notes
            for key in keys_in_text(note, index)[0]
        ]
        if rows:
            connection.execute(sa.text(f"INSERT INTO {interests} (profile_id, key) VALUES (:profile_id, :key)"), rows)


def downgrade():
    connection = op.get_bind()
    index = app_label_index()
    for profiles, interests in PROFILE_TABLES.items():
        chosen = {}
        for profile_id, key in connection.execute(sa.text(f"SELECT profile_id, key FROM {interests} ORDER BY id")):
            chosen.setdefault(profile_id, []).append(key)
        for profile_id, keys in chosen.items():
            note = connection.execute(sa.text(f"SELECT interests_note FROM {profiles} WHERE id = :id"), {'id': profile_id}).scalar_one()
            named = set(keys_in_text(note, index)[0])
            missing = [INTEREST_LABELS.get(key, key) for key in keys if key not in named]
            if missing:
                note = ', '.join([note, *missing]) if note.strip() else ', '.join(missing)
                connection.execute(sa.text(f"UPDATE {profiles} SET interests_note = :note WHERE id = :id"), {'note': note, 'id': profile_id})

    for profiles, interests in PROFILE_TABLES.items():
        with op.batch_alter_table(profiles, schema=None) as batch_op:
            batch_op.alter_column('interests_note', new_column_name='interests', existing_type=sa.Text(), existing_nullable=False)
        with op.batch_alter_table(interests, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{interests}_profile_id'))
        op.drop_table(interests)
