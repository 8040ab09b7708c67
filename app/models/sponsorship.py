"""Matching runs, their proposals, and sponsorship agreements (Patenschaftsvereinbarungen)."""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.crypto import EncryptedText
from app.extensions import db
from app.models.reference import HelpCategory
from app.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from app.models.refugee import RefugeeProfile
    from app.models.user import User
    from app.models.volunteer import VolunteerProfile


class MatchRun(db.Model):
    """One run of the matching engine over everyone who could be matched (in the scope of who started it)."""

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The places whose refugees the run covered ("installation": all), as app.policies.Scope.key gives them.
    scope: Mapped[str] = mapped_column(Text, default="installation", server_default="installation")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)

    started_by: Mapped["User | None"] = relationship()
    proposals: Mapped[list["Proposal"]] = relationship(back_populates="run", cascade="all, delete-orphan")
    unmatched: Mapped[list["UnmatchedRefugee"]] = relationship(back_populates="run", cascade="all, delete-orphan")


class ProposalStatus(enum.StrEnum):
    PROPOSED = "proposed"  # waiting for the coordinator
    ACCEPTED = "accepted"  # the coordinator accepted: a draft agreement exists
    REJECTED = "rejected"  # the coordinator said no: never proposed again
    DECLINED = "declined"  # a party said no: never proposed again
    SUPERSEDED = "superseded"  # undecided when a newer run replaced it


class Proposal(db.Model):
    __tablename__ = "proposals"
    # The proposals page asks for the undecided proposals of the refugees in a scope.
    __table_args__ = (Index("ix_proposals_status_refugee_id", "status", "refugee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True)
    refugee_id: Mapped[int] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="CASCADE"), index=True)
    score: Mapped[float]
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Other fitting volunteers, best first: [{"volunteer": profile id, "score": 0.8}]
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[ProposalStatus] = mapped_column(str_enum(ProposalStatus), default=ProposalStatus.PROPOSED)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    run: Mapped[MatchRun] = relationship(back_populates="proposals")
    volunteer: Mapped["VolunteerProfile"] = relationship()
    refugee: Mapped["RefugeeProfile"] = relationship()
    decided_by: Mapped["User | None"] = relationship()


class UnmatchedRefugee(db.Model):
    __tablename__ = "unmatched_refugees"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"), index=True)
    refugee_id: Mapped[int] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(40))  # the engine's code, e.g. "no_shared_language"

    run: Mapped[MatchRun] = relationship(back_populates="unmatched")
    refugee: Mapped["RefugeeProfile"] = relationship()


class AgreementStatus(enum.StrEnum):
    DRAFT = "draft"  # proposed to the parties
    CONFIRMED = "confirmed"  # both parties agreed, coordination approved; starts on the start date
    ACTIVE = "active"
    ENDED = "ended"
    CANCELLED = "cancelled"


# Statuses in which a sponsorship holds a place: capacity and "one sponsorship per person" count these.
HOLDING_STATUSES = (AgreementStatus.CONFIRMED, AgreementStatus.ACTIVE)
DEFAULT_MEETINGS_PER_MONTH = 2
DEFAULT_HOURS_PER_MEETING = 2
"""An agreement's meetings unless the parties agree otherwise: the time a sponsorship takes."""

agreement_focus = Table(
    "agreement_focus",
    db.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("category_key", ForeignKey("help_categories.key"), primary_key=True),
)


class Agreement(db.Model):
    """A sponsorship agreement between one or two volunteers and a refugee or household."""

    __tablename__ = "agreements"
    __table_args__ = (
        # Never two confirmed or active sponsorships for one person, even when two
        # coordinators confirm at the same moment: the database refuses the second.
        Index(
            "uq_agreements_one_holding_per_refugee",
            "refugee_id",
            unique=True,
            sqlite_where=text("status IN ('confirmed', 'active')"),
            postgresql_where=text("status IN ('confirmed', 'active')"),
        ),
        # The list's order and its status filter; the active ones for the check-in reminder.
        Index("ix_agreements_status_ends_on", "status", "ends_on"),
        # The overview counts sponsorships by status within a scope (active, lapsing, matched this month).
        Index("ix_agreements_status_refugee_id", "status", "refugee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    refugee_id: Mapped[int] = mapped_column(ForeignKey("refugee_profiles.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True)
    second_volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteer_profiles.id", ondelete="SET NULL"), index=True
    )
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), index=True)
    contact_person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    meetings_per_month: Mapped[int] = mapped_column(default=DEFAULT_MEETINGS_PER_MONTH)
    hours_per_meeting: Mapped[int] = mapped_column(default=DEFAULT_HOURS_PER_MEETING)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[AgreementStatus] = mapped_column(str_enum(AgreementStatus), default=AgreementStatus.DRAFT)
    volunteer_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    second_volunteer_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refugee_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str] = mapped_column(Text, default="")
    ended_on: Mapped[date | None]
    renewal_of_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id", ondelete="SET NULL"))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    refugee: Mapped["RefugeeProfile"] = relationship()
    volunteer: Mapped["VolunteerProfile"] = relationship(foreign_keys=[volunteer_id])
    second_volunteer: Mapped["VolunteerProfile | None"] = relationship(foreign_keys=[second_volunteer_id])
    proposal: Mapped[Proposal | None] = relationship()
    contact_person: Mapped["User | None"] = relationship(foreign_keys=[contact_person_id])
    approved_by: Mapped["User | None"] = relationship(foreign_keys=[approved_by_id])
    renewal_of: Mapped["Agreement | None"] = relationship(remote_side=[id])
    focus: Mapped[list[HelpCategory]] = relationship(secondary=agreement_focus, order_by=HelpCategory.position)
    check_ins: Mapped[list["CheckIn"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="CheckIn.happened_on.desc()"
    )

    @property
    def volunteers(self) -> list["VolunteerProfile"]:
        return [v for v in (self.volunteer, self.second_volunteer) if v is not None]

    @property
    def all_agreed(self) -> bool:
        second_ok = self.second_volunteer_id is None or self.second_volunteer_agreed_at is not None
        return self.volunteer_agreed_at is not None and self.refugee_agreed_at is not None and second_ok


class CheckIn(db.Model):
    """A short note that the sponsorship is alive: a meeting took place, how it went."""

    __tablename__ = "check_ins"
    # An agreement's latest check-in (its last sign of life) is read from the index alone.
    __table_args__ = (Index("ix_check_ins_agreement_id_happened_on", "agreement_id", "happened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    happened_on: Mapped[date]
    # How it went can tell of illness, clinics or the foreigners' office: encrypted at rest (app/crypto.py).
    note: Mapped[str] = mapped_column(EncryptedText, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="check_ins")
    author: Mapped["User | None"] = relationship()
