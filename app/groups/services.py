"""Working groups: who may manage them, member proposals from the engine, decisions, coverage."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

import matching
from app import audit, policies
from app.errors import DomainError
from app.extensions import db
from app.matching_problem import (
    group_ref,
    groups_problem,
    matchable_refugee,
    matchable_volunteers,
    volunteer_profile_id,
)
from app.models import (
    GroupMembership,
    GroupQuota,
    LanguageLevel,
    MembershipStatus,
    QuotaKind,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    User,
    VolunteerLanguage,
    VolunteerProfile,
    WorkingGroup,
    utcnow,
)
from matching.levels import INDEPENDENT_LEVEL, QUOTA_LEVEL


class MembershipError(DomainError, abstract=True):
    """A membership change that the rules do not allow."""


class OfferRequired(MembershipError):
    message = _l("This group needs volunteers who offer its activity. Add it to your profile first.")


class GroupFull(MembershipError):
    message = _l("The group is full.")


class AlreadyMember(MembershipError):
    message = _l("You are already a member of this group or have asked to join.")


class LeadNotActive(MembershipError):
    message = _l("Only active members can lead a group.")


class SlugTaken(DomainError):
    """A new group's identifier belongs to another group."""

    message = _l("This identifier is already in use.")


def all_groups() -> list[WorkingGroup]:
    return list(
        db.session.scalars(
            select(WorkingGroup)
            .options(selectinload(WorkingGroup.memberships), selectinload(WorkingGroup.quotas))
            .order_by(WorkingGroup.parent_id.is_not(None), WorkingGroup.name)
        )
    )


@dataclass(frozen=True)
class GroupRow:
    """A line of the list of groups: the group, its active members, and the viewer's membership."""

    group: WorkingGroup
    members: int
    membership: GroupMembership | None


def group_list(profile: VolunteerProfile | None) -> list[GroupRow]:
    """Every group with its number of active members (counted in the database: a city's groups have
    thousands) and ``profile``'s membership in it, if any."""
    members = dict(
        db.session.execute(
            select(GroupMembership.group_id, func.count())
            .where(GroupMembership.status == MembershipStatus.ACTIVE)
            .group_by(GroupMembership.group_id)
        ).all()
    )
    mine = (
        {
            m.group_id: m
            for m in db.session.scalars(select(GroupMembership).where(GroupMembership.profile_id == profile.id))
        }
        if profile
        else {}
    )
    groups = db.session.scalars(
        select(WorkingGroup)
        .options(joinedload(WorkingGroup.parent))
        .order_by(WorkingGroup.parent_id.is_not(None), WorkingGroup.name)
    )
    return [GroupRow(group, members.get(group.id, 0), mine.get(group.id)) for group in groups]


def group_by_slug_or_id(reference: str) -> WorkingGroup | None:
    if reference.isdigit():
        return db.session.get(WorkingGroup, int(reference))
    return db.session.scalar(select(WorkingGroup).where(WorkingGroup.slug == reference))


def can_manage(user: User, group: WorkingGroup) -> bool:
    """Coordinators manage every group; a volunteer manages the groups they lead (``app.policies``)."""
    return policies.can(user, "manage", group)


def membership_of(group: WorkingGroup, profile: VolunteerProfile | None) -> GroupMembership | None:
    if profile is None:
        return None
    return next((m for m in group.memberships if m.profile_id == profile.id), None)


def _current(group: WorkingGroup, active_only: bool) -> Select:
    """Members and requests (not those who left; ``active_only``: members only)."""
    statuses = [MembershipStatus.ACTIVE] if active_only else [MembershipStatus.ACTIVE, MembershipStatus.REQUESTED]
    return select(GroupMembership).where(GroupMembership.group_id == group.id, GroupMembership.status.in_(statuses))


def members_in_scope(group: WorkingGroup, user: User, active_only: bool = False) -> Select:
    """The members and requests ``user`` may see (a coordinator's in scope, a lead's all), requests first, with
    what the member list shows of each (name, place, languages) loaded in a constant number of queries."""
    return (
        _current(group, active_only)
        .where(policies.group_members_in_scope(user))
        .options(
            selectinload(GroupMembership.profile).options(
                selectinload(VolunteerProfile.user),
                selectinload(VolunteerProfile.locality),
                selectinload(VolunteerProfile.languages),
            )
        )
        .order_by(GroupMembership.status, GroupMembership.id)
    )


def hidden_members(group: WorkingGroup, user: User, active_only: bool = False) -> int:
    """How many members and requests are outside what ``user`` sees."""
    current = _current(group, active_only)
    total = db.session.scalar(select(func.count()).select_from(current.subquery()))
    shown = current.where(policies.group_members_in_scope(user))
    return total - db.session.scalar(select(func.count()).select_from(shown.subquery()))


