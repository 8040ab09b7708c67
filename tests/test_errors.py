"""Domain errors: every kind carries a translated message, and none ever becomes a 500."""

import importlib
import pkgutil
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

import app as app_package
from app import create_app
from app.agreements.services import AgreementError, AgreementNotDraft, RefugeeSponsored, VolunteerFull
from app.auth.services import AccountTaken, EmailTaken
from app.errors import DomainError
from app.groups.services import GroupFull, MembershipError, SlugTaken
from app.intake.services import PersonAlreadyRegistered
from app.matches.services import ProposalDecided, ProposalError
from app.models import User
from config import Config

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def all_kinds() -> list[type[DomainError]]:
    """Every error kind the application defines, found by importing all of its modules."""
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found, todo = [], [DomainError]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("app.") and not subclass.abstract:
                found.append(subclass)
    return sorted(found, key=lambda kind: kind.__qualname__)


KINDS = all_kinds()


@cache
def translations(locale: str) -> dict[str, str]:
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as file:
        return {message.id: message.string for message in read_po(file) if message.id and not message.fuzzy}


def test_the_kinds_are_found():
    expected = {AgreementNotDraft, VolunteerFull, RefugeeSponsored, ProposalDecided, GroupFull, SlugTaken, EmailTaken}
    assert expected | {PersonAlreadyRegistered} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__qualname__)
def test_every_kind_has_a_message_in_every_language(app, kind):
    with app.test_request_context(), force_locale("en"):
        english = str(kind())
    assert english.strip()
    for locale in Config.LANGUAGES:
        assert translations(locale).get(english, "").strip(), f"{kind.__qualname__} has no {locale} text"
    with app.test_request_context(), force_locale("de"):
        assert str(kind()) == translations("de")[english]


@pytest.mark.parametrize("group", [DomainError, AgreementError, ProposalError, MembershipError, AccountTaken])
def test_groups_of_errors_cannot_be_raised(group):
    with pytest.raises(TypeError, match="only groups errors"):
        group()


@pytest.mark.parametrize(
    "body", [{}, {"message": "not translatable"}, {"message": None}], ids=["none", "plain text", "null"]
)
def test_a_kind_without_a_translatable_message_cannot_be_defined(body):
    with pytest.raises(TypeError, match="needs a message"):
        type("Silent", (DomainError,), body)


def test_a_kind_may_be_defined_with_a_lazy_message():
    kind = type("Fine", (DomainError,), {"message": _l("The group is full.")})
    assert not kind.abstract


@pytest.mark.parametrize(("language", "text"), [("de", "Die Gruppe ist voll."), ("en", "The group is full.")])
def test_an_uncaught_domain_error_is_a_page_in_the_users_language_and_rolls_back(
    database_url, make_config, language, text
):
    app = create_app(make_config(database_url, TESTING=False))

    @app.route("/refused")
    def refused():
        from app.extensions import db

        db.session.add(User(email="half@example.org", full_name="Half", role="volunteer", password_hash="x"))
        db.session.flush()
        raise GroupFull()

    with app.app_context():
        response = app.test_client().get("/refused", headers={"Accept-Language": language})
        from app.extensions import db

        assert response.status_code == 400
        assert text in response.get_data(as_text=True)
        assert db.session.scalar(select(func.count(User.id)).where(User.email == "half@example.org")) == 0
