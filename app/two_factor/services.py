"""Two-factor authentication for staff: an authenticator app (TOTP) and ten single-use recovery codes.

A staff member enrols by scanning a QR code (or typing the secret) into an
authenticator app and confirming with its first code; they get ten recovery
codes, shown once and stored only as keyed digests. From then on the login
asks for a code after the password. A code is accepted once: the time step
of the last accepted code is stored and only later ones count, claimed by a
conditional update so that two requests cannot both use one code. Wrong
codes count against the account like wrong passwords (``app.security.throttle``).

With ``REQUIRE_STAFF_2FA`` everyone who sees special-category data
(coordinators and admins: residence status, protection needs) must enrol
before any other page; for other staff it stays optional.
"""

import hmac
import secrets
import time
import unicodedata
from dataclasses import dataclass

import pyotp
from flask import current_app, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from app import audit
from app.errors import DomainError
from app.extensions import db
from app.models import RecoveryCode, Role, SecondFactor, User, utcnow
from app.security import throttle
from app.security.keys import keyed_digest

ISSUER = "Brückenbau"
# Who sees special-category data; they must enrol when REQUIRE_STAFF_2FA is on.
ENFORCED_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})
# Who may enrol at all: staff.
STAFF_ROLES = ENFORCED_ROLES | {Role.DPO}
RECOVERY_CODE_COUNT = 10
# Recovery codes: ten characters without look-alikes (0/O, 1/I), about 50 bits each, shown as XXXXX-XXXXX.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_LENGTH = 10
# A phone's clock may be off by one time step (30 s) either way.
VALID_STEPS = (0, -1, 1)
# How long the login waits for the code after the right password.
PENDING_SECONDS = 5 * 60
PENDING_KEY = "second_factor_login"


class WrongCode(DomainError):
    message = _l("This code is not right or was used already. Please enter the current code from your app.")


class AlreadyEnrolled(DomainError):
    message = _l("Two-factor authentication is on already for your account.")


def _normalised(code: str) -> str:
    """Spaces and dashes dropped, letters upper case, and digits of any script (an Arabic or Persian keyboard
    types ٣ or ۳) written as ASCII digits, the only ones an authenticator app shows."""
    code = "".join(code.split()).replace("-", "").upper()
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in code)


def confirmed_factor(user: User) -> SecondFactor | None:
    factor = db.session.get(SecondFactor, user.id)
    return factor if factor is not None and factor.confirmed_at is not None else None


def is_enrolled(user: User) -> bool:
    return confirmed_factor(user) is not None


def may_enrol(user: User) -> bool:
    return user.role in STAFF_ROLES


def is_enforced(user: User) -> bool:
    return bool(current_app.config["REQUIRE_STAFF_2FA"]) and user.role in ENFORCED_ROLES


def must_enrol(user: User) -> bool:
    """True for an enforced staff member without a second factor: every page but enrolment is closed."""
    return is_enforced(user) and not is_enrolled(user)


def pending_enrolment(user: User) -> SecondFactor:
    """The secret waiting for its first code, created on first use; the same until it is confirmed."""
    factor = db.session.get(SecondFactor, user.id)
    if factor is not None and factor.confirmed_at is not None:
        raise AlreadyEnrolled()
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32())
        db.session.add(factor)
        db.session.commit()
    return factor


def provisioning_uri(user: User, factor: SecondFactor) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    label = user.email or user.username or str(user.id)
    return pyotp.TOTP(factor.secret).provisioning_uri(name=label, issuer_name=ISSUER)


