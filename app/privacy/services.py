"""The privacy lifecycle: a person's data to read and take away, erasure, and the retention periods.

Erasure anonymises rather than deletes: the rows stay, without identity, so
that counts by place, language, month and kind of help still add up and the
other party's sponsorship history keeps its shape. What identifies the person
(names, contacts, free texts, household, notes, access codes, login) is
removed; audit entries keep a pseudonym (``person-<random>``) in place of the
person's ids. Because a name can also have been copied into texts the person
does not own (a mail to the other party, a coordinator's note), a last pass
replaces the person's name and contacts in every text and JSON column of
every table (``_scrub``).

Every erasure is one transaction, so a purge that stops half-way leaves each
person either untouched or fully erased, and runs again without doing
anything twice (notifications also carry dedupe keys).
"""

import calendar
import json
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Enum, String, Text, cast, delete, exists, or_, select

from app import audit, policies
from app.appointments import services as appointments
from app.errors import DomainError
from app.extensions import db
from app.models import (
    HOLDING_STATUSES,
    Agreement,
    AgreementStatus,
    AuditEvent,
    CheckIn,
    Consent,
    GroupMembership,
    MembershipStatus,
    Notification,
    NotificationPreference,
    OutboxMessage,
    Proposal,
    ProposalStatus,
    RecoveryCode,
    RefugeeProfile,
    RefugeeStatus,
    Role,
    SecondFactor,
    SmsResetCode,
    User,
    VolunteerProfile,
    VolunteerStatus,
    utcnow,
)
from app.notifications.services import existing_keys, notify

# What the people concerned are told (app/notifications KINDS) and the end reason agreements keep.
ERASED = "erased"
CONSENT_WITHDRAWN = "consent withdrawn"
PSEUDONYM_PREFIX = "person-"
# Columns that hold someone's own name, login or contact: another person may have the same name or
# share a phone number with the erased one (a household), so these are never rewritten by the scrub;
# the erased person's own are emptied field by field (and their messages deleted).
_OWN_CONTACT_COLUMNS = {
    ("users", "full_name"),
    ("outbox_messages", "address"),
    ("users", "email"),
    ("users", "pending_email"),
    ("users", "phone"),
    ("users", "username"),
    ("volunteer_profiles", "phone"),
}
# Shorter identifiers (a two-letter user name) would rewrite ordinary words in other people's texts.
MIN_SCRUB_LENGTH = 4
# The actions whose events tell a person who at coordination looked at or exported their data.
VIEW_ACTIONS = ("refugee.viewed", "volunteer.viewed", "privacy.data_exported")


class PrivacyError(DomainError, abstract=True):
    """A lifecycle step the rules refuse."""


class NotErasable(PrivacyError):
    message = _l("Only the accounts of volunteers and refugees can be erased here.")


class AlreadyErased(PrivacyError):
    message = _l("This person's data has already been erased.")


class NoErasureRequested(PrivacyError):
    message = _l("There is no request for erasure to withdraw.")


# --- whose data -----------------------------------------------------------------------------------


def profile_of(user: User) -> RefugeeProfile | VolunteerProfile | None:
    return user.refugee_profile if user.role == Role.REFUGEE else user.volunteer_profile


def is_erasable(user: User) -> bool:
    return user.role in (Role.VOLUNTEER, Role.REFUGEE)


def person_for(actor: User, user_id: int, action: str) -> User | None:
    """The person ``user_id`` if ``actor`` may do ``action`` (``export_data``, ``erase``) for them; else None (404)."""
    return policies.record_for(actor, action, User, user_id)


# --- right of access and portability (GDPR Art. 15, 20) -------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _subjects(user: User) -> list[tuple[str, str]]:
    """The (subject_type, subject_id) pairs under which the audit log records this person."""
    pairs = [("User", str(user.id))]
    profile = profile_of(user)
    if profile is not None:
        pairs.append((type(profile).__name__, str(profile.id)))
    return pairs


