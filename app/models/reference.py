"""Reference data: places and the activity taxonomy."""

import enum

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import str_enum
from app.taxonomy import category_label


class Locality(db.Model):
    """A town or village; people are located by locality, not by address."""

    __tablename__ = "localities"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # slug, e.g. "bad-sassendorf"
    name: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float]
    lon: Mapped[float]

    def __repr__(self) -> str:
        return f"<Locality {self.id}>"


class CategoryKind(enum.StrEnum):
    PAIR = "pair"  # usually a sponsorship between two parties
    GROUP = "group"  # usually a working group


class HelpCategory(db.Model):
    """An activity volunteers offer and refugees need (the keys of the matching contract)."""

    __tablename__ = "help_categories"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[CategoryKind] = mapped_column(str_enum(CategoryKind))
    label_de: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def label(self, locale: str) -> str:
        """The label for a page in ``locale``."""
        return category_label(self.key, self.label_de, self.label_en, locale)

    def __repr__(self) -> str:
        return f"<HelpCategory {self.key}>"
