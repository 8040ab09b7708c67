"""Who may do what with which record: the one place that decides it.

Routes, services, templates and the menu ask ``can(user, action, obj)`` or
``allowed_actions(user, obj)``; lists and counts filter with the scope
conditions below (``refugees_in_scope``, ``volunteers_in_scope``), so a
page never shows a row that its detail page would refuse.

A coordinator's scope is the set of places of the areas of their active
staff memberships, or the whole installation (a district office, and every
admin). Refugees are in scope when their place is; volunteers when their home
place is, or when a place of the scope lies within their travel distance
(the engine's reach rule, ``matching/reach.py``, with the place as the other
side). The scope is computed once per request, so a change of areas takes
effect with the next request.
"""

from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import ColumnElement, and_, case, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import (
    HOLDING_STATUSES,
    Agreement,
    AgreementStatus,
    Appointment,
    AppointmentOffer,
    AppointmentStatus,
    Area,
    GroupMembership,
    Locality,
    MembershipStatus,
    OfferStatus,
    Organisation,
    Proposal,
    ProposalStatus,
    RefugeeProfile,
    RefugeeStatus,
    Role,
    StaffMembership,
    StaffRole,
    User,
    VolunteerProfile,
    WorkingGroup,
)
from matching.reach import distances_km, within_reach

INSTALLATION = "installation"


@dataclass(frozen=True)
class Scope:
    """The places a staff member is responsible for, or everything."""

    everything: bool = False
    places: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.everything and not self.places

    @property
    def key(self) -> str:
        """A short name of the scope (matching runs are kept apart by it)."""
        return INSTALLATION if self.everything else ",".join(sorted(self.places))

    def overlaps(self, other: "Scope") -> bool:
        return self.everything or other.everything or bool(self.places & other.places)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def active_memberships(user: User) -> list[StaffMembership]:
    return [m for m in user.memberships if m.active and m.accepted_at is not None]


def sponsored_refugees(user: User) -> list[RefugeeProfile]:
    """The refugees ``user`` sponsors in a running sponsorship (for whom they may ask for appointments)."""
    profile = user.volunteer_profile if user.is_authenticated and user.role == Role.VOLUNTEER else None
    if profile is None:
        return []
    return list(
        db.session.scalars(
            select(RefugeeProfile)
            .join(Agreement, Agreement.refugee_id == RefugeeProfile.id)
            .where(
                Agreement.status.in_(HOLDING_STATUSES),
                RefugeeProfile.status == RefugeeStatus.ACTIVE,
                or_(Agreement.volunteer_id == profile.id, Agreement.second_volunteer_id == profile.id),
            )
            .distinct()
        )
    )


def _compute_scope(user: User) -> Scope:
    if not user.is_authenticated or not user.active:
        return NOTHING
    if user.role == Role.ADMIN:
        return EVERYTHING
    if user.role != Role.COORDINATOR:
        return NOTHING
    memberships = active_memberships(user)
    if any(m.whole_installation for m in memberships):
        return EVERYTHING
    return Scope(places=frozenset(place.id for m in memberships for area in m.areas for place in area.places))


def run_scope(actor: User | None) -> Scope:
    """The scope of a run started by ``actor``; the command line (no actor) covers the installation."""
    return EVERYTHING if actor is None else scope_of(actor)


def scope_of(user: User) -> Scope:
    """``user``'s scope, computed once per request (and afresh outside one, e.g. in a job)."""
    if not has_request_context():
        return _compute_scope(user)
    cache = g.setdefault("policy_scopes", {})
    if user.id not in cache:
        cache[user.id] = _compute_scope(user)
    return cache[user.id]


def _nearest_km(places: frozenset[str]) -> dict[str, float]:
    """For every place, the distance in km to the nearest place of ``places``."""
    localities = list(db.session.execute(select(Locality.id, Locality.lat, Locality.lon).order_by(Locality.id)))
    inside = [i for i, row in enumerate(localities) if row.id in places]
    if not inside:
        return {}
    km = distances_km([(row.lat, row.lon) for row in localities])
    return {row.id: float(km[i, inside].min()) for i, row in enumerate(localities)}


