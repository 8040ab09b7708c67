"""Appointments: one interpreting, accompaniment or ride for a refugee, from request to allowance.

A request waits for review when a refugee made it, is then open for offers,
assigned to the first volunteer who accepts, reported done by them and
approved by coordination, which fixes the allowance with the rates of that
day (a later change of rates leaves it as it was).
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.crypto import EncryptedText
from app.extensions import db
from app.models.common import Gender
from app.models.organisation import Organisation
from app.models.reference import HelpCategory, Locality
from app.models.refugee import RefugeeProfile
from app.models.types import UTCDateTime, str_enum, utcnow
from app.models.user import User
from app.models.volunteer import VolunteerProfile


class AppointmentStatus(enum.StrEnum):
    REVIEW = "review"  # asked for by a refugee: coordination looks at it first
    OPEN = "open"  # looking for a volunteer
    ASSIGNED = "assigned"  # a volunteer accepted
    REPORTED = "reported"  # the volunteer said it took place (or not); waits for approval
    APPROVED = "approved"  # coordination approved the report; the allowance is fixed
    CANCELLED = "cancelled"


# Statuses in which the assigned volunteer's time is taken.
BOOKED_STATUSES = (AppointmentStatus.ASSIGNED, AppointmentStatus.REPORTED, AppointmentStatus.APPROVED)


class OfferStatus(enum.StrEnum):
    WAITING = "waiting"  # offered in order: not sent yet
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TAKEN = "taken"  # someone else accepted first
    WITHDRAWN = "withdrawn"  # the appointment was cancelled or moved


class Appointment(db.Model):
    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept when the person's record is erased: the volunteer's hours and allowance still count.
    refugee_id: Mapped[int | None] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="SET NULL"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    category_key: Mapped[str] = mapped_column(ForeignKey("help_categories.key"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locality_id: Mapped[str] = mapped_column(ForeignKey("localities.id"), index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    meeting_point: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 639-1 codes
    gender_preference: Mapped[Gender | None] = mapped_column(str_enum(Gender))
    children: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Health, residence or similar: shown to coordination only, never to the volunteer; encrypted at rest.
    special_notes: Mapped[str] = mapped_column(EncryptedText, default="")
    status: Mapped[AppointmentStatus] = mapped_column(str_enum(AppointmentStatus), default=AppointmentStatus.OPEN)

    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteer_profiles.id", ondelete="SET NULL"), index=True
    )
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    took_place: Mapped[bool | None]
    minutes_spent: Mapped[int | None]
    km: Mapped[int | None]
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The rates of the day of approval and what they gave, in euro cents.
    rate_per_assignment_cents: Mapped[int | None] = mapped_column(Integer)
    rate_per_km_cents: Mapped[int | None] = mapped_column(Integer)
    allowance_cents: Mapped[int | None] = mapped_column(Integer)
    # The last ranking: how many it found, and why the others were left out (reason code → how many).
    candidates_found: Mapped[int | None]
    excluded: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    ranked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    refugee: Mapped[RefugeeProfile | None] = relationship(back_populates="appointments")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    organisation: Mapped[Organisation | None] = relationship()
    category: Mapped[HelpCategory] = relationship()
    locality: Mapped[Locality] = relationship()
    volunteer: Mapped[VolunteerProfile | None] = relationship()
    offers: Mapped[list["AppointmentOffer"]] = relationship(
        back_populates="appointment", cascade="all, delete-orphan", order_by="AppointmentOffer.position"
    )

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<Appointment {self.id} {self.status}>"


class AppointmentOffer(db.Model):
    """One volunteer asked to take an appointment; the first to accept gets it."""

    __tablename__ = "appointment_offers"
    __table_args__ = (UniqueConstraint("appointment_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus), default=OfferStatus.OFFERED)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    appointment: Mapped[Appointment] = relationship(back_populates="offers")
    volunteer: Mapped[VolunteerProfile] = relationship()

    def __repr__(self) -> str:
        return f"<AppointmentOffer {self.id} {self.status}>"


class AllowanceRate(db.Model):
    """An organisation's own allowance for one kind of appointment, in place of the installation's."""

    __tablename__ = "allowance_rates"
    __table_args__ = (UniqueConstraint("organisation_id", "category_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    category_key: Mapped[str] = mapped_column(ForeignKey("help_categories.key", ondelete="CASCADE"))
    per_assignment_cents: Mapped[int] = mapped_column(default=0)
    per_km_cents: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()

    def __repr__(self) -> str:
        return f"<AllowanceRate {self.organisation_id} {self.category_key}>"
