"""Working groups of the round table (Arbeitskreise), their quotas, members and meetings."""

import enum
import secrets
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.reference import HelpCategory
from app.models.types import UTCDateTime, str_enum, utcnow
from matching.levels import QUOTA_LEVEL, reaches

if TYPE_CHECKING:
    from app.models.user import User
    from app.models.volunteer import VolunteerProfile


class QuotaKind(enum.StrEnum):
    LANGUAGE = "language"  # members speaking the language at matching.levels.QUOTA_LEVEL (B2) or better
    LOCALITY = "locality"  # members living in the place


class MembershipStatus(enum.StrEnum):
    REQUESTED = "requested"  # the volunteer asked to join
    ACTIVE = "active"
    LEFT = "left"


def _calendar_token() -> str:
    return secrets.token_urlsafe(24)


class WorkingGroup(db.Model):
    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short and permanent, used on the command line and by the matching engine.
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # The round table itself is a group; its working groups point to it.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("working_groups.id", ondelete="SET NULL"))
    requires_offer: Mapped[str | None] = mapped_column(ForeignKey("help_categories.key"))
    capacity: Mapped[int] = mapped_column(default=20)
    meeting_rhythm: Mapped[str] = mapped_column(String(200), default="")  # as people say it
    meeting_place: Mapped[str] = mapped_column(String(200), default="")
    # The schedule the calendar is made from: a first date, a time and every how many weeks.
    first_meeting_on: Mapped[date | None]
    meeting_time: Mapped[time | None]
    meeting_minutes: Mapped[int] = mapped_column(default=120)
    meeting_every_weeks: Mapped[int | None]
    # Lets calendar apps subscribe without a login; the feed holds no personal data.
    calendar_token: Mapped[str] = mapped_column(String(40), unique=True, default=_calendar_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped["WorkingGroup | None"] = relationship(remote_side=[id])
    offer: Mapped[HelpCategory | None] = relationship()
    quotas: Mapped[list["GroupQuota"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="(GroupQuota.kind, GroupQuota.key)"
    )
    memberships: Mapped[list["GroupMembership"]] = relationship(back_populates="group", cascade="all, delete-orphan")

    @property
    def active_members(self) -> list["GroupMembership"]:
        return [m for m in self.memberships if m.status == MembershipStatus.ACTIVE]

    @property
    def leads(self) -> list["GroupMembership"]:
        return [m for m in self.active_members if m.is_lead]

    def __repr__(self) -> str:
        return f"<WorkingGroup {self.slug}>"


class GroupQuota(db.Model):
    """At least ``minimum`` members speaking a language, or living in a place."""

    __tablename__ = "group_quotas"
    __table_args__ = (UniqueConstraint("group_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[QuotaKind] = mapped_column(str_enum(QuotaKind))
    key: Mapped[str] = mapped_column(String(40))  # ISO 639-1 code or locality id
    minimum: Mapped[int]

    group: Mapped[WorkingGroup] = relationship(back_populates="quotas")

    def counts(self, profile: "VolunteerProfile") -> bool:
        """Whether a member with this profile counts towards the quota (the matching engine's rule)."""
        if self.kind == QuotaKind.LOCALITY:
            return profile.locality_id == self.key
        return any(row.code == self.key and reaches(row.level, QUOTA_LEVEL) for row in profile.languages)

    @property
    def members_counted(self) -> int:
        """Active members of the group who count towards the quota."""
        return sum(1 for m in self.group.active_members if self.counts(m.profile))


class GroupMembership(db.Model):
    __tablename__ = "group_memberships"
    __table_args__ = (UniqueConstraint("group_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True)
    status: Mapped[MembershipStatus] = mapped_column(str_enum(MembershipStatus))
    is_lead: Mapped[bool] = mapped_column(default=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[WorkingGroup] = relationship(back_populates="memberships")
    profile: Mapped["VolunteerProfile"] = relationship()
    decided_by: Mapped["User | None"] = relationship()