def _claim_totp(factor: SecondFactor, code: str) -> bool:
    """True if ``code`` is the app's code now (or a step either side) and no later or equal step was used."""
    if not (code.isascii() and code.isdecimal()):  # compare_digest refuses other text, and no code has it
        return False
    totp = pyotp.TOTP(factor.secret)
    now = totp.timecode(time.time())
    step = next(
        (now + offset for offset in VALID_STEPS if hmac.compare_digest(totp.generate_otp(now + offset), code)), None
    )
    if step is None:
        return False
    claimed = db.session.execute(
        update(SecondFactor)
        .where(
            SecondFactor.user_id == factor.user_id,
            or_(SecondFactor.last_step.is_(None), SecondFactor.last_step < step),
        )
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _recovery_digest(code: str) -> str:
    return keyed_digest(f"recovery-code:{code}")


def _new_recovery_codes(user: User) -> list[str]:
    """Ten new codes for ``user`` (the old ones stop working); only their digests are stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(10)]
    db.session.add_all(RecoveryCode(user_id=user.id, digest=_recovery_digest(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _spend_recovery_code(user: User, code: str) -> bool:
    spent = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.digest == _recovery_digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return spent.rowcount == 1


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Switch the second factor on with the app's first code; returns the recovery codes to show once.

    Every other session of the account ends (they were opened without a second factor).
    """
    factor = pending_enrolment(user)
    if not _claim_totp(factor, _normalised(code)):
        db.session.rollback()
        raise WrongCode()
    factor.confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    user.session_version = (user.session_version or 0) + 1
    audit.record("user.second_factor_enabled", user, actor=user)
    db.session.commit()
    return codes


def verify(user: User, code: str) -> None:
    """Accept ``code`` (the app's current code, or an unused recovery code) for ``user``, once.

    Raises Throttled while the account waits after too many wrong codes, and
    WrongCode. A recovery code is spent and its use recorded in the audit log.
    """
    throttle.take("second-factor", str(user.id), throttle.login_policy())
    factor = confirmed_factor(user)
    code = _normalised(code)
    if factor is not None and code.isascii() and code.isdecimal():
        accepted = _claim_totp(factor, code)
    elif factor is not None and _spend_recovery_code(user, code):
        audit.record("user.recovery_code_used", user, actor=user, left=recovery_codes_left(user))
        accepted = True
    else:
        accepted = False
    if not accepted:
        db.session.rollback()
        raise WrongCode()
    db.session.commit()
    throttle.clear("second-factor", str(user.id))


def _remove(user: User) -> None:
    """Delete the secret and the recovery codes; every other session of the account ends."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    user.session_version = (user.session_version or 0) + 1


def disable(user: User, code: str) -> None:
    """Switch the second factor off, given a current code or a recovery code."""
    verify(user, code)
    _remove(user)
    audit.record("user.second_factor_disabled", user, actor=user)
    db.session.commit()


def reset(user: User) -> None:
    """Remove the second factor of someone who lost their phone and their recovery codes (command line only);
    they set it up again at their next login."""
    _remove(user)
    audit.record("user.second_factor_reset", user, actor=None)
    db.session.commit()


@dataclass(frozen=True)
class PendingLogin:
    """A login whose password was right and which waits for the second factor."""

    user: User
    remember: bool
    next_url: str | None


def begin_login(user: User, remember: bool, next_url: str | None) -> None:
    """Remember in the session that ``user`` gave the right password; the code comes next."""
    session[PENDING_KEY] = {
        "user": user.get_id(),
        "remember": bool(remember),
        "next": next_url,
        "until": int(time.time()) + PENDING_SECONDS,
    }


def pending_login() -> PendingLogin | None:
    """The login waiting for its code, if it is recent and the account's sessions are still valid."""
    state = session.get(PENDING_KEY)
    if not isinstance(state, dict) or not isinstance(state.get("until"), int) or state["until"] < time.time():
        return None
    user_id, _, _version = str(state.get("user", "")).partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isascii() and user_id.isdigit() else None
    # The session version is part of the id: a new password or "log out everywhere" meanwhile ends it.
    if user is None or not user.active or user.get_id() != state.get("user"):
        return None
    return PendingLogin(user, bool(state.get("remember")), state.get("next"))


def end_pending_login() -> None:
    session.pop(PENDING_KEY, None)
