"""Accounts and roles."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from app.models.types import UTCDateTime, str_enum, utcnow
from app.names import NAME_KEY_LENGTH, name_key
from app.passwords import hash_password, needs_new_hash, password_matches

# The one password rule (forms and the command line both check it): length over complexity, as BSI and NIST advise.
PASSWORD_MIN_LENGTH = 10

if TYPE_CHECKING:
    from app.models.consent import Consent
    from app.models.organisation import StaffMembership
    from app.models.refugee import RefugeeProfile
    from app.models.volunteer import VolunteerProfile

TRIGRAMS = "gin_trgm_ops"


class Role(enum.StrEnum):
    VOLUNTEER = "volunteer"
    REFUGEE = "refugee"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    # The data-protection officer: reads the audit log, nothing else.
    DPO = "dpo"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # Name and e-mail searches ask for a part of the name (ILIKE '%…%'): on PostgreSQL trigram indexes
        # (pg_trgm, created by the migration) serve them; SQLite keeps plain indexes and scans (see README).
        Index("ix_users_full_name_trgm", "full_name", postgresql_using="gin", postgresql_ops={"full_name": TRIGRAMS}),
        Index("ix_users_email_trgm", "email", postgresql_using="gin", postgresql_ops={"email": TRIGRAMS}),
        # The lists of people are ordered by name: with this index a page reads its 25 rows in name order
        # instead of sorting every person (0.3 instead of 10 ms of PostgreSQL per view at district size).
        Index("ix_users_full_name_id", "full_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Three ways to log in: e-mail (stored lower-cased), a phone number (stored
    # as +49…), or a user name (lower-cased); refugees often have no e-mail.
    # Only the e-mail is unique, and only once its owner confirmed it by a mailed
    # link (until then it waits in pending_email). Phone numbers and user names
    # cannot be confirmed, so registration never refuses one as taken (that would
    # tell anyone whose number is registered): the password picks the account.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    pending_email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    username: Mapped[str | None] = mapped_column(String(40), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    full_name: Mapped[str] = mapped_column(String(120))
    # The name as the duplicate check compares it (app.names.name_key), kept in step with full_name: the check
    # and the spelling-tolerant search find people by this index instead of transliterating every name.
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH), default="", server_default="", index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    preferred_language: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the id in sessions and remember-me cookies; raising it logs the user out everywhere.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The privacy lifecycle (app/privacy): when the person asked for erasure (until it is carried out
    # or withdrawn), when it was carried out (the row stays, without identity, for counts), when the
    # person was warned of erasure for inactivity, and when they chose to keep the account after that.
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    retention_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retention_kept_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    volunteer_profile: Mapped["VolunteerProfile | None"] = relationship(
        back_populates="user", foreign_keys="VolunteerProfile.user_id", cascade="all, delete-orphan"
    )
    refugee_profile: Mapped["RefugeeProfile | None"] = relationship(
        back_populates="user", foreign_keys="RefugeeProfile.user_id", cascade="all, delete-orphan"
    )
    consents: Mapped[list["Consent"]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        order_by="Consent.given_at",
        foreign_keys="Consent.user_id",
    )
    memberships: Mapped[list["StaffMembership"]] = relationship(
        back_populates="user", foreign_keys="StaffMembership.user_id", cascade="all, delete-orphan"
    )

    @validates("password_hash", "role", "active")
    def _revoke_sessions(self, key: str, value):
        """A new password, another role or deactivation ends every session of the account."""
        old = getattr(self, key)
        if old is not None and old != value and not (key == "active" and value):
            self.session_version = (self.session_version or 0) + 1
        return value

    @validates("full_name")
    def _key_name(self, key: str, value: str) -> str:
        self.name_key = name_key(value or "")
        return value

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version or 0}"

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """Whether ``password`` is the account's. A right one stored under an older kind of hash is hashed
        anew (saved with the caller's commit); the password is the same, so the account's sessions go on."""
        if not password_matches(self.password_hash, password):
            return False
        if needs_new_hash(self.password_hash):
            version = self.session_version
            self.password_hash = hash_password(password)
            self.session_version = version
        return True

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_coordinator(self) -> bool:
        """Coordinators and admins both see the coordination pages."""
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