def views_of(user: User) -> list[AuditEvent]:
    """Who at coordination viewed or exported this person's data, newest first."""
    condition = or_(
        *((AuditEvent.subject_type == kind) & (AuditEvent.subject_id == key) for kind, key in _subjects(user))
    )
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(condition, AuditEvent.action.in_(VIEW_ACTIONS))
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        )
    )


def _agreements_of(user: User) -> list[Agreement]:
    profile = profile_of(user)
    if profile is None:
        return []
    if isinstance(profile, RefugeeProfile):
        condition = Agreement.refugee_id == profile.id
    else:
        condition = or_(Agreement.volunteer_id == profile.id, Agreement.second_volunteer_id == profile.id)
    return list(db.session.scalars(select(Agreement).where(condition).order_by(Agreement.id)))


def _proposals_of(user: User) -> list[Proposal]:
    profile = profile_of(user)
    if profile is None:
        return []
    column = Proposal.refugee_id if isinstance(profile, RefugeeProfile) else Proposal.volunteer_id
    return list(db.session.scalars(select(Proposal).where(column == profile.id).order_by(Proposal.id)))


def _appointments_of(profile: RefugeeProfile | VolunteerProfile | None) -> list:
    """A refugee's requests, or the appointments a volunteer took."""
    if isinstance(profile, RefugeeProfile):
        return appointments.requests_of(profile)
    return appointments.own_appointments(profile) if profile is not None else []


def _memberships_of(user: User) -> list[GroupMembership]:
    if user.volunteer_profile is None:
        return []
    return list(
        db.session.scalars(
            select(GroupMembership)
            .where(GroupMembership.profile_id == user.volunteer_profile.id)
            .order_by(GroupMembership.id)
        )
    )


def _profile_data(profile: RefugeeProfile | VolunteerProfile | None) -> dict | None:
    if profile is None:
        return None
    common = {
        "gender": profile.gender,
        "birth_year": profile.birth_year,
        "place": profile.locality_id,
        "travel_km": profile.travel_km,
        "languages": [{"code": row.code, "level": row.level} for row in profile.languages],
        "times": sorted(profile.slots),
        "interests": profile.interest_keys,
        "interests_note": profile.interests_note,
        "status": profile.status,
        "questions_answered": profile.steps_done,
        "completed_at": _iso(profile.completed_at),
        "created_at": _iso(profile.created_at),
    }
    if isinstance(profile, RefugeeProfile):
        return common | {
            "household": [{"relation": m.relation, "age": m.age} for m in profile.members],
            "german_level": profile.german_level,
            "preferred_mentor_gender": profile.preferred_mentor_gender,
            "needs": [{"kind_of_help": n.category_key, "urgency": n.urgency} for n in profile.needs],
            "residence_status": profile.residence_status,
            "protection_notes": profile.protection_notes,
            "access_code_issued_at": _iso(profile.access_code_issued_at),
        }
    return common | {
        "phone": profile.phone,
        "offers": [category.key for category in profile.offers],
        "hours_per_month": profile.hours_per_month,
        "commitment": profile.commitment,
        "capacity": profile.capacity,
        "travels_by": [
            way
            for way, used in (
                ("car", profile.travels_by_car),
                ("bicycle", profile.travels_by_bicycle),
                ("public_transport", profile.travels_by_public_transport),
            )
            if used
        ],
        "mentors": [str(gender) for gender in profile.accepted_genders],
        "works_with_children": profile.works_with_children,
        "police_clearance_issued_on": _iso(profile.clearance_issued_on),
        "police_clearance_checked_on": _iso(profile.clearance_checked_on),
        "physical_resilience": profile.physical_resilience,
        "emotional_resilience": profile.emotional_resilience,
        "profession": profile.profession,
        "paused_until": _iso(profile.paused_until),
    }


