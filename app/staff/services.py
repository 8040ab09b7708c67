"""Organisations, areas and staff: invitations by signed link, access changes, deactivation; all audited.

Admins manage organisations and areas and every organisation's staff;
organisation admins manage the staff of their own organisation. Who may do
what is decided by ``app.policies``; these functions check it again, so a
tampered form changes nothing.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from app import audit, policies
from app.email import queue_email
from app.errors import DomainError
from app.extensions import db
from app.models import (
    Area,
    Locality,
    Organisation,
    OrganisationKind,
    Role,
    StaffMembership,
    StaffRole,
    User,
    utcnow,
)
from app.passwords import hash_password
from app.security.links import public_url_for

INVITATION_VALID = timedelta(days=7)
LOGO_MAX_BYTES = 200_000
# The first bytes of the image types a logo may have.
LOGO_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


class StaffError(DomainError, abstract=True):
    """A staff change the rules refuse; nothing was changed."""


class NotYours(StaffError):
    message = _l(
        "This organisation, area or membership does not exist or is not yours to manage. Nothing was changed; "
        "please reload the page."
    )


class NotAStaffAccount(StaffError):
    message = _l("This address belongs to the account of a volunteer or a refugee. Staff need an address of their own.")


class AlreadyStaff(StaffError):
    message = _l("This person is a member of the organisation already; change their access in the list.")


class InvitationInvalid(StaffError):
    message = _l(
        "This invitation link is not valid: it expired, was used already or was withdrawn. Please ask for a new one."
    )


class NameTaken(StaffError):
    message = _l("This name is taken already; please choose another.")


class LogoInvalid(StaffError):
    message = _l("The logo must be a PNG or JPEG image of at most 200 KB.")


# Organisations and areas (admins)


def organisation(organisation_id: int, user: User, action: str = "manage_staff") -> Organisation:
    return policies.record_for(user, action, Organisation, organisation_id) or _not_yours()


def area(area_id: int, user: User) -> Area:
    return policies.record_for(user, "edit", Area, area_id) or _not_yours()


def membership(staff_membership_id: int, user: User) -> StaffMembership:
    return policies.record_for(user, "manage", StaffMembership, staff_membership_id) or _not_yours()


def _not_yours():
    raise NotYours()


def organisation_logo(organisation_id: int) -> Organisation | None:
    found = db.session.get(Organisation, organisation_id)
    return found if found is not None and found.logo else None


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.name)))


def logo_type(data: bytes) -> str:
    """The MIME type of a logo's bytes; LogoInvalid unless it is a small PNG or JPEG."""
    if not data or len(data) > LOGO_MAX_BYTES:
        raise LogoInvalid()
    for signature, mime in LOGO_SIGNATURES.items():
        if data.startswith(signature):
            return mime
    raise LogoInvalid()


def save_organisation(existing: Organisation | None, data: dict, logo: bytes | None, actor: User) -> Organisation:
    """Create or change an organisation; ``logo`` (bytes) replaces the logo when given."""
    clash = db.session.scalar(select(Organisation.id).where(Organisation.name == data["name"].strip()))
    if clash is not None and (existing is None or clash != existing.id):
        raise NameTaken()
    mime = logo_type(logo) if logo else None
    record = existing or Organisation()
    record.name = data["name"].strip()
    record.kind = OrganisationKind(data["kind"])
    for field in ("email", "phone", "address", "website"):
        setattr(record, field, (data[field] or "").strip())
    if logo:
        record.logo, record.logo_type = logo, mime
    db.session.add(record)
    audit.record("organisation.saved", record, actor=actor, created=existing is None, logo=bool(logo))
    db.session.commit()
    return record


def save_area(existing: Area | None, name: str, place_ids: list[str], actor: User) -> Area:
    """Create or change an area; its people's visibility moves with its places from the next request on."""
    clash = db.session.scalar(select(Area.id).where(Area.name == name.strip()))
    if clash is not None and (existing is None or clash != existing.id):
        raise NameTaken()
    record = existing or Area()
    before = sorted(record.place_ids) if existing else []
    record.name = name.strip()
    record.places = list(db.session.scalars(select(Locality).where(Locality.id.in_(place_ids))))
    db.session.add(record)
    audit.record("area.saved", record, actor=actor, places_before=before, places=sorted(record.place_ids))
    db.session.commit()
    return record


# Staff: invitations, access, deactivation


def _access(membership: StaffMembership) -> dict:
    return {
        "role": str(membership.role),
        "whole_installation": membership.whole_installation,
        "areas": sorted(a.id for a in membership.areas),
        "active": membership.active,
    }


def _set_access(
    membership: StaffMembership, actor: User, role: StaffRole, areas: list[Area], whole_installation: bool
) -> None:
    if whole_installation and not policies.can(actor, "appoint_installation", membership.organisation):
        raise NotYours()
    membership.role = role
    membership.areas = areas
    membership.whole_installation = whole_installation


def areas_by_id(ids: list[int]) -> list[Area]:
    """The areas of ``ids``; NotYours if any of them does not exist (a tampered form)."""
    found = list(db.session.scalars(select(Area).where(Area.id.in_(ids)))) if ids else []
    if len(found) != len(set(ids)):
        raise NotYours()
    return found


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staff-invitation")


def _fingerprint(membership: StaffMembership) -> str:
    # Changes once the invitation is accepted or withdrawn, so the link works once only.
    state = f"{membership.id}:{membership.accepted_at}:{membership.active}:{membership.invited_at.isoformat()}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def invitation_token(membership: StaffMembership) -> str:
    return _serializer().dumps({"m": membership.id, "f": _fingerprint(membership)})


