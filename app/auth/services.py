"""Accounts: registration, authentication, password reset, admins."""

from typing import ClassVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from app import audit
from app.consents import set_consent
from app.email import queue_email
from app.errors import DomainError
from app.extensions import db
from app.models import ConsentPurpose, Role, User, VolunteerProfile, utcnow
from app.phones import normalise_phone

# Checked against when an e-mail is unknown, so that the answer takes as long
# as for a known one and does not reveal who has an account.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountTaken(DomainError, abstract=True):
    """The phone number, user name or e-mail address belongs to another account; ``field`` is the form's input."""

    field: ClassVar[str]


class EmailTaken(AccountTaken):
    """A volunteer or an admin registers with an e-mail address that has an account."""

    field = "email"
    message = _l("An account with this e-mail address exists already. Please log in or reset your password.")


def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def user_by_identifier(identifier: str) -> User | None:
    """The user who logs in with this e-mail address, phone number or user name."""
    if "@" in identifier:
        return user_by_email(identifier)
    phone = normalise_phone(identifier)
    if phone is not None:
        user = db.session.scalar(select(User).where(User.phone == phone))
        if user is not None:
            return user
    return db.session.scalar(select(User).where(User.username == identifier.strip().lower()))


def register_volunteer(
    full_name: str, email: str, password: str, consents: dict[ConsentPurpose, bool], language: str
) -> User:
    """Create a volunteer account with an empty profile and the consents given."""
    user = User(
        full_name=full_name.strip(), email=normalise_email(email), role=Role.VOLUNTEER, preferred_language=language
    )
    user.set_password(password)
    user.volunteer_profile = VolunteerProfile()
    for purpose, given in consents.items():
        set_consent(user, purpose, given)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise EmailTaken() from error
    audit.record("user.registered", user, actor=user)
    db.session.commit()
    return user


def authenticate(identifier: str, password: str) -> User | None:
    """The active user with this e-mail, phone number or user name and this password, or None."""
    user = user_by_identifier(identifier)
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit.record("user.login", user, actor=user)
    db.session.commit()


def update_consents(user: User, consents: dict[ConsentPurpose, bool]) -> None:
    for purpose, given in consents.items():
        set_consent(user, purpose, given)
    audit.record("consent.changed", user, **{str(p): g for p, g in consents.items()})
    db.session.commit()


def set_preferred_language(user: User, language: str) -> None:
    user.preferred_language = language
    db.session.commit()


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def password_reset_token(user: User) -> str:
    # Part of the current hash goes into the token so that it stops working once used.
    return _reset_serializer().dumps({"user": user.id, "hash": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User | None:
    try:
        payload = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"])
    except BadSignature:
        return None
    user = db.session.get(User, payload.get("user"))
    if user is None or not user.active or user.password_hash[-16:] != payload.get("hash"):
        return None
    return user


def send_password_reset(email: str, reset_url_for) -> None:
    """Mail a reset link if an active account has this e-mail; silent otherwise.

    ``reset_url_for(token)`` builds the absolute link, so that this service
    does not depend on the request.
    """
    user = user_by_email(email)
    if user is None or not user.active:
        return
    queue_email(
        user,
        _l("Brückenbau: reset your password"),
        "email/password_reset.txt",
        reset_url=reset_url_for(password_reset_token(user)),
    )
    db.session.commit()


def reset_password(user: User, password: str) -> None:
    user.set_password(password)
    audit.record("user.password_reset", user, actor=user)
    db.session.commit()


def has_accounts() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None


def create_admin(email: str, full_name: str, password: str) -> User:
    if user_by_email(email) is not None:
        raise EmailTaken()
    user = User(email=normalise_email(email), full_name=full_name, role=Role.ADMIN)
    user.set_password(password)
    db.session.add(user)
    audit.record("user.admin_created", user, actor=None)
    db.session.commit()
    return user
