"""Refugees as coordinators see them: search, the detail page, and their audit trail."""

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app import audit, policies, profiles
from app.extensions import db
from app.models import (
    HOLDING_STATUSES,
    Agreement,
    AgreementStatus,
    HouseholdMember,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    RefugeeStatus,
    User,
)
from app.models.refugee import ADULT_AGE
from app.names import name_key
from app.phones import normalise_phone


@dataclass
class RefugeeFilters(profiles.ProfileFilters):
    need: str = ""
    children: bool = False
    unmatched: bool = False
    status: str = ""


def refugee_search(filters: RefugeeFilters, user: User) -> Select:
    """The refugees in ``user``'s scope matching every given filter, by name."""
    stmt = profiles.profile_search(
        RefugeeProfile,
        RefugeeLanguage,
        filters,
        selectinload(RefugeeProfile.members),
        selectinload(RefugeeProfile.needs).selectinload(RefugeeNeed.category),
    ).where(policies.refugees_in_scope(user))
    if filters.q:
        text = filters.q.strip()
        # A part of the name as written (a trigram index on PostgreSQL), or the whole name in another spelling
        # or script (the stored name key: "Mohammed Al-Hassan" finds "محمد الحسن"), or the login name.
        conditions = [User.full_name.icontains(text, autoescape=True), User.username == text.lower()]
        key = name_key(text)
        if key:
            conditions.append(User.name_key == key)
        phone = normalise_phone(text)
        if phone:
            conditions.append(User.phone == phone)
        stmt = stmt.where(or_(*conditions))
    if filters.need:
        stmt = stmt.where(RefugeeProfile.needs.any(RefugeeNeed.category_key == filters.need))
    if filters.children:
        stmt = stmt.where(RefugeeProfile.members.any(HouseholdMember.age < ADULT_AGE))
    if filters.unmatched:
        # Neither a sponsorship nor one being agreed: the people still waiting.
        open_agreements = select(Agreement.refugee_id).where(
            Agreement.status.in_([AgreementStatus.DRAFT, *HOLDING_STATUSES])
        )
        stmt = stmt.where(RefugeeProfile.id.not_in(open_agreements))
    if filters.status:
        stmt = stmt.where(RefugeeProfile.status == RefugeeStatus(filters.status))
    else:
        stmt = stmt.where(RefugeeProfile.status != RefugeeStatus.MERGED)
    return stmt


def spoken_languages() -> list[str]:
    return profiles.spoken_languages(RefugeeLanguage)


def profile_for_coordinator(profile_id: int, user: User) -> RefugeeProfile | None:
    """A record as ``user`` opens it (None outside their scope); the view is logged (special-category data)."""
    return profiles.open_for_coordinator(RefugeeProfile, profile_id, "refugee.viewed", user)


def record_in_scope(profile_id: int | None, user: User, action: str = "view") -> RefugeeProfile | None:
    """The record if ``user`` may do ``action`` with it; None if it does not exist for them."""
    return policies.record_for(user, action, RefugeeProfile, profile_id)


def hand_over(profile: RefugeeProfile, locality_id: str, note: str, actor: User) -> None:
    """A refugee who moved: their place changes, and with it the area responsible; the note goes to the audit."""
    moved_from = profile.locality_id
    profile.locality_id = locality_id
    audit.record("refugee.handed_over", profile, actor=actor, moved_from=moved_from, moved_to=locality_id, note=note)
    db.session.commit()
