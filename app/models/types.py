"""Column types and defaults shared by all models."""

import enum
from datetime import datetime, timezone

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Timezone-aware now in UTC; the callable default of every timestamp."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always UTC and aware when read back.

    SQLite drops the offset on storage; without this, values read from
    SQLite would be naive while PostgreSQL's are aware, and comparing them
    would fail only on one of the two databases.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given for a UTC timestamp column")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


ENUM_COLUMN_LENGTH = 32


def str_enum(enum_class: type[enum.Enum]) -> Enum:
    """Store an enum by its value in a VARCHAR, portable across databases.

    A fixed width lets new members be added without altering the column.
    """
    assert all(len(member.value) <= ENUM_COLUMN_LENGTH for member in enum_class)
    return Enum(
        enum_class,
        native_enum=False,
        values_callable=lambda members: [member.value for member in members],
        length=ENUM_COLUMN_LENGTH,
        validate_strings=True,
    )