def nearest_km(scope: Scope) -> dict[str, float]:
    if not has_request_context():
        return _nearest_km(scope.places)
    cache = g.setdefault("policy_nearest", {})
    if scope.places not in cache:
        cache[scope.places] = _nearest_km(scope.places)
    return cache[scope.places]


# Scope as SQL conditions, for lists, counts, searches and the matching problem.


def refugees_in_scope(user: User | None, scope: Scope | None = None) -> ColumnElement[bool]:
    """A condition on ``RefugeeProfile``: the refugees ``user`` is responsible for."""
    scope = scope or scope_of(user)
    if scope.everything:
        return _refugee_not_erased()
    own_intake = and_(RefugeeProfile.locality_id.is_(None), RefugeeProfile.registered_by_id == user.id)
    if not scope.places:
        return and_(own_intake, _refugee_not_erased())
    return and_(or_(RefugeeProfile.locality_id.in_(sorted(scope.places)), own_intake), _refugee_not_erased())


# An erased person (app/privacy) is in nobody's scope: they disappear from lists, matching and exports.
# Asked as "no erased account of theirs exists": the few erased accounts come from the index on erased_at,
# where "the account is among the not erased" made every scoped query hash all the accounts. The alias
# keeps the subquery from correlating with a users table the outer query joins for another purpose.
def _not_erased(profile: type[RefugeeProfile] | type[VolunteerProfile]) -> ColumnElement[bool]:
    erased = aliased(User)
    return ~exists().where(erased.id == profile.user_id, erased.erased_at.is_not(None)).correlate(profile)


def _refugee_not_erased() -> ColumnElement[bool]:
    return _not_erased(RefugeeProfile)


def _volunteer_not_erased() -> ColumnElement[bool]:
    return _not_erased(VolunteerProfile)


def volunteers_in_scope(user: User | None, scope: Scope | None = None) -> ColumnElement[bool]:
    """A condition on ``VolunteerProfile``: volunteers living in ``user``'s places or able to reach one."""
    scope = scope or scope_of(user)
    if scope.everything:
        return _volunteer_not_erased()
    if not scope.places:
        return false()
    nearest = {place: km for place, km in nearest_km(scope).items() if place not in scope.places}
    home = VolunteerProfile.locality_id.in_(sorted(scope.places))
    if not nearest:
        return and_(home, _volunteer_not_erased())
    reach = VolunteerProfile.travel_km >= case(nearest, value=VolunteerProfile.locality_id, else_=None)
    return and_(or_(home, reach), _volunteer_not_erased())


def agreements_in_scope(user: User) -> ColumnElement[bool]:
    """A condition on ``Agreement``: sponsorships of refugees in ``user``'s scope."""
    return Agreement.refugee.has(refugees_in_scope(user))


def proposals_in_scope(user: User) -> ColumnElement[bool]:
    return Proposal.refugee.has(refugees_in_scope(user))


# Records one by one.


def appointments_in_scope(user: User) -> ColumnElement[bool]:
    """A condition on ``Appointment``: those of refugees in ``user``'s scope; once a person's record is
    erased, those at a place of the scope."""
    scope = scope_of(user)
    if scope.everything:
        return true()
    at_place = and_(Appointment.refugee_id.is_(None), Appointment.locality_id.in_(sorted(scope.places)))
    return or_(Appointment.refugee.has(refugees_in_scope(user, scope)), at_place)


def refugee_in_scope(user: User, refugee: RefugeeProfile) -> bool:
    """In one of the user's places; a record they registered on someone's behalf also before it has a place."""
    scope = scope_of(user)
    if refugee.user.erased_at is not None:
        return False
    if refugee.locality_id is None and refugee.registered_by_id == user.id:
        return True
    return scope.everything or refugee.locality_id in scope.places


def volunteer_in_scope(user: User, volunteer: VolunteerProfile) -> bool:
    scope = scope_of(user)
    if volunteer.user.erased_at is not None:
        return False
    if scope.everything or volunteer.locality_id in scope.places:
        return True
    if not scope.places or volunteer.locality_id is None:
        return False
    distance = nearest_km(scope).get(volunteer.locality_id)
    return distance is not None and within_reach(distance, volunteer.travel_km, 0)


