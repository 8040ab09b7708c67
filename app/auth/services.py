"""Accounts: registration, authentication, password reset, admins."""

import secrets
from datetime import timedelta
from typing import ClassVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.consents import set_consent
from app.email import queue_email
from app.errors import DomainError
from app.extensions import db
from app.models import ConsentPurpose, Role, SmsResetCode, User, VolunteerProfile, utcnow
from app.passwords import hash_password
from app.phones import normalise_phone
from app.privacy import services as privacy
from app.security import throttle
from app.security.keys import keyed_digest
from app.security.links import public_url_for
from app.security.sessions import parse_session_id
from app.security.throttle import Throttled
from app.sms import queue_sms

# Checked against when an e-mail is unknown, so that the answer takes as long
# as for a known one and does not reveal who has an account.
_DUMMY_HASH = hash_password("not a real password")


class AccountTaken(DomainError, abstract=True):
    """The phone number, user name or e-mail address belongs to another account; ``field`` is the form's input."""

    field: ClassVar[str]


class EmailTaken(AccountTaken):
    """A volunteer or an admin registers with an e-mail address that has an account."""

    field = "email"
    message = _l("An account with this e-mail address exists already. Please log in or reset your password.")


class NotConfirmed(Exception):
    """The password is right, but the account's e-mail address has not been confirmed yet."""

    def __init__(self, user: User):
        super().__init__(user.id)
        self.user = user


def load_user(session_id: str) -> User | None:
    """The user of a session or remember-me cookie, if it carries the account's current session version."""
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    user = db.session.get(User, parsed[0])
    return user if user is not None and (user.session_version or 0) == parsed[1] else None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def login_name(identifier: str) -> str:
    """The identifier as the login form reads it: an e-mail, a phone number as +49…, or a user name."""
    if "@" in identifier:
        return normalise_email(identifier)
    return normalise_phone(identifier) or identifier.strip().lower()


def users_by_identifier(identifier: str) -> list[User]:
    """Everyone who may log in with this e-mail address (confirmed or waiting), phone number or user name."""
    if "@" in identifier:
        email = normalise_email(identifier)
        condition = or_(User.email == email, User.pending_email == email)
    else:
        phone = normalise_phone(identifier)
        condition = User.username == identifier.strip().lower()
        if phone is not None:
            condition = or_(User.phone == phone, condition)
    return list(db.session.scalars(select(User).where(condition).order_by(User.id)))


def _send_once_allowed(address: str, subject, template: str, user: User, **context) -> None:
    """Mail ``user`` at ``address`` unless that address has had its share of mails this hour."""
    try:
        throttle.take("mail", address, throttle.mail_policy())
    except Throttled:
        return
    queue_email(user, subject, template, to=address, **context)
    # The mail leaves with the transaction that wrote it (the outbox delivers it after the commit).
    db.session.commit()


def send_confirmation(user: User) -> None:
    """Mail the link that confirms ``user``'s waiting e-mail address."""
    _send_once_allowed(
        user.pending_email,
        _l("Brückenbau: confirm your e-mail address"),
        "email/confirm_email.txt",
        user,
        confirm_url=public_url_for("auth.confirm_email", token=_confirmation_serializer().dumps(_confirmation(user))),
    )


def offer_email(user: User, email: str) -> None:
    """Keep ``email`` as ``user``'s address once its owner confirms it by the mailed link.

    Whether another account has the address already is not shown to whoever
    registers: the owner of the address gets a note instead of the link.
    """
    owner = user_by_email(email)
    if owner is not None:
        _tell_owner(owner)
        return
    user.pending_email = normalise_email(email)
    db.session.commit()
    send_confirmation(user)


def _tell_owner(owner: User) -> None:
    _send_once_allowed(
        owner.email,
        _l("Brückenbau: you already have an account"),
        "email/account_exists.txt",
        owner,
        login_url=public_url_for("auth.login"),
        reset_url=public_url_for("auth.reset_request"),
    )