def person_data(user: User) -> dict:
    """Everything stored about ``user``, as plain JSON values (the file of ``/me/data.json``)."""
    return {
        "format": "brueckenbau-personal-data/1",
        "exported_at": utcnow().isoformat(),
        "account": {
            "id": user.id,
            "name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "username": user.username,
            "role": user.role,
            "language": user.preferred_language,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
            "erasure_requested_at": _iso(user.erasure_requested_at),
        },
        "profile": _profile_data(profile_of(user)),
        "consents": [
            {
                "purpose": c.purpose,
                "text_version": c.text_version,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
                "recorded_by_coordination": c.recorded_by_id is not None,
            }
            for c in user.consents
        ],
        "proposals": [
            {"id": p.id, "status": p.status, "score": round(p.score, 3), "created_at": _iso(p.run.created_at)}
            for p in _proposals_of(user)
        ],
        "agreements": [
            {
                "id": a.id,
                "status": a.status,
                "starts_on": _iso(a.starts_on),
                "ends_on": _iso(a.ends_on),
                "ended_on": _iso(a.ended_on),
                "end_reason": a.end_reason,
                "meetings_per_month": a.meetings_per_month,
                "hours_per_meeting": a.hours_per_meeting,
                "focus": [category.key for category in a.focus],
                "check_ins": [{"happened_on": _iso(c.happened_on), "note": c.note} for c in a.check_ins],
            }
            for a in _agreements_of(user)
        ],
        "appointments": [
            {
                "id": a.id,
                "kind": a.category_key,
                "starts_at": _iso(a.starts_at),
                "ends_at": _iso(a.ends_at),
                "place": a.locality_id,
                "address": a.address,
                "meeting_point": a.meeting_point,
                "languages": a.languages,
                "notes": a.notes,
                "status": a.status,
                "took_place": a.took_place,
                "minutes_spent": a.minutes_spent,
                "km": a.km,
                "allowance_cents": a.allowance_cents,
            }
            for a in _appointments_of(profile_of(user))
        ],
        "group_memberships": [
            {"group": m.group.name, "status": m.status, "lead": m.is_lead, "since": _iso(m.created_at)}
            for m in _memberships_of(user)
        ],
        "viewed_by_coordination": [
            {"at": _iso(e.created_at), "action": e.action, "by": e.actor.full_name if e.actor else None}
            for e in views_of(user)
        ],
    }


@dataclass(frozen=True)
class DataPage:
    """What the readable page shows, beside the JSON file."""

    user: User
    profile: RefugeeProfile | VolunteerProfile | None
    proposals: list[Proposal]
    agreements: list[Agreement]
    memberships: list[GroupMembership]
    views: list[AuditEvent]


def data_page(user: User) -> DataPage:
    return DataPage(
        user, profile_of(user), _proposals_of(user), _agreements_of(user), _memberships_of(user), views_of(user)
    )


def export_for(person: User, actor: User) -> dict:
    """A person's data produced by coordination on their request: recorded in the audit log."""
    data = person_data(person)
    audit.record("privacy.data_exported", person, actor=actor)
    db.session.commit()
    return data


# --- consent withdrawal ----------------------------------------------------------------------------


def matching_consent_withdrawn(user: User) -> int:
    """Without consent to matching, proposals waiting for coordination are withdrawn at once (in the caller's
    transaction); new runs leave the person out (``app.matching_problem``). Returns how many were withdrawn."""
    withdrawn = 0
    for proposal in _proposals_of(user):
        if proposal.status == ProposalStatus.PROPOSED:
            proposal.status, proposal.decided_at = ProposalStatus.DECLINED, utcnow()
            proposal.decision_note = CONSENT_WITHDRAWN
            withdrawn += 1
    return withdrawn


# --- erasure requests -----------------------------------------------------------------------------


def request_erasure(user: User, now: datetime | None = None) -> None:
    if not is_erasable(user):
        raise NotErasable()
    if user.erased_at is not None:
        raise AlreadyErased()
    if user.erasure_requested_at is None:
        user.erasure_requested_at = now or utcnow()
        audit.record("privacy.erasure_requested", user, actor=user)
    db.session.commit()


def withdraw_erasure_request(user: User) -> None:
    if user.erasure_requested_at is None or user.erased_at is not None:
        raise NoErasureRequested()
    user.erasure_requested_at = None
    audit.record("privacy.erasure_withdrawn", user, actor=user)
    db.session.commit()


