"""Reference data: places and the activity taxonomy, named in every interface language."""

import enum

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import str_enum
from app.taxonomy import category_label, shipped_label_kept


class Locality(db.Model):
    """A town or village; people are located by locality, not by address."""

    __tablename__ = "localities"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # slug, e.g. "bad-sassendorf"
    name: Mapped[str] = mapped_column(String(120))  # the official (German) name
    # The name in the other interface languages ("ar": "زوست"); replaced as a whole, never changed in place.
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    lat: Mapped[float]
    lon: Mapped[float]

    def label(self, locale: str) -> str:
        """The name for a page in ``locale``; the official name where none is entered."""
        return self.labels.get(locale) or self.name

    def missing_labels(self, languages: list[str]) -> list[str]:
        """The interface languages the place has no name in yet."""
        return [code for code in languages if code != "de" and not self.labels.get(code)]

    def __repr__(self) -> str:
        return f"<Locality {self.id}>"


class CategoryKind(enum.StrEnum):
    PAIR = "pair"  # usually a sponsorship between two parties
    GROUP = "group"  # usually a working group


# The shipped activities that are booked as single appointments from the start: interpreting,
# accompaniment and rides (admins can mark more).
BOOKABLE_FROM_THE_START = ("interpreting", "authority_accompaniment", "driving")


class HelpCategory(db.Model):
    """An activity volunteers offer and refugees need (the keys of the matching contract)."""

    __tablename__ = "help_categories"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[CategoryKind] = mapped_column(str_enum(CategoryKind))
    # The label in each interface language ("de", "en", "ar", …); replaced as a whole, never changed in place.
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # Pair activities that can also be asked for as a single appointment (app/appointments).
    bookable: Mapped[bool] = mapped_column(default=False, server_default="0")

    def label(self, locale: str) -> str:
        """The label for a page in ``locale``."""
        return category_label(self.key, self.labels, locale)

    def missing_labels(self, languages: list[str]) -> list[str]:
        """The interface languages the activity has no label in (the catalogues translate shipped labels)."""
        if shipped_label_kept(self.key, self.labels):
            return []
        return [code for code in languages if not self.labels.get(code)]

    def __repr__(self) -> str:
        return f"<HelpCategory {self.key}>"