def register_volunteer(
    full_name: str, email: str, password: str, consents: dict[ConsentPurpose, bool], language: str
) -> None:
    """Register a volunteer, who logs in once the mailed link confirms the address.

    The answer (and its time: the password is hashed either way) is the same
    whether or not the address has an account already, so the form tells
    nobody who is registered. The profile is created on confirmation.
    """
    user = User(full_name=full_name.strip(), role=Role.VOLUNTEER, preferred_language=language)
    user.set_password(password)
    owner = user_by_email(email)
    if owner is not None:
        _tell_owner(owner)
        return
    for purpose, given in consents.items():
        set_consent(user, purpose, given)
    db.session.add(user)
    db.session.flush()
    audit.record("user.registered", user, actor=user)
    offer_email(user, email)


def _confirmation_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="email-confirmation")


def _confirmation(user: User) -> dict:
    # A digest, not the address: the token is readable by anyone who sees the link.
    return {"user": user.id, "email": keyed_digest(user.pending_email or "")[:32]}


def user_for_confirmation_token(token: str) -> User | None:
    """The user whose waiting address ``token`` confirms, or None if it is invalid, expired or used."""
    try:
        payload = _confirmation_serializer().loads(
            token, max_age=current_app.config["EMAIL_CONFIRMATION_MAX_AGE_SECONDS"]
        )
    except BadSignature:
        return None
    user = db.session.get(User, payload.get("user")) if isinstance(payload.get("user"), int) else None
    if user is None or not user.active or not user.pending_email or _confirmation(user) != payload:
        return None
    return user


class WrongPassword(Exception):
    """The password does not belong to the account."""


def confirm_email(user: User, password: str) -> None:
    """Make ``user``'s waiting address their login, given the account's password.

    The password is asked so that whoever follows the link proves they made the
    account: someone who registered with another person's address cannot get
    that person to work in an account whose password they know. Raises
    Throttled, WrongPassword, or EmailTaken when another account confirmed the
    address in the meantime.
    """
    throttle.take("login", user.pending_email, throttle.login_policy())
    if not user.check_password(password):
        raise WrongPassword()
    throttle.clear("login", user.pending_email)
    if user_by_email(user.pending_email) is not None:
        raise EmailTaken()
    user.email, user.pending_email = user.pending_email, None
    if user.role == Role.VOLUNTEER and user.volunteer_profile is None:
        user.volunteer_profile = VolunteerProfile()
    try:
        db.session.flush()
    except IntegrityError as error:  # confirmed by another account at the same moment
        db.session.rollback()
        raise EmailTaken() from error
    audit.record("user.email_confirmed", user, actor=user)
    db.session.commit()


def authenticate(identifier: str, password: str) -> User | None:
    """The active user with this e-mail, phone number or user name and this password, or None.

    Raises Throttled while the login name waits after too many attempts (whether
    or not it belongs to anyone), and NotConfirmed for a right password of an
    account whose address is not confirmed yet.
    """
    name = login_name(identifier)
    throttle.take("login", name, throttle.login_policy())
    candidates = [user for user in users_by_identifier(identifier) if user.active]
    if not candidates:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    user = next((user for user in candidates if user.check_password(password)), None)
    if user is None:
        return None
    throttle.clear("login", name)
    if user.email is None and user.pending_email == name:
        raise NotConfirmed(user)
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit.record("user.login", user, actor=user)
    db.session.commit()


def update_consents(user: User, consents: dict[ConsentPurpose, bool]) -> None:
    for purpose, given in consents.items():
        set_consent(user, purpose, given)
    if consents.get(ConsentPurpose.MATCHING) is False:
        privacy.matching_consent_withdrawn(user)
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