def erasure_due_on(user: User) -> date | None:
    """The day a requested erasure is carried out automatically."""
    if user.erasure_requested_at is None:
        return None
    return (user.erasure_requested_at + timedelta(days=current_app.config["ERASURE_AFTER_DAYS"])).date()


def open_requests(actor: User) -> list[User]:
    """Requests for erasure not carried out yet, of people in ``actor``'s scope, oldest first."""
    refugees = select(RefugeeProfile.user_id).where(policies.refugees_in_scope(actor))
    volunteers = select(VolunteerProfile.user_id).where(policies.volunteers_in_scope(actor))
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.erasure_requested_at.is_not(None),
                User.erased_at.is_(None),
                or_(User.id.in_(refugees), User.id.in_(volunteers)),
            )
            .order_by(User.erasure_requested_at, User.id)
        )
    )


# --- retention: keeping an account ----------------------------------------------------------------


def last_activity(user: User) -> datetime:
    """When the person last showed they want the account: a login, a click on "keep", or registration."""
    return max(moment for moment in (user.created_at, user.last_login_at, user.retention_kept_at) if moment)


def keep_account(user: User, now: datetime | None = None) -> None:
    """The one click that keeps an account the retention rules would erase for inactivity."""
    user.retention_kept_at = now or utcnow()
    user.retention_warned_at = None
    audit.record("privacy.account_kept", user, actor=user)
    db.session.commit()


def erasure_warning_pending(user: User) -> bool:
    return user.retention_warned_at is not None and user.retention_warned_at >= last_activity(user)


# --- erasure --------------------------------------------------------------------------------------


def _tell(user: User, kind: str, key: str, **params) -> None:
    if user.erased_at is None and user.active:
        notify(user, kind, dedupe_key=key, **params)


def _close_agreements(user: User, profile, pseudonym: str, today: date) -> None:
    """Drafts are cancelled, running sponsorships end (a second volunteer just leaves); the others are told."""
    for agreement in _agreements_of(user):
        for check_in in agreement.check_ins:
            check_in.note = ""
        others = [party.user for party in [agreement.refugee, *agreement.volunteers] if party.user_id != user.id]
        if agreement.status not in (AgreementStatus.DRAFT, *HOLDING_STATUSES):
            continue
        if isinstance(profile, VolunteerProfile) and agreement.second_volunteer_id == profile.id:
            agreement.second_volunteer = None
            agreement.second_volunteer_agreed_at = None
        elif agreement.status == AgreementStatus.DRAFT:
            agreement.status, agreement.end_reason = AgreementStatus.CANCELLED, ERASED
        else:
            agreement.status, agreement.end_reason, agreement.ended_on = AgreementStatus.ENDED, ERASED, today
        for other in others:
            _tell(
                other,
                "sponsorship_partner_erased",
                f"erased:{pseudonym}:agreement:{agreement.id}:{other.id}",
                endpoint="agreements.detail",
                values={"agreement_id": agreement.id},
            )


def _close_memberships(user: User, pseudonym: str, now: datetime) -> None:
    """Group memberships end; the group's other leads are told that a member left."""
    for membership in _memberships_of(user):
        if membership.status == MembershipStatus.LEFT:
            continue
        membership.status, membership.is_lead, membership.decided_at = MembershipStatus.LEFT, False, now
        for lead in membership.group.leads:
            if lead.id != membership.id:
                _tell(
                    lead.profile.user,
                    "group_member_erased",
                    f"erased:{pseudonym}:group:{membership.group_id}:{lead.profile.user_id}",
                    endpoint="groups.detail",
                    values={"group_id": membership.group_id},
                )


def _withdraw_proposals(user: User) -> None:
    for proposal in _proposals_of(user):
        proposal.decision_note = ""
        if proposal.status == ProposalStatus.PROPOSED:
            proposal.status, proposal.decision_note, proposal.decided_at = ProposalStatus.DECLINED, ERASED, utcnow()


