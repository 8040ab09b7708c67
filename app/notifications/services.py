"""What waits for a person: an inbox entry for everyone, and a message by e-mail or SMS in their language.

``notify(user, kind, **params)`` is the one way to tell someone something.
It writes the inbox entry and queues the deliveries into the current
transaction (the caller commits): e-mail where there is an address, SMS
where there is a phone number, as the person chose; an SMS that falls into
the person's quiet hours (Europe/Berlin) waits for their end. The entry
stores only its kind and parameters (ids, dates), so that it is written in
the reader's language whenever it is shown. Other packages (appointments,
when they come) add their kinds to ``KINDS``-driven calls with plain values.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import LazyString, format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.consents import has_consent
from app.email import queue_email
from app.extensions import db
from app.models import (
    Agreement,
    Appointment,
    Channel,
    ConsentPurpose,
    Notification,
    NotificationPreference,
    OutboxMessage,
    User,
    utcnow,
)
from app.security.links import public_url_for
from app.sms import queue_sms


def _agreement_link(params: dict, build: Callable) -> str | None:
    return build("agreements.detail", agreement_id=params["agreement"]) if "agreement" in params else None


def _endpoint_link(params: dict, build: Callable) -> str | None:
    """For kinds whose callers name the page: ``endpoint=…`` and its URL ``values={…}`` among the parameters."""
    return build(params["endpoint"], **params.get("values", {})) if "endpoint" in params else None


def _agreement_mail(params: dict) -> dict:
    return {"agreement": db.session.get(Agreement, params["agreement"])}


@dataclass(frozen=True)
class Kind:
    """One kind of news: its line in the inbox (also the SMS), its mail, and where it leads."""

    text: LazyString
    subject: LazyString
    email_template: str
    link: Callable[[dict, Callable], str | None] = _agreement_link  # (params, url_for or public_url_for)
    mail_context: Callable[[dict], dict] = _agreement_mail
    dates: tuple[str, ...] = ()  # parameters holding an ISO date, shown in the reader's format
    times: tuple[str, ...] = ()  # parameters holding an ISO date and time (UTC), shown in German time
    numbers: tuple[str, ...] = ()  # parameters holding a count, shown in the reader's number format


def _plain(params: dict) -> dict:
    """Mails of kinds that carry no record: the template has the entry's text."""
    return {}


APPOINTMENT_SUBJECT = _l("Brückenbau: your appointment")
APPOINTMENT_MAIL = "email/appointment.txt"


def _appointment_mail(params: dict) -> dict:
    """The appointment (when, where, meeting point) and its calendar entry's link, for the mail."""
    return {
        "appointment": db.session.get(Appointment, params["appointment"]) if "appointment" in params else None,
        "calendar": params.get("calendar"),
        "link": _endpoint_link(params, public_url_for),
    }


def _news(text: LazyString, subject: LazyString, **details) -> Kind:
    """A kind whose mail is the inbox line itself and whose link is the page named in the parameters."""
    return Kind(text, subject, "email/notification.txt", link=_endpoint_link, mail_context=_plain, **details)


def _appointment_news(text: LazyString, subject: LazyString) -> Kind:
    """A kind whose mail names an appointment's time, place and meeting point (and links its calendar entry)."""
    return Kind(text, subject, APPOINTMENT_MAIL, link=_endpoint_link, mail_context=_appointment_mail, times=("when",))


