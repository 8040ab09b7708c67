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


class Consent(db.Model):
    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose))
    # Which wording the person agreed to; texts change, consent must stay provable.
    text_version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship(back_populates="consents")

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None