def _anonymise_profile(profile) -> None:
    profile.gender = profile.birth_year = None
    profile.interests_note = ""
    profile.availability = []
    profile.interests = []
    if isinstance(profile, RefugeeProfile):
        profile.preferred_mentor_gender = profile.residence_status = None
        profile.protection_notes = ""
        profile.members = []
        profile.access_code_digest = profile.access_code_issued_at = None
        if profile.status != RefugeeStatus.MERGED:
            profile.status = RefugeeStatus.INACTIVE
    else:
        profile.phone = None
        profile.profession = ""
        profile.clearance_issued_on = profile.clearance_checked_on = profile.paused_until = None
        profile.status = VolunteerStatus.WITHDRAWN


def _forget_account(user: User, pseudonym: str, now: datetime) -> None:
    for model, column in (
        (Consent, Consent.user_id),
        (Notification, Notification.recipient_id),
        (NotificationPreference, NotificationPreference.user_id),
        (SmsResetCode, SmsResetCode.user_id),
        (SecondFactor, SecondFactor.user_id),
        (RecoveryCode, RecoveryCode.user_id),
        (OutboxMessage, OutboxMessage.recipient_id),
    ):
        db.session.execute(delete(model).where(column == user.id).execution_options(synchronize_session=False))
    db.session.expire(user, ["consents"])
    user.full_name = pseudonym
    user.email = user.pending_email = user.phone = user.username = None
    user.password_hash = ERASED  # no hash: no password matches it
    user.active = False
    user.erased_at = now
    user.retention_warned_at = user.retention_kept_at = None


def _pseudonymise_audit(subjects: list[tuple[str, str]], user_id: int, pseudonym: str) -> None:
    """The person's audit entries keep what happened and when, with the pseudonym instead of their ids."""
    for kind, key in subjects:
        for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == kind, AuditEvent.subject_id == key)
        ):
            event.subject_id = pseudonym
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user_id)):
        event.actor_id = None
        event.detail = (event.detail or {}) | {"actor": pseudonym}


def _text_columns() -> Iterator[tuple]:
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if (table.name, column.name) in _OWN_CONTACT_COLUMNS or isinstance(column.type, Enum):
                continue
            if isinstance(column.type, (String, JSON)):  # Text and Unicode are Strings too
                yield table, column


def _like(needle: str) -> str:
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _replaced(value, needles: list[str], pseudonym: str):
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, pseudonym)
        return value
    if isinstance(value, list):
        return [_replaced(item, needles, pseudonym) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, needles, pseudonym) for key, item in value.items()}
    return value


def _scrub(identifiers: set[str], pseudonym: str) -> None:
    """Replace the person's name and contacts wherever else they were copied: every text and JSON column."""
    needles = sorted((i for i in identifiers if i and len(i) >= MIN_SCRUB_LENGTH), key=len, reverse=True)
    if not needles:
        return
    for table, column in _text_columns():
        primary = list(table.primary_key.columns)
        is_json = isinstance(column.type, JSON)
        text = cast(column, Text) if is_json else column
        # JSON may hold non-ASCII letters escaped (\u0623…): look for both spellings.
        patterns = {_like(n) for n in needles} | ({_like(json.dumps(n)[1:-1]) for n in needles} if is_json else set())
        rows = db.session.execute(
            select(*primary, column).where(or_(*(text.like(p, escape="\\") for p in patterns)))
        ).all()
        for row in rows:
            new = _replaced(row[-1], needles, pseudonym)
            if new != row[-1]:
                keys = dict(zip((c.name for c in primary), row[:-1], strict=True))
                where = [c == keys[c.name] for c in primary]
                db.session.execute(table.update().where(*where).values({column.name: new}))


def _identifiers(user: User) -> set[str]:
    values = {user.full_name, user.email, user.pending_email, user.phone, user.username}
    if user.volunteer_profile is not None:
        values.add(user.volunteer_profile.phone)
    return {v for v in values if v}