KINDS: dict[str, Kind] = {
    # To a refugee: a draft agreement waits for their yes or no.
    "proposal_waiting": Kind(
        _l("A volunteer has been proposed for you. Please look and say yes or no."),
        _l("Brückenbau: a sponsorship is proposed to you"),
        "email/agreement_proposed.txt",
    ),
    # To a volunteer: the same, from their side.
    "sponsorship_proposed": Kind(
        _l("A sponsorship is proposed to you. Please look and say yes or no."),
        _l("Brückenbau: a sponsorship is proposed to you"),
        "email/agreement_proposed.txt",
    ),
    # To coordination: both sides agreed, the agreement waits for approval.
    "agreement_to_confirm": Kind(
        _l("Both sides agreed to a sponsorship. Please confirm it."),
        _l("Brückenbau: both sides agreed to a sponsorship"),
        "email/agreement_agreed.txt",
    ),
    "proposal_declined": Kind(
        _l("A proposed sponsorship was declined."),
        _l("Brückenbau: a sponsorship was declined"),
        "email/agreement_declined.txt",
    ),
    "sponsorship_confirmed": Kind(
        _l("Your sponsorship is confirmed."),
        _l("Brückenbau: your sponsorship is confirmed"),
        "email/agreement_confirmed.txt",
    ),
    # The daily reminder before a sponsorship ends.
    "sponsorship_ending": Kind(
        _l("A sponsorship ends on %(end)s. Would you like to renew it?"),
        _l("Brückenbau: a sponsorship ends soon"),
        "email/agreement_ending.txt",
        dates=("end",),
    ),
    # For appointments (app/appointments): notify(user, kind, appointment=id, when=datetime, endpoint=…,
    # values={…}); the mail names the time, place and meeting point and links the calendar entry (.ics).
    "appointment_confirmed": _appointment_news(
        _l("Your appointment on %(when)s is confirmed."),
        APPOINTMENT_SUBJECT,
    ),
    "appointment_moved": _appointment_news(
        _l("Your appointment has been moved to %(when)s."),
        APPOINTMENT_SUBJECT,
    ),
    # To a volunteer: an appointment is offered, to accept or decline through the link.
    "appointment_offer": _appointment_news(
        _l("Can you help on %(when)s? Please say yes or no."),
        _l("Brückenbau: can you help with an appointment?"),
    ),
    # To the others asked: the first to accept got it.
    "appointment_taken": _news(
        _l("The appointment on %(when)s has been taken by someone else. Thank you!"),
        APPOINTMENT_SUBJECT,
        times=("when",),
    ),
    "appointment_cancelled": _news(
        _l("The appointment on %(when)s has been cancelled."),
        APPOINTMENT_SUBJECT,
        times=("when",),
    ),
    # The privacy lifecycle (app/privacy): the other party of a sponsorship whose partner's data was erased …
    "sponsorship_partner_erased": _news(
        _l("A person in your sponsorship asked us to delete their data. The sponsorship has ended."),
        _l("Brückenbau: a sponsorship has ended"),
    ),
    # … the other leads of a working group one of whose members was erased …
    "group_member_erased": _news(
        _l("A member of your working group has left: their data was deleted."),
        _l("Brückenbau: a member has left your working group"),
    ),
    # … a person whose account will be deleted for inactivity unless they keep it …
    "retention_warning": _news(
        _l("You have not used your account for a long time. We will delete it on %(on)s. To keep it, click here."),
        _l("Brückenbau: do you want to keep your account?"),
        dates=("on",),
    ),
    # … and the admins, after the daily retention run did something.
    "privacy_purge_done": _news(
        _l(
            "Data protection clean-up: %(accounts)s accounts erased, %(warnings)s people warned, "
            "%(other)s other items removed."
        ),
        _l("Brückenbau: data protection clean-up"),
        numbers=("accounts", "warnings", "other"),
    ),
    # The day before, to both sides.
    "appointment_reminder": _appointment_news(
        _l("Reminder: your appointment is tomorrow, %(when)s."),
        APPOINTMENT_SUBJECT,
    ),
}


class UnknownKind(LookupError):
    """``notify`` was called with a kind that ``KINDS`` does not know."""


def _stored(value):
    """Parameters are kept as JSON: dates and times as ISO text (times in UTC)."""
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo("UTC")).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def text_of(notification: Notification) -> str:
    """The entry's text in the current language."""
    spec = KINDS[notification.kind]
    params = notification.params or {}
    values = {name: format_date(date.fromisoformat(params[name])) for name in spec.dates}
    values |= {name: format_datetime(datetime.fromisoformat(params[name]), "short") for name in spec.times}
    values |= {name: format_decimal(params[name]) for name in spec.numbers}
    return str(spec.text) % values if values else str(spec.text)


def link_of(notification: Notification, build: Callable = url_for) -> str | None:
    return KINDS[notification.kind].link(notification.params or {}, build)


# --- channels and quiet hours ---------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    by_email: bool
    by_sms: bool
    quiet_from: time | None
    quiet_until: time | None
    channels: list[Channel] = field(default_factory=list)


def _default_quiet_hours() -> tuple[time | None, time | None]:
    setting = current_app.config["SMS_QUIET_HOURS"]
    if not setting:
        return None, None
    start, end = setting.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def choice_of(user: User) -> Choice:
    """The person's choice, or the default: e-mail where there is an address, else SMS; quiet at night."""
    saved = db.session.get(NotificationPreference, user.id) if user.id else None
    if saved is None:
        by_email, by_sms, (quiet_from, quiet_until) = True, not user.email, _default_quiet_hours()
    else:
        by_email, by_sms, quiet_from, quiet_until = saved.by_email, saved.by_sms, saved.quiet_from, saved.quiet_until
    # Withdrawing the consent to e-mails takes effect at once: the inbox and SMS remain.
    channels = [Channel.EMAIL] if by_email and user.email and not email_withdrawn(user) else []
    channels += [Channel.SMS] if by_sms and user.phone else []
    return Choice(by_email, by_sms, quiet_from, quiet_until, channels)