def is_staff(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.COORDINATOR, Role.ADMIN)


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def administered_organisations(user: User) -> list[Organisation]:
    """The organisations whose staff ``user`` manages (admins: all)."""
    if is_admin(user):
        return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    if not is_staff(user):
        return []
    return sorted(
        (m.organisation for m in active_memberships(user) if m.role == StaffRole.ORG_ADMIN),
        key=lambda organisation: organisation.name,
    )


def _manages(user: User, organisation: Organisation) -> bool:
    return is_admin(user) or any(o.id == organisation.id for o in administered_organisations(user))


# The rules, per kind of record. Each action is a function of (user, record).

_PAGES = {
    # What the menu offers and the pages check before any record is looked at.
    "coordinate": is_staff,
    "administer": is_admin,
    "manage_staff": lambda user: bool(administered_organisations(user)),
    "manage_organisations": is_admin,
    # The audit log: admins and the data-protection officer, who reads it and nothing else.
    "read_audit": lambda user: user.is_authenticated and user.role in (Role.ADMIN, Role.DPO),
    # The records of processing (Art. 30 GDPR) are the data-protection officer's document.
    "read_records_of_processing": lambda user: user.is_authenticated and user.role in (Role.ADMIN, Role.DPO),
    # A second factor: everyone who sees special-category data or the audit log.
    "use_second_factor": lambda user: user.is_authenticated and user.role in (Role.COORDINATOR, Role.ADMIN, Role.DPO),
    # The privacy lifecycle: everyone reads and downloads their own data; volunteers and refugees
    # ask for erasure (staff accounts end with their staff membership); coordination sees the requests.
    "read_own_data": lambda user: user.is_authenticated,
    "request_erasure": lambda user: user.is_authenticated and user.role in (Role.VOLUNTEER, Role.REFUGEE),
    "see_erasure_requests": is_staff,
    # Appointments: volunteers see their offers, assignments and allowances; refugees and sponsors ask for one.
    "own_appointments": lambda user: user.is_authenticated and user.role in (Role.VOLUNTEER, Role.REFUGEE),
    "request_appointments": lambda user: (
        user.is_authenticated and (is_staff(user) or user.role == Role.REFUGEE or sponsored_refugees(user) != [])
    ),
}


def _refugee_rules():
    def in_scope(user, refugee):
        return is_staff(user) and refugee_in_scope(user, refugee)

    def open_record(user, refugee):
        return in_scope(user, refugee) and refugee.status != RefugeeStatus.MERGED

    return {
        "view": in_scope,
        "view_special": in_scope,  # residence status and protection notes: coordination of the person's area only
        "edit": open_record,
        "merge": open_record,
        "hand_over": open_record,
        "print_slip": open_record,
        "request_appointment": lambda user, refugee: may_request_appointment(user, refugee),
    }


def _volunteer_rules():
    def in_scope(user, volunteer):
        return is_staff(user) and volunteer_in_scope(user, volunteer)

    return {"view": in_scope, "check_clearance": in_scope}


def party_of(agreement: Agreement, user: User) -> str | None:
    """Which party ``user`` is in ``agreement``: "volunteer", "second_volunteer", "refugee" or None."""
    if not user.is_authenticated:
        return None
    if user.role == Role.REFUGEE and user.refugee_profile and user.refugee_profile.id == agreement.refugee_id:
        return "refugee"
    profile = user.volunteer_profile
    if profile is not None:
        if profile.id == agreement.volunteer_id:
            return "volunteer"
        if profile.id == agreement.second_volunteer_id:
            return "second_volunteer"
    return None