def erase(user: User, actor: User | None = None, reason: str = "requested", today: date | None = None) -> str:
    """Anonymise ``user`` and everything that identifies them (see the module's docstring); commits.

    Duplicates already merged into the person's record are the same person: they go too.
    Returns the pseudonym the audit log keeps.
    """
    if not is_erasable(user):
        raise NotErasable()
    if user.erased_at is not None:
        raise AlreadyErased()
    now = utcnow()
    today = today or now.date()
    pseudonym = f"{PSEUDONYM_PREFIX}{secrets.token_hex(6)}"
    people = [user]
    if user.refugee_profile is not None:
        people += [
            duplicate.user
            for duplicate in db.session.scalars(
                select(RefugeeProfile).where(RefugeeProfile.merged_into_id == user.refugee_profile.id)
            )
            if duplicate.user.erased_at is None
        ]
    identifiers: set[str] = set()
    for person in people:
        identifiers |= _identifiers(person)
        subjects = _subjects(person)
        profile = profile_of(person)
        _forget_account(person, pseudonym, now)
        if profile is not None:
            _withdraw_proposals(person)
            _close_agreements(person, profile, pseudonym, today)
            appointments.end_for_erased(profile)
            _anonymise_profile(profile)
        _close_memberships(person, pseudonym, now)
        _pseudonymise_audit(subjects, person.id, pseudonym)
    db.session.flush()
    _scrub(identifiers, pseudonym)
    event = audit.record("privacy.erased", None, actor=actor, reason=reason, people=len(people))
    event.subject_type, event.subject_id = "User", pseudonym
    db.session.commit()
    return pseudonym


# --- retention ------------------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


@dataclass(frozen=True)
class PurgeItem:
    """One thing the retention rules remove: what (a kind and an id) and why. Never a name."""

    kind: str
    id: int
    reason: str


def _people() -> select:
    return select(User).where(User.role.in_([Role.VOLUNTEER, Role.REFUGEE]), User.erased_at.is_(None))


def _busy(user: User) -> bool:
    """An active sponsorship or group membership keeps an account however long nobody logs in."""
    profile = profile_of(user)
    if profile is None:
        return False
    if isinstance(profile, RefugeeProfile):
        running = Agreement.refugee_id == profile.id
    else:
        running = or_(Agreement.volunteer_id == profile.id, Agreement.second_volunteer_id == profile.id)
        member = exists().where(
            GroupMembership.profile_id == profile.id, GroupMembership.status == MembershipStatus.ACTIVE
        )
        if db.session.scalar(select(member)):
            return True
    return bool(db.session.scalar(select(exists().where(running, Agreement.status.in_(HOLDING_STATUSES)))))


def plan(today: date | None = None) -> list[PurgeItem]:
    """What the retention rules remove or announce on ``today``, and why (``flask privacy purge --dry-run``)."""
    config = current_app.config
    today = today or utcnow().date()
    now = _start_of(today)
    items: list[PurgeItem] = []

    # Periods count in days: what happened on the day ``days`` ago or earlier is due (before the next day began).
    def due_before(day: date) -> datetime:
        return _start_of(day + timedelta(days=1))

    requested_before = due_before(today - timedelta(days=config["ERASURE_AFTER_DAYS"]))
    unfinished_before = due_before(today - timedelta(days=config["RETENTION_UNFINISHED_REGISTRATION_DAYS"]))
    inactive_day = months_before(today, config["RETENTION_INACTIVE_ACCOUNT_MONTHS"])
    inactive_before = due_before(inactive_day)
    warn_before = due_before(inactive_day + timedelta(days=config["RETENTION_WARNING_DAYS"]))
    warned_before = due_before(today - timedelta(days=config["RETENTION_WARNING_DAYS"]))
    for user in db.session.scalars(_people().order_by(User.id)):
        profile = profile_of(user)
        if isinstance(profile, RefugeeProfile) and profile.status == RefugeeStatus.MERGED:
            continue  # goes with the record it was merged into
        if user.erasure_requested_at is not None and user.erasure_requested_at < requested_before:
            items.append(PurgeItem("account", user.id, "erasure_requested"))
        elif (profile is None or profile.completed_at is None) and user.created_at < unfinished_before:
            items.append(PurgeItem("account", user.id, "unfinished_registration"))
        elif last_activity(user) < warn_before and not _busy(user):
            if not erasure_warning_pending(user):
                items.append(PurgeItem("account", user.id, "inactivity_warning"))
            elif last_activity(user) < inactive_before and user.retention_warned_at < warned_before:
                items.append(PurgeItem("account", user.id, "inactive_account"))
    ended_before = months_before(today, config["RETENTION_ENDED_SPONSORSHIP_MONTHS"])
    finished = select(Agreement).where(
        Agreement.status.in_([AgreementStatus.ENDED, AgreementStatus.CANCELLED]),
        or_(Agreement.ends_on <= ended_before, Agreement.ended_on <= ended_before),
        or_(Agreement.check_ins.any(CheckIn.note != ""), Agreement.end_reason.not_in(["", ERASED])),
    )
    items += [PurgeItem("agreement", a.id, "ended_sponsorship_details") for a in db.session.scalars(finished)]
    expired = now - timedelta(days=config["ACCESS_CODE_MAX_AGE_DAYS"])
    codes = select(RefugeeProfile.id).where(RefugeeProfile.access_code_issued_at <= expired).order_by(RefugeeProfile.id)
    items += [PurgeItem("access_code", profile_id, "expired_access_code") for profile_id in db.session.scalars(codes)]
    old_events = select(AuditEvent.id).where(
        AuditEvent.created_at < _start_of(months_before(today, config["RETENTION_AUDIT_MONTHS"]))
    )
    items += [PurgeItem("audit_event", event_id, "old_audit_event") for event_id in db.session.scalars(old_events)]
    return items