def email_withdrawn(user: User) -> bool:
    """The person withdrew their consent to e-mails (and has not given it again)."""
    asked = [c for c in user.consents if c.purpose == ConsentPurpose.EMAIL_CONTACT] if user.id else []
    return bool(asked) and not has_consent(user, ConsentPurpose.EMAIL_CONTACT)


def save_choice(user: User, by_email: bool, by_sms: bool, quiet_from: time | None, quiet_until: time | None) -> None:
    saved = db.session.get(NotificationPreference, user.id) or NotificationPreference(user_id=user.id)
    saved.by_email, saved.by_sms = by_email, by_sms
    saved.quiet_from, saved.quiet_until = (quiet_from, quiet_until) if quiet_from != quiet_until else (None, None)
    db.session.add(saved)
    db.session.commit()


def quiet_hours_end(choice: Choice, now: datetime) -> datetime | None:
    """When the quiet hours that ``now`` falls into end (UTC), or None outside them."""
    if choice.quiet_from is None or choice.quiet_until is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = now.astimezone(zone)
    clock, start, end = local.time().replace(tzinfo=None), choice.quiet_from, choice.quiet_until
    quiet = start <= clock < end if start < end else clock >= start or clock < end
    if not quiet:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone).astimezone(ZoneInfo("UTC"))


# --- telling people ---------------------------------------------------------------------------


def sms_text(kind: str, params: dict) -> str:
    """The SMS: the inbox line and where to look, short and plain (rendered in the recipient's language)."""
    notification = Notification(kind=kind, params=params)
    link = link_of(notification, public_url_for) or public_url_for("notifications.inbox")
    return f"{text_of(notification)} {link}"


def notify(
    user: User,
    kind: str,
    dedupe_key: str | None = None,
    topic: str = "",
    topic_id: int | None = None,
    now: datetime | None = None,
    **params,
) -> list[OutboxMessage]:
    """Tell ``user`` of ``kind`` (see KINDS) with ``params`` (ids, dates, times): an inbox entry, and
    the mail or SMS the person chose, queued in the current transaction. Returns the queued messages."""
    if kind not in KINDS:
        raise UnknownKind(kind)
    spec, stored = KINDS[kind], {name: _stored(value) for name, value in params.items()}
    db.session.add(Notification(recipient=user, kind=kind, params=stored, dedupe_key=dedupe_key))
    choice, queued = choice_of(user), []
    keys = {"topic": topic, "topic_id": topic_id}
    if Channel.EMAIL in choice.channels:
        context = spec.mail_context(stored) | {"text": LazyString(_text_in_locale, kind, stored)}
        queued.append(queue_email(user, spec.subject, spec.email_template, dedupe_key=dedupe_key, **keys, **context))
    if Channel.SMS in choice.channels:
        wait = quiet_hours_end(choice, now or utcnow())
        sms_key = f"{dedupe_key}:sms" if dedupe_key else None
        text = LazyString(sms_text, kind, stored)
        queued.append(queue_sms(user, text, not_before=wait, dedupe_key=sms_key, **keys))
    return queued


def _text_in_locale(kind: str, params: dict) -> str:
    return text_of(Notification(kind=kind, params=params))


def existing_keys(keys: list[str]) -> set[str]:
    """Which of ``keys`` have an inbox entry already (a daily task that runs twice writes nothing twice)."""
    if not keys:
        return set()
    return set(db.session.scalars(select(Notification.dedupe_key).where(Notification.dedupe_key.in_(keys))))


# --- the inbox --------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    )


def inbox(user: User, limit: int = 100) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.recipient_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


class NotYours(LookupError):
    """The entry does not exist or belongs to someone else (the same answer for both)."""


def mark_read(user: User, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        raise NotYours(notification_id)
    notification.read_at = notification.read_at or utcnow()
    db.session.commit()
    return notification


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def settle(user: User, agreement_id: int) -> None:
    """``user`` answered about an agreement: its entries count as read (in the caller's transaction)."""
    for notification in db.session.scalars(
        select(Notification).where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    ):
        if (notification.params or {}).get("agreement") == agreement_id:
            notification.read_at = utcnow()