def invitation_for_token(token: str) -> StaffMembership:
    """The waiting invitation of ``token``; InvitationInvalid if forged, older than 7 days, used or withdrawn."""
    try:
        payload = _serializer().loads(token, max_age=int(INVITATION_VALID.total_seconds()))
    except BadSignature:
        raise InvitationInvalid() from None
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int):
        raise InvitationInvalid()
    found = db.session.get(StaffMembership, payload["m"])
    if found is None or not found.pending or not found.active or payload.get("f") != _fingerprint(found):
        raise InvitationInvalid()
    return found


def invite(
    actor: User,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: StaffRole,
    areas: list[Area],
    whole_installation: bool,
) -> StaffMembership:
    """Invite ``email`` to ``organisation``: an existing staff account gets the role at once (and a mail
    saying so), a new address gets an account that the mailed link, valid for 7 days, opens once."""
    if not policies.can(actor, "manage_staff", organisation) or (
        whole_installation and not policies.can(actor, "appoint_installation", organisation)
    ):
        raise NotYours()
    address = email.strip().lower()
    user = db.session.scalar(select(User).where((User.email == address) | (User.pending_email == address)))
    if user is not None and user.role != Role.COORDINATOR:
        raise NotAStaffAccount()
    if user is not None and any(m.organisation_id == organisation.id for m in user.memberships):
        raise AlreadyStaff()
    now = utcnow()
    new_account = user is None or user.email is None
    if user is None:
        user = User(
            pending_email=address,
            full_name=full_name.strip(),
            role=Role.COORDINATOR,
            password_hash=hash_password(secrets.token_urlsafe(32)),  # nobody knows it
            preferred_language=actor.preferred_language,
            active=False,
        )
        db.session.add(user)
    membership = StaffMembership(
        organisation=organisation, user=user, invited_by=actor, invited_at=now, accepted_at=None if new_account else now
    )
    _set_access(membership, actor, role, areas, whole_installation)
    db.session.add(membership)
    db.session.flush()
    if new_account:
        audit.record("staff.invited", membership, actor=actor, **_access(membership))
        queue_email(
            user,
            _l("Brückenbau: you are invited to coordinate"),
            "email/staff_invitation.txt",
            to=address,
            organisation=organisation.name,
            invited_by=actor.full_name,
            join_url=public_url_for("staff.join", token=invitation_token(membership)),
        )
    else:
        audit.record("staff.role_attached", membership, actor=actor, **_access(membership))
        queue_email(
            user,
            _l("Brückenbau: you coordinate for another organisation"),
            "email/staff_added.txt",
            organisation=organisation.name,
            invited_by=actor.full_name,
        )
    db.session.commit()
    return membership


def accept_invitation(membership: StaffMembership, full_name: str, password: str) -> User:
    """The invited person sets their name and password: the account opens, the address counts as confirmed."""
    user = membership.user
    if user.email is None:
        clash = db.session.scalar(select(User.id).where(User.email == user.pending_email, User.id != user.id))
        if clash is not None:  # the address was confirmed by another account in the meantime
            raise InvitationInvalid()
        user.email, user.pending_email = user.pending_email, None
    user.full_name = full_name.strip()
    user.set_password(password)
    user.active = True
    membership.accepted_at = utcnow()
    audit.record("staff.invitation_accepted", membership, actor=user)
    db.session.commit()
    return user


def change_access(
    membership: StaffMembership, actor: User, role: StaffRole, areas: list[Area], whole_installation: bool
) -> None:
    """New role and areas for a membership; they hold from the person's next request."""
    before = _access(membership)
    _set_access(membership, actor, role, areas, whole_installation)
    audit.record("staff.access_changed", membership, actor=actor, before=before, after=_access(membership))
    db.session.commit()


def deactivate(membership: StaffMembership, actor: User) -> None:
    """End a membership; the person is logged out everywhere at once, and the account closes with its last one."""
    membership.active = False
    user = membership.user
    user.session_version = (user.session_version or 0) + 1
    if not policies.active_memberships(user) and user.role == Role.COORDINATOR:
        user.active = False
    audit.record("staff.deactivated", membership, actor=actor, account_closed=not user.active)
    db.session.commit()


def staff_overview(actor: User) -> list[tuple[Organisation, list[StaffMembership]]]:
    """Each organisation ``actor`` manages with its memberships: who has which access."""
    return [
        (o, sorted(o.memberships, key=lambda m: m.user.full_name.lower()))
        for o in policies.administered_organisations(actor)
    ]


def organisation_of(user: User) -> Organisation | None:
    """The organisation a staff member works for (their first active membership), for printed documents."""
    memberships = policies.active_memberships(user) if user is not None else []
    return memberships[0].organisation if memberships else None


def organisation_for_place(locality_id: str | None) -> Organisation | None:
    """The organisation whose coordinators have ``locality_id`` in one of their areas (the oldest, if several
    share it): the one that stands behind what happens there."""
    if locality_id is None:
        return None
    return db.session.scalar(
        select(Organisation)
        .join(Organisation.memberships)
        .join(StaffMembership.areas)
        .join(Area.places)
        .where(Locality.id == locality_id, StaffMembership.active, StaffMembership.accepted_at.is_not(None))
        .order_by(Organisation.id)
        .limit(1)
    )


def issuing_organisation(refugee_locality_id: str | None, contact_person: User | None) -> Organisation | None:
    """Who issues a sponsorship's documents: the organisation of the place's area, else the organisation of
    the coordinator in charge (a district office covering the whole installation has no areas); None leaves
    the installation's own name."""
    return organisation_for_place(refugee_locality_id) or organisation_of(contact_person)
