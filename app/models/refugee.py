"""Refugees and their households, as registered by themselves or by coordination."""

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.crypto import EncryptedText
from app.extensions import db
from app.models.common import Gender, InterestRowMixin, LanguageLevel, LanguageRowMixin, SlotRowMixin
from app.models.reference import HelpCategory, Locality
from app.models.types import UTCDateTime, str_enum, utcnow
from matching.levels import INDEPENDENT_LEVEL, reaches

if TYPE_CHECKING:
    from app.models.appointment import Appointment
    from app.models.user import User

ADULT_AGE = 18


def household_size(member_count: int) -> int:
    """The people a sponsor would meet: the contact person and the household members they named."""
    return 1 + member_count


def involves_minors(birth_year: int | None, member_ages: Iterable[int]) -> bool:
    """A sponsor would work with children: a child in the household, or a minor on their own."""
    contact_is_minor = birth_year is not None and date.today().year - birth_year < ADULT_AGE
    return contact_is_minor or any(age < ADULT_AGE for age in member_ages)


class Relation(enum.StrEnum):
    """How a household member is related to the contact person."""

    PARTNER = "partner"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER = "other"


class Urgency(enum.StrEnum):
    NEEDED = "needed"
    URGENT = "urgent"


class ResidenceStatus(enum.StrEnum):
    """Special-category data: stored only with its own consent, shown only to coordinators."""

    ASYLUM_PENDING = "asylum_pending"  # Aufenthaltsgestattung
    TOLERATED = "tolerated"  # Duldung
    RECOGNISED = "recognised"
    TEMPORARY_PROTECTION = "temporary_protection"  # § 24 AufenthG, e.g. from Ukraine
    OTHER = "other"


class RefugeeStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # no longer looking for support
    MERGED = "merged"  # a duplicate, folded into another record


class RefugeeProfile(db.Model):
    """A person or household looking for support; the user is its contact person."""

    __tablename__ = "refugee_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)

    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender))
    birth_year: Mapped[int | None] = mapped_column(index=True)  # the duplicate check's candidates
    german_level: Mapped[LanguageLevel | None] = mapped_column(str_enum(LanguageLevel))  # None: no German yet
    locality_id: Mapped[str | None] = mapped_column(ForeignKey("localities.id"), index=True)
    travel_km: Mapped[int] = mapped_column(default=0)
    preferred_mentor_gender: Mapped[Gender | None] = mapped_column(str_enum(Gender))
    # What the person wrote in their own words, for coordinators; the engine compares ``interests``.
    interests_note: Mapped[str] = mapped_column(Text, default="")
    residence_status: Mapped[ResidenceStatus | None] = mapped_column(str_enum(ResidenceStatus))
    # Special category (health, trauma, safety): encrypted at rest, see app/crypto.py.
    protection_notes: Mapped[str] = mapped_column(EncryptedText, default="")

    status: Mapped[RefugeeStatus] = mapped_column(str_enum(RefugeeStatus), default=RefugeeStatus.ACTIVE, index=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="SET NULL"))
    # Only a keyed digest: the code itself is printed once, on the slip.
    access_code_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    access_code_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    steps_done: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="refugee_profile", foreign_keys=[user_id])
    registered_by: Mapped["User | None"] = relationship(foreign_keys=[registered_by_id])
    merged_into: Mapped["RefugeeProfile | None"] = relationship(remote_side=[id])
    locality: Mapped[Locality | None] = relationship()
    members: Mapped[list["HouseholdMember"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="HouseholdMember.id"
    )
    languages: Mapped[list["RefugeeLanguage"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="RefugeeLanguage.code"
    )
    needs: Mapped[list["RefugeeNeed"]] = relationship(back_populates="profile", cascade="all, delete-orphan")
    availability: Mapped[list["RefugeeAvailability"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )
    interests: Mapped[list["RefugeeInterest"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="RefugeeInterest.key"
    )
    # Kept when the record is erased (the volunteer's hours and allowance still count): they lose the link.
    appointments: Mapped[list["Appointment"]] = relationship(back_populates="refugee")

    @property
    def slots(self) -> set[str]:
        return {row.slot for row in self.availability}

    @property
    def interest_keys(self) -> list[str]:
        return [row.key for row in self.interests]

    @property
    def household_size(self) -> int:
        return household_size(len(self.members))

    @property
    def has_children(self) -> bool:
        return any(member.age < ADULT_AGE for member in self.members)

    @property
    def has_little_german(self) -> bool:
        """Below the CEFR's independent user (B1) in German, or none: needs someone who speaks their language."""
        return not reaches(self.german_level, INDEPENDENT_LEVEL)

    def __repr__(self) -> str:
        return f"<RefugeeProfile {self.id} user={self.user_id}>"


class HouseholdMember(db.Model):
    __tablename__ = "household_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="CASCADE"), index=True)
    relation: Mapped[Relation] = mapped_column(str_enum(Relation))
    age: Mapped[int]

    profile: Mapped[RefugeeProfile] = relationship(back_populates="members")


class RefugeeLanguage(LanguageRowMixin, db.Model):
    __tablename__ = "refugee_languages"
    # By code: the list's language filter and the coverage counts look people up by their language.
    __table_args__ = (UniqueConstraint("profile_id", "code"), Index("ix_refugee_languages_code", "code"))

    profile_id: Mapped[int] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="CASCADE"), index=True)

    profile: Mapped[RefugeeProfile] = relationship(back_populates="languages")


class RefugeeNeed(db.Model):
    __tablename__ = "refugee_needs"
    __table_args__ = (Index("ix_refugee_needs_category_key", "category_key"),)  # the need filter, by activity

    profile_id: Mapped[int] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="CASCADE"), primary_key=True)
    category_key: Mapped[str] = mapped_column(ForeignKey("help_categories.key"), primary_key=True)
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency), default=Urgency.NEEDED)

    profile: Mapped[RefugeeProfile] = relationship(back_populates="needs")
    category: Mapped[HelpCategory] = relationship()


class RefugeeAvailability(SlotRowMixin, db.Model):
    __tablename__ = "refugee_availability"
    __table_args__ = (UniqueConstraint("profile_id", "slot"),)

    profile_id: Mapped[int] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="CASCADE"), index=True)

    profile: Mapped[RefugeeProfile] = relationship(back_populates="availability")


class RefugeeInterest(InterestRowMixin, db.Model):
    __tablename__ = "refugee_interests"
    __table_args__ = (UniqueConstraint("profile_id", "key"),)

    profile_id: Mapped[int] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="CASCADE"), index=True)

    profile: Mapped[RefugeeProfile] = relationship(back_populates="interests")