def _carry_out(item: PurgeItem, today: date) -> None:
    """One item of the plan, in its own transaction."""
    if item.kind == "account":
        user = db.session.get(User, item.id)
        if item.reason == "inactivity_warning":
            user.retention_warned_at = _start_of(today)
            _tell(
                user,
                "retention_warning",
                f"retention-warning:{user.id}:{last_activity(user).date().isoformat()}",
                endpoint="privacy.mine",
                on=today + timedelta(days=current_app.config["RETENTION_WARNING_DAYS"]),
            )
            db.session.commit()
        else:
            erase(user, reason=item.reason, today=today)
    elif item.kind == "agreement":
        agreement = db.session.get(Agreement, item.id)
        for check_in in agreement.check_ins:
            check_in.note = ""
        if agreement.end_reason != ERASED:
            agreement.end_reason = ""
        if agreement.proposal is not None:
            agreement.proposal.decision_note = ""
        db.session.commit()
    elif item.kind == "access_code":
        profile = db.session.get(RefugeeProfile, item.id)
        profile.access_code_digest = profile.access_code_issued_at = None
        db.session.commit()
    elif item.kind == "audit_event":
        db.session.execute(delete(AuditEvent).where(AuditEvent.id == item.id))
        db.session.commit()


def purge(today: date | None = None) -> Counter:
    """Carry out the plan of ``today``: each item committed on its own, so that a run that stops
    half-way resumes where it stopped. Returns how many items of each reason were done."""
    today = today or utcnow().date()
    done: Counter = Counter()
    for item in plan(today):
        _carry_out(item, today)
        done[item.reason] += 1
    return done


def tell_admins(done: Counter, today: date) -> int:
    """The daily job's report to the admins (an inbox entry and their mail): counts only, no names."""
    if not done:
        return 0
    admins = list(db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True))))
    keys = {admin.id: f"privacy-purge:{today.isoformat()}:{admin.id}" for admin in admins}
    told = existing_keys(list(keys.values()))  # a second run on the same day reports nothing twice
    for admin in admins:
        if keys[admin.id] in told:
            continue
        notify(
            admin,
            "privacy_purge_done",
            dedupe_key=keys[admin.id],
            endpoint="audit_log.index",
            accounts=sum(n for reason, n in done.items() if reason in ACCOUNT_REASONS),
            warnings=done.get("inactivity_warning", 0),
            other=sum(n for reason, n in done.items() if reason not in ACCOUNT_REASONS | {"inactivity_warning"}),
        )
    db.session.commit()
    return len(admins)


ACCOUNT_REASONS = {"erasure_requested", "unfinished_registration", "inactive_account"}