def send_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this e-mail; silent otherwise, and when the address
    has had its share of mails this hour."""
    user = user_by_email(email)
    if user is None or not user.active:
        return
    _send_once_allowed(
        user.email,
        _l("Brückenbau: reset your password"),
        "email/password_reset.txt",
        user,
        reset_url=public_url_for("auth.reset_password", token=password_reset_token(user)),
    )
    db.session.commit()


def reset_password(user: User, password: str) -> None:
    user.set_password(password)  # raises the session version: every session of the account ends
    audit.record("user.password_reset", user, actor=user)
    db.session.commit()


def log_out_everywhere(user: User) -> None:
    """End every session and remember-me cookie of ``user``, on every device."""
    user.session_version = (user.session_version or 0) + 1
    audit.record("user.sessions_revoked", user, actor=user)
    db.session.commit()


def has_accounts() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None


# Accounts the command line creates: admins, and data-protection officers (who read the audit log only).
CLI_ROLES = (Role.ADMIN, Role.DPO)


def create_admin(email: str, full_name: str, password: str, role: Role = Role.ADMIN) -> User:
    if role not in CLI_ROLES:
        raise ValueError(f"the command line creates no {role} accounts")
    if user_by_email(email) is not None:
        raise EmailTaken()
    user = User(email=normalise_email(email), full_name=full_name, role=role)
    user.set_password(password)
    db.session.add(user)
    audit.record("user.admin_created" if role == Role.ADMIN else "user.dpo_created", user, actor=None)
    db.session.commit()
    return user


# --- a new password by a code sent as SMS, for people who have a phone number but no e-mail ------------

SMS_CODE_DIGITS = 6


def _code_digest(phone: str, code: str) -> str:
    return keyed_digest(f"sms-reset:{phone}:{code}")


def send_reset_code(phone_input: str) -> None:
    """Send every active account with this phone number a code for a new password, by SMS.

    Silent when nobody has the number and when the number has had its share of SMS this hour:
    whoever asks learns nothing about who is registered. A new code replaces the account's older ones.
    """
    phone = normalise_phone(phone_input)
    if phone is None:
        return
    try:
        throttle.take("sms", phone, throttle.mail_policy())
    except Throttled:
        return
    minutes = current_app.config["SMS_RESET_CODE_MINUTES"]
    for user in db.session.scalars(select(User).where(User.phone == phone, User.active)):
        db.session.execute(delete(SmsResetCode).where(SmsResetCode.user_id == user.id))
        code = _new_code(phone)
        expires = utcnow() + timedelta(minutes=minutes)
        db.session.add(SmsResetCode(user=user, digest=_code_digest(phone, code), expires_at=expires))
        text = _l(
            "Brückenbau: your code for a new password is %(code)s. It works for %(minutes)d minutes.",
            code=code,
            minutes=minutes,
        )
        queue_sms(user, text)
        audit.record("user.reset_code_sent", user, actor=None)
    db.session.commit()


def _new_code(phone: str) -> str:
    """A random code whose digest no other live code of this number has (two accounts may share a phone)."""
    while True:
        code = f"{secrets.randbelow(10**SMS_CODE_DIGITS):0{SMS_CODE_DIGITS}d}"
        if db.session.scalar(select(SmsResetCode.id).where(SmsResetCode.digest == _code_digest(phone, code))) is None:
            return code


def reset_password_with_code(phone_input: str, code: str, password: str) -> bool:
    """Set a new password with a code from an SMS; False if the code is wrong, expired or used.

    Attempts are counted per phone number (growing pauses as for logins, raising Throttled),
    so that nobody can try codes until one fits.
    """
    phone = normalise_phone(phone_input) or phone_input.strip()
    throttle.take("sms-code", phone, throttle.login_policy())
    found = db.session.scalar(
        select(SmsResetCode).where(
            SmsResetCode.digest == _code_digest(phone, code.strip()),
            SmsResetCode.used_at.is_(None),
            SmsResetCode.expires_at > utcnow(),
        )
    )
    if found is None or not found.user.active or found.user.phone != phone:
        return False
    found.used_at = utcnow()
    throttle.clear("sms-code", phone)
    reset_password(found.user, password)
    return True