@dataclass
class MemberProposal:
    profile: VolunteerProfile
    reasons: list[matching.GroupReason]


@dataclass
class GroupProposals:
    members: dict[int, list[MemberProposal]] = field(default_factory=dict)  # group id -> proposals
    shortfall: dict[int, dict[str, int]] = field(default_factory=dict)  # group id -> {"language:ar": 1}


def propose_members(actor: User) -> GroupProposals:
    """Ask the engine which volunteers of ``actor``'s scope should join which groups, on top of the members.

    Every group is solved at once, so that nobody is proposed to more groups
    than they can take; what current members already cover is taken off the
    capacities and quotas, and their groups off their allowance.
    """
    groups = [g for g in all_groups() if g.requires_offer]
    volunteers = {p.id: p for p in matchable_volunteers(policies.volunteers_in_scope(actor))}
    active = {(m.group_id, m.profile_id) for g in groups for m in g.active_members}
    result = matching.propose(groups_problem(groups, list(volunteers.values())))
    by_ref = {group_ref(g): g for g in groups}
    proposals = GroupProposals()
    for assignment in result["group_assignments"]:
        group, profile = by_ref[assignment["group"]], volunteers[volunteer_profile_id(assignment["volunteer"])]
        if (group.id, profile.id) not in active:
            proposals.members.setdefault(group.id, []).append(MemberProposal(profile, assignment["reasons"]))
    for ref, missing in result["group_shortfall"].items():
        proposals.shortfall[by_ref[ref].id] = missing
    return proposals


def _check_can_join(group: WorkingGroup, profile: VolunteerProfile) -> None:
    if group.requires_offer and group.requires_offer not in {c.key for c in profile.offers}:
        raise OfferRequired()
    if len(group.active_members) >= group.capacity:
        raise GroupFull()


def add_members(group: WorkingGroup, profiles: list[VolunteerProfile], actor: User) -> int:
    """Make ``profiles`` active members (a coordinator confirming proposals or requests)."""
    added = 0
    for profile in profiles:
        membership = membership_of(group, profile)
        if membership is not None and membership.status == MembershipStatus.ACTIVE:
            continue
        _check_can_join(group, profile)
        if membership is None:
            membership = GroupMembership(group=group, profile=profile, status=MembershipStatus.ACTIVE)
            db.session.add(membership)
        membership.status, membership.decided_by, membership.decided_at = MembershipStatus.ACTIVE, actor, utcnow()
        db.session.flush()
        added += 1
    audit.record("group.members_added", group, actor=actor, volunteers=[p.id for p in profiles])
    db.session.commit()
    return added


def request_to_join(group: WorkingGroup, profile: VolunteerProfile) -> None:
    membership = membership_of(group, profile)
    if membership is not None and membership.status in (MembershipStatus.ACTIVE, MembershipStatus.REQUESTED):
        raise AlreadyMember()
    _check_can_join(group, profile)
    if membership is None:
        membership = GroupMembership(group=group, profile=profile, status=MembershipStatus.REQUESTED)
        db.session.add(membership)
    membership.status, membership.is_lead = MembershipStatus.REQUESTED, False
    audit.record("group.join_requested", group, actor=profile.user)
    db.session.commit()


def decide(membership: GroupMembership, accept: bool, actor: User) -> None:
    """Accept or decline a request, or remove a member (``accept`` False)."""
    if accept:
        _check_can_join(membership.group, membership.profile)
        membership.status = MembershipStatus.ACTIVE
    else:
        membership.status, membership.is_lead = MembershipStatus.LEFT, False
    membership.decided_by, membership.decided_at = actor, utcnow()
    audit.record(
        "group.member_accepted" if accept else "group.member_removed",
        membership.group,
        actor=actor,
        volunteer=membership.profile_id,
    )
    db.session.commit()


def set_lead(membership: GroupMembership, is_lead: bool, actor: User) -> None:
    if membership.status != MembershipStatus.ACTIVE:
        raise LeadNotActive()
    membership.is_lead = is_lead
    audit.record("group.lead_changed", membership.group, actor=actor, volunteer=membership.profile_id, lead=is_lead)
    db.session.commit()


@dataclass(frozen=True)
class QuotaState:
    quota: GroupQuota
    members: int

    @property
    def missing(self) -> int:
        return max(0, self.quota.minimum - self.members)


@dataclass(frozen=True)
class FieldCoverage:
    """Refugees who would need this group, against members who can serve them."""

    key: str  # a language code or a locality id
    refugees: int
    members: int


