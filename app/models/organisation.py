"""Organisations, areas and staff memberships: who coordinates which part of the district.

An area is a named set of places. A staff membership ties an account to an
organisation with a role and the areas it is responsible for, or to the
whole installation (a district office). A membership not yet accepted is an
invitation that waits for its link to be used (its account, made for the
invited address, cannot log in until then).
"""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.reference import Locality
from app.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class OrganisationKind(enum.StrEnum):
    MUNICIPALITY = "municipality"
    DISTRICT_OFFICE = "district_office"
    WELFARE = "welfare"
    INITIATIVE = "initiative"
    OTHER = "other"


class StaffRole(enum.StrEnum):
    COORDINATOR = "coordinator"
    ORG_ADMIN = "org_admin"  # also manages the organisation's staff


area_places = Table(
    "area_places",
    db.metadata,
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    Column("locality_id", ForeignKey("localities.id", ondelete="CASCADE"), primary_key=True),
)

membership_areas = Table(
    "membership_areas",
    db.metadata,
    Column("membership_id", ForeignKey("staff_memberships.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    # A small PNG or JPEG, printed on the organisation's documents.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list["StaffMembership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="StaffMembership.id"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id}>"


class Area(db.Model):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    places: Mapped[list[Locality]] = relationship(secondary=area_places, order_by=Locality.name)

    @property
    def place_ids(self) -> set[str]:
        return {place.id for place in self.places}

    def __repr__(self) -> str:
        return f"<Area {self.id}>"


class StaffMembership(db.Model):
    __tablename__ = "staff_memberships"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole), default=StaffRole.COORDINATOR)
    whole_installation: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped["User"] = relationship(foreign_keys=[user_id], back_populates="memberships")
    invited_by: Mapped["User | None"] = relationship(foreign_keys=[invited_by_id])
    areas: Mapped[list[Area]] = relationship(secondary=membership_areas, order_by=Area.name)

    @property
    def pending(self) -> bool:
        """An invitation whose link has not been used yet."""
        return self.accepted_at is None

    def __repr__(self) -> str:
        return f"<StaffMembership {self.id} {self.role}>"