def _agreement_rules():
    def coordinates(user, agreement):
        return is_staff(user) and refugee_in_scope(user, agreement.refugee)

    def status_in(*statuses):
        return lambda user, agreement: coordinates(user, agreement) and agreement.status in statuses

    def party_may_answer(user, agreement):
        party = party_of(agreement, user)
        return (
            party is not None
            and agreement.status == AgreementStatus.DRAFT
            and getattr(agreement, f"{party}_agreed_at") is None
        )

    running = (AgreementStatus.CONFIRMED, AgreementStatus.ACTIVE)
    return {
        "view": lambda user, agreement: coordinates(user, agreement) or party_of(agreement, user) is not None,
        "coordinate": coordinates,
        "edit_terms": status_in(AgreementStatus.DRAFT),
        "approve": status_in(AgreementStatus.DRAFT),
        "end": status_in(*HOLDING_STATUSES),
        "cancel": status_in(AgreementStatus.DRAFT, AgreementStatus.CONFIRMED),
        "renew": status_in(AgreementStatus.ACTIVE, AgreementStatus.ENDED),
        "agree": party_may_answer,
        "decline": party_may_answer,
        "pick": lambda user, agreement: party_may_answer(user, agreement) and party_of(agreement, user) == "refugee",
        "check_in": lambda user, agreement: (
            agreement.status in running
            and (coordinates(user, agreement) or party_of(agreement, user) in ("volunteer", "second_volunteer"))
        ),
        "see_check_ins": lambda user, agreement: agreement.status in running or bool(agreement.check_ins),
        "certificate": lambda user, agreement: agreement.status in (AgreementStatus.ACTIVE, AgreementStatus.ENDED),
    }


def may_request_appointment(user: User, refugee: RefugeeProfile) -> bool:
    """Coordination for anyone in scope, a refugee for themselves, a sponsor for their sponsored family."""
    if refugee.status != RefugeeStatus.ACTIVE:
        return False
    if is_staff(user):
        return refugee_in_scope(user, refugee)
    if user.is_authenticated and user.role == Role.REFUGEE:
        return user.refugee_profile is not None and user.refugee_profile.id == refugee.id
    return any(sponsored.id == refugee.id for sponsored in sponsored_refugees(user))


def appointment_party(appointment: Appointment, user: User) -> str | None:
    """``user``'s side of ``appointment``: "refugee", "requester", "volunteer", "offered" or None."""
    if not user.is_authenticated:
        return None
    profile = user.volunteer_profile
    if profile is not None and appointment.volunteer_id == profile.id:
        return "volunteer"
    if user.role == Role.REFUGEE and user.refugee_profile and user.refugee_profile.id == appointment.refugee_id:
        return "refugee"
    if appointment.requested_by_id == user.id:
        return "requester"
    if profile is not None and any(offer.volunteer_id == profile.id for offer in appointment.offers):
        return "offered"
    return None


def _appointment_rules():
    def coordinates(user, appointment):
        if not is_staff(user):
            return False
        if appointment.refugee is not None:
            return refugee_in_scope(user, appointment.refugee)
        scope = scope_of(user)
        return scope.everything or appointment.locality_id in scope.places

    def status_in(*statuses):
        return lambda user, appointment: coordinates(user, appointment) and appointment.status in statuses

    def cancellable(user, appointment):
        """Either side or coordination may cancel or move it until it has taken place."""
        party = appointment_party(appointment, user)
        involved = coordinates(user, appointment) or party in ("refugee", "requester", "volunteer")
        return involved and appointment.status in (
            AppointmentStatus.REVIEW,
            AppointmentStatus.OPEN,
            AppointmentStatus.ASSIGNED,
        )

    return {
        "view": lambda user, a: coordinates(user, a) or appointment_party(a, user) is not None,
        "coordinate": coordinates,
        "view_special": coordinates,  # special-category notes: coordination only
        "review": status_in(AppointmentStatus.REVIEW),
        "offer": status_in(AppointmentStatus.OPEN),
        "cancel": cancellable,
        "move": cancellable,
        "report": lambda user, a: appointment_party(a, user) == "volunteer" and a.status == AppointmentStatus.ASSIGNED,
        "approve": status_in(AppointmentStatus.REPORTED),
    }


def _offer_rules():
    def own(user, offer):
        profile = user.volunteer_profile if user.is_authenticated else None
        return profile is not None and offer.volunteer_id == profile.id

    return {"answer": lambda user, offer: own(user, offer) and offer.status == OfferStatus.OFFERED}


def _proposal_rules():
    def decide(user, proposal):
        return (
            is_staff(user) and refugee_in_scope(user, proposal.refugee) and proposal.status == ProposalStatus.PROPOSED
        )

    return {
        "view": lambda user, proposal: is_staff(user) and refugee_in_scope(user, proposal.refugee),
        "decide": decide,
    }


def _organisation_rules():
    return {
        "edit": lambda user, organisation: is_admin(user),
        "manage_staff": _manages,
        "set_rates": _manages,  # its own allowances for appointments
        "appoint_installation": lambda user, organisation: is_admin(user),
    }