def _active_members(group: WorkingGroup) -> ColumnElement[bool]:
    return and_(GroupMembership.group_id == group.id, GroupMembership.status == MembershipStatus.ACTIVE)


def _members_speaking(group: WorkingGroup) -> dict[str, int]:
    """Language code -> active members who speak it well enough to count (``QUOTA_LEVEL``), counted in SQL."""
    rows = db.session.execute(
        select(VolunteerLanguage.code, func.count())
        .join(GroupMembership, GroupMembership.profile_id == VolunteerLanguage.profile_id)
        .where(_active_members(group), VolunteerLanguage.level.in_(LanguageLevel.at_least(QUOTA_LEVEL)))
        .group_by(VolunteerLanguage.code)
    )
    return {code: count for code, count in rows}


def _members_living(group: WorkingGroup) -> dict[str, int]:
    """Place id -> active members living there, counted in SQL."""
    rows = db.session.execute(
        select(VolunteerProfile.locality_id, func.count())
        .join(GroupMembership, GroupMembership.profile_id == VolunteerProfile.id)
        .where(_active_members(group), VolunteerProfile.locality_id.is_not(None))
        .group_by(VolunteerProfile.locality_id)
    )
    return {place: count for place, count in rows}


def quota_states(group: WorkingGroup) -> list[QuotaState]:
    """Each quota with the active members who count towards it (``GroupQuota.counts``' rule, in SQL)."""
    if not group.quotas:
        return []
    counted = {QuotaKind.LANGUAGE: _members_speaking(group), QuotaKind.LOCALITY: _members_living(group)}
    return [QuotaState(q, counted[q.kind].get(q.key, 0)) for q in group.quotas]


def active_member_count(group: WorkingGroup) -> int:
    return db.session.scalar(select(func.count()).select_from(GroupMembership).where(_active_members(group)))


def _coverage(needed, members: dict[str, int]) -> list[FieldCoverage]:
    """Keys where refugees need the group (``needed``: rows of key and count), gaps first, then the most people."""
    return sorted(
        (FieldCoverage(key, count, members.get(key, 0)) for key, count in needed),
        key=lambda c: (c.members > 0, -c.refugees, c.key),
    )


def language_coverage(group: WorkingGroup, within: ColumnElement[bool] | None = None) -> list[FieldCoverage]:
    """For an interpreting pool: languages of refugees (``within``) with little German, and members speaking them.

    Both sides are counted by the database (a few rows per language), whatever the number of people."""
    little_german = or_(
        RefugeeProfile.german_level.is_(None),
        RefugeeProfile.german_level.not_in(LanguageLevel.at_least(INDEPENDENT_LEVEL)),
    )
    needed = db.session.execute(
        select(RefugeeLanguage.code, func.count())
        .join(RefugeeProfile, RefugeeProfile.id == RefugeeLanguage.profile_id)
        .where(matchable_refugee(within), little_german)
        .group_by(RefugeeLanguage.code)
    )
    return _coverage(needed, _members_speaking(group))


def locality_coverage(group: WorkingGroup, within: ColumnElement[bool] | None = None) -> list[FieldCoverage]:
    """Places where refugees (``within``) need the group's activity, and members living there (e.g. drivers);
    counted by the database."""
    needed = db.session.execute(
        select(RefugeeProfile.locality_id, func.count())
        .where(
            matchable_refugee(within),
            RefugeeProfile.locality_id.is_not(None),
            RefugeeProfile.needs.any(RefugeeNeed.category_key == group.requires_offer),
        )
        .group_by(RefugeeProfile.locality_id)
    )
    return _coverage(needed, _members_living(group))


def save_group(group: WorkingGroup | None, data: dict, quotas: list[tuple[QuotaKind, str, int]], actor: User):
    """Create (``group`` None) or update a group with its quotas."""
    if group is None:
        if db.session.scalar(select(WorkingGroup.id).where(WorkingGroup.slug == data["slug"])) is not None:
            raise SlugTaken()
        group = WorkingGroup(slug=data["slug"])
        db.session.add(group)
    for name in (
        "name",
        "description",
        "capacity",
        "meeting_rhythm",
        "meeting_place",
        "first_meeting_on",
        "meeting_time",
        "meeting_minutes",
        "meeting_every_weeks",
    ):
        setattr(group, name, data[name])
    group.requires_offer = data["requires_offer"] or None
    group.parent_id = data["parent_id"] or None
    group.quotas = [GroupQuota(kind=kind, key=key, minimum=minimum) for kind, key, minimum in quotas]
    audit.record("group.saved", group, actor=actor)
    db.session.commit()
    return group
