"""Volunteer profiles: the answers of the capacity questionnaire."""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.common import Gender, InterestRowMixin, LanguageRowMixin, SlotRowMixin
from app.models.reference import HelpCategory, Locality
from app.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class Commitment(enum.StrEnum):
    ONE_OFF = "one_off"
    MONTHS_3 = "3_months"
    MONTHS_6 = "6_months"
    MONTHS_12 = "12_months"


class Resilience(enum.StrEnum):
    """A volunteer's own estimate of the load they can carry."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class VolunteerStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # holiday, illness: kept, but not proposed
    WITHDRAWN = "withdrawn"


class ClearanceStatus(enum.StrEnum):
    NONE = "none"  # no certificate declared
    UNCHECKED = "unchecked"  # declared, not yet seen by coordination
    VALID = "valid"  # seen by coordination and recent enough
    EXPIRED = "expired"  # seen by coordination, but too old


volunteer_offers = Table(
    "volunteer_offers",
    db.metadata,
    Column("profile_id", ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("category_key", ForeignKey("help_categories.key"), primary_key=True),
    Index("ix_volunteer_offers_category_key", "category_key"),  # the activity filter, by activity
)


class VolunteerProfile(db.Model):
    __tablename__ = "volunteer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)

    # Step "about you"
    phone: Mapped[str | None] = mapped_column(String(40))
    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender))  # None: not stated
    birth_year: Mapped[int | None]
    locality_id: Mapped[str | None] = mapped_column(ForeignKey("localities.id"), index=True)
    travel_km: Mapped[int] = mapped_column(default=0)
    travels_by_car: Mapped[bool] = mapped_column(default=False)
    travels_by_bicycle: Mapped[bool] = mapped_column(default=False)
    travels_by_public_transport: Mapped[bool] = mapped_column(default=False)

    # Step "what you can give"
    hours_per_month: Mapped[int | None]
    commitment: Mapped[Commitment | None] = mapped_column(str_enum(Commitment))
    capacity: Mapped[int] = mapped_column(default=0)  # people or families at once; 0 = no sponsorship

    # Step "mentoring and load"
    mentors_women: Mapped[bool] = mapped_column(default=True)
    mentors_men: Mapped[bool] = mapped_column(default=True)
    mentors_diverse: Mapped[bool] = mapped_column(default=True)
    works_with_children: Mapped[bool] = mapped_column(default=False)
    # Only the date printed on the certificate is kept, never the document.
    clearance_issued_on: Mapped[date | None]
    clearance_checked_on: Mapped[date | None]
    clearance_checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    physical_resilience: Mapped[Resilience | None] = mapped_column(str_enum(Resilience))
    emotional_resilience: Mapped[Resilience | None] = mapped_column(str_enum(Resilience))
    profession: Mapped[str] = mapped_column(Text, default="")
    # What the volunteer wrote in their own words, for coordinators; the engine compares ``interests``.
    interests_note: Mapped[str] = mapped_column(Text, default="")

    status: Mapped[VolunteerStatus] = mapped_column(
        str_enum(VolunteerStatus), default=VolunteerStatus.ACTIVE, index=True
    )
    paused_until: Mapped[date | None]
    # Highest questionnaire step answered; the profile is complete when all are.
    steps_done: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="volunteer_profile", foreign_keys=[user_id])
    locality: Mapped[Locality | None] = relationship()
    clearance_checked_by: Mapped["User | None"] = relationship(foreign_keys=[clearance_checked_by_id])
    languages: Mapped[list["VolunteerLanguage"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="VolunteerLanguage.code"
    )
    offers: Mapped[list[HelpCategory]] = relationship(secondary=volunteer_offers, order_by=HelpCategory.position)
    availability: Mapped[list["VolunteerAvailability"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )
    interests: Mapped[list["VolunteerInterest"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="VolunteerInterest.key"
    )

    @property
    def slots(self) -> set[str]:
        return {row.slot for row in self.availability}

    @property
    def interest_keys(self) -> list[str]:
        return [row.key for row in self.interests]

    @property
    def accepted_genders(self) -> list[Gender]:
        flags = {Gender.FEMALE: self.mentors_women, Gender.MALE: self.mentors_men, Gender.DIVERSE: self.mentors_diverse}
        return [gender for gender, accepted in flags.items() if accepted]

    def __repr__(self) -> str:
        return f"<VolunteerProfile {self.id} user={self.user_id}>"


class VolunteerLanguage(LanguageRowMixin, db.Model):
    __tablename__ = "volunteer_languages"
    # By code: the list's language filter looks people up by their language.
    __table_args__ = (UniqueConstraint("profile_id", "code"), Index("ix_volunteer_languages_code", "code"))

    profile_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True)

    profile: Mapped[VolunteerProfile] = relationship(back_populates="languages")


class VolunteerAvailability(SlotRowMixin, db.Model):
    __tablename__ = "volunteer_availability"
    __table_args__ = (UniqueConstraint("profile_id", "slot"), Index("ix_volunteer_availability_slot", "slot"))

    profile_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True)

    profile: Mapped[VolunteerProfile] = relationship(back_populates="availability")


class VolunteerInterest(InterestRowMixin, db.Model):
    __tablename__ = "volunteer_interests"
    __table_args__ = (UniqueConstraint("profile_id", "key"),)

    profile_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True)

    profile: Mapped[VolunteerProfile] = relationship(back_populates="interests")
