"""The police clearance rule (§72a SGB VIII): a certificate counts once coordination has seen it,
for ``CLEARANCE_VALID_YEARS`` after its date of issue.

One rule, asked two ways: of a profile (:func:`clearance_status`) and of the
database (:func:`clearance_condition`, for filtering lists).
"""

from datetime import date

from flask import current_app
from sqlalchemy import and_

from app.models import ClearanceStatus, VolunteerProfile


def clearance_cutoff(today: date | None = None) -> date:
    """Certificates issued before this day are too old."""
    today = today or date.today()
    years = current_app.config["CLEARANCE_VALID_YEARS"]
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def clearance_status(profile: VolunteerProfile) -> ClearanceStatus:
    if profile.clearance_issued_on is None:
        return ClearanceStatus.NONE
    if profile.clearance_checked_on is None:
        return ClearanceStatus.UNCHECKED
    if profile.clearance_issued_on < clearance_cutoff():
        return ClearanceStatus.EXPIRED
    return ClearanceStatus.VALID


def clearance_condition(status: ClearanceStatus):
    """A condition on ``VolunteerProfile`` that holds for the profiles whose clearance has ``status``."""
    cutoff = clearance_cutoff()
    issued, checked = VolunteerProfile.clearance_issued_on, VolunteerProfile.clearance_checked_on
    return {
        ClearanceStatus.NONE: issued.is_(None),
        ClearanceStatus.UNCHECKED: and_(issued.is_not(None), checked.is_(None)),
        ClearanceStatus.VALID: and_(checked.is_not(None), issued >= cutoff),
        ClearanceStatus.EXPIRED: and_(checked.is_not(None), issued < cutoff),
    }[status]
