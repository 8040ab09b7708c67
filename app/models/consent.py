"""Consents, one row each time a person gives one (GDPR Art. 7: demonstrable consent)."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class ConsentPurpose(enum.StrEnum):
    MATCHING = "matching"  # processing the profile to propose matches
    CONTACT_LISTS = "contact_lists"  # appearing on working-group contact lists
    EMAIL_CONTACT = "email_contact"  # being contacted by e-mail
    RESIDENCE_STATUS = "residence_status"  # storing the residence status (special category)
    PROTECTION_NEEDS = "protection_needs"  # storing notes on special protection needs (special category)


class Consent(db.Model):
    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose))
    # Which wording the person agreed to; texts change, consent must stay provable.
    text_version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when a coordinator recorded the consent on the person's behalf (assisted intake).
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped["User"] = relationship(back_populates="consents", foreign_keys=[user_id])
    recorded_by: Mapped["User | None"] = relationship(foreign_keys=[recorded_by_id])

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None
