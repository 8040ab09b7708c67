"""A year of demo sponsorships: started month by month, six-month terms, check-ins every few weeks.

Capacity holds at every moment (a volunteer never has more sponsorships
running at once than they offer), and each household has at most one, so the
result is what the app itself would allow.
"""

import random
from datetime import date, timedelta

from app.agreements.services import SIX_MONTHS
from app.models import Agreement, AgreementStatus, CheckIn, RefugeeProfile, User, VolunteerProfile, utcnow

SHARE_PER_MONTH = 0.025  # of the households, a new sponsorship each month
CANCELLED_SHARE = 0.08  # drafts that one side declined


def demo_sponsorships(
    rng: random.Random,
    volunteers: list[VolunteerProfile],
    refugees: list[RefugeeProfile],
    coordinator: User,
    months: int,
    today: date | None = None,
) -> list[Agreement]:
    today = today or date.today()
    running: dict[int, list[date]] = {v.id: [] for v in volunteers}  # end dates of each volunteer's sponsorships
    by_place: dict[str, list[VolunteerProfile]] = {}
    for volunteer in volunteers:
        by_place.setdefault(volunteer.locality_id, []).append(volunteer)
    waiting = list(refugees)
    rng.shuffle(waiting)
    agreements = []
    for month in range(months, 0, -1):
        for _ in range(round(len(refugees) * SHARE_PER_MONTH)):
            if not waiting:
                return agreements
            refugee = waiting.pop()
            starts = today - timedelta(days=30 * month - rng.randint(0, 29))
            nearby = by_place.get(refugee.locality_id) or volunteers
            free = [v for v in nearby if sum(end >= starts for end in running[v.id]) < v.capacity]
            if not free:
                continue
            volunteer = rng.choice(free)
            agreement = _agreement(rng, refugee, volunteer, coordinator, starts, today)
            if agreement.status != AgreementStatus.CANCELLED:
                running[volunteer.id].append(agreement.ends_on)
            agreements.append(agreement)
    return agreements


def _agreement(rng, refugee, volunteer, coordinator, starts: date, today: date) -> Agreement:
    ends = starts + timedelta(days=SIX_MONTHS)
    agreement = Agreement(
        refugee=refugee,
        volunteer=volunteer,
        contact_person=coordinator,
        starts_on=starts,
        ends_on=ends,
        meetings_per_month=rng.choice([2, 2, 4]),
        focus=[need.category for need in refugee.needs][:2],
        created_at=utcnow() - timedelta(days=(today - starts).days + 7),
    )
    if rng.random() < CANCELLED_SHARE:
        agreement.status, agreement.end_reason = AgreementStatus.CANCELLED, "declined"
        return agreement
    agreement.volunteer_agreed_at = agreement.refugee_agreed_at = agreement.approved_at = agreement.created_at
    agreement.approved_by = coordinator
    if ends < today:
        agreement.status, agreement.ended_on, agreement.end_reason = AgreementStatus.ENDED, ends, "term over"
    else:
        agreement.status = AgreementStatus.ACTIVE
    met = starts + timedelta(days=rng.randint(7, 28))
    while met <= min(ends, today):
        agreement.check_ins.append(CheckIn(author=volunteer.user, happened_on=met, note=""))
        met += timedelta(days=rng.randint(14, 42))
    return agreement