def _membership_rules():
    def manage(user, membership):
        return _manages(user, membership.organisation) and membership.user_id != user.id

    return {"manage": manage, "deactivate": lambda user, m: manage(user, m) and m.active}


def _group_rules():
    def manage(user, group):
        """Coordinators manage every group; a volunteer manages the groups they lead."""
        if is_staff(user):
            return True
        profile = user.volunteer_profile if user.is_authenticated else None
        return profile is not None and any(m.profile_id == profile.id for m in group.leads)

    return {"manage": manage, "edit": lambda user, group: is_staff(user)}


def _group_membership_rules():
    def view(user, membership):
        """Coordination sees the members in its scope; a group's leads see all of their group."""
        if is_staff(user):
            return volunteer_in_scope(user, membership.profile)
        return _group_rules()["manage"](user, membership.group)

    def lead_change(to_lead: bool):
        # Leads are appointed by coordination, among active members.
        return lambda user, m: (
            is_staff(user) and view(user, m) and m.status == MembershipStatus.ACTIVE and m.is_lead != to_lead
        )

    return {
        "view": view,
        "accept": lambda user, m: view(user, m) and m.status == MembershipStatus.REQUESTED,
        "remove": lambda user, m: view(user, m) and m.status != MembershipStatus.LEFT,
        "lead": lead_change(True),
        "no-lead": lead_change(False),
    }


def _person_rules():
    """A volunteer's or refugee's account, as coordination acts on it for the person (app/privacy):
    coordination of the person's profile, as for the profile's own page."""

    def coordinates(user, person):
        if not is_staff(user) or person.erased_at is not None or person.role not in (Role.VOLUNTEER, Role.REFUGEE):
            return False
        profile = person.refugee_profile if person.role == Role.REFUGEE else person.volunteer_profile
        if profile is None:
            return scope_of(user).everything
        return refugee_in_scope(user, profile) if person.role == Role.REFUGEE else volunteer_in_scope(user, profile)

    return {"export_data": coordinates, "erase": coordinates}


_RULES = {
    User: _person_rules(),
    RefugeeProfile: _refugee_rules(),
    VolunteerProfile: _volunteer_rules(),
    Agreement: _agreement_rules(),
    Proposal: _proposal_rules(),
    Organisation: _organisation_rules(),
    StaffMembership: _membership_rules(),
    Area: {"edit": lambda user, area: is_admin(user)},
    WorkingGroup: _group_rules(),
    GroupMembership: _group_membership_rules(),
    Appointment: _appointment_rules(),
    AppointmentOffer: _offer_rules(),
}


def can(user: User, action: str, obj: object | None = None) -> bool:
    """Whether ``user`` may do ``action`` (with ``obj``, a record, or on a page without one)."""
    if obj is None:
        return _PAGES[action](user)
    return _RULES[type(obj)][action](user, obj)


def record_for(user: User, action: str, model: type, record_id: int | None):
    """The record of ``model`` with ``record_id`` if ``user`` may do ``action`` with it, else None:
    a record outside the user's scope does not exist for them (the page answers 404)."""
    record = db.session.get(model, record_id) if record_id is not None else None
    return record if record is not None and can(user, action, record) else None


def allowed_actions(user: User, obj: object) -> frozenset[str]:
    """Every action ``user`` may do with ``obj``; templates test membership (``'approve' in actions``)."""
    return frozenset(action for action, rule in _RULES[type(obj)].items() if rule(user, obj))


def group_members_in_scope(user: User) -> ColumnElement[bool]:
    """A condition on ``GroupMembership``: coordination sees members in its scope, a group's leads all."""
    return GroupMembership.profile.has(volunteers_in_scope(user)) if is_staff(user) else true()


def group_refugees_in_scope(user: User) -> ColumnElement[bool]:
    """A condition on ``RefugeeProfile`` for a group's coverage counts: coordination's scope, a lead's all."""
    return refugees_in_scope(user) if is_staff(user) else true()


def unscoped_coordinator(user: User) -> bool:
    """A coordinator with no area and not the whole installation: their pages explain why they are empty."""
    return is_staff(user) and scope_of(user).empty
