"""All models, imported here so that Alembic and the app see one metadata."""

from app.models.appointment import (
    BOOKED_STATUSES,
    AllowanceRate,
    Appointment,
    AppointmentOffer,
    AppointmentStatus,
    OfferStatus,
)
from app.models.audit import AuditEvent
from app.models.common import DAY_PARTS, TIME_SLOTS, WEEKDAYS, Gender, LanguageLevel
from app.models.consent import Consent, ConsentPurpose
from app.models.group import GroupMembership, GroupQuota, MembershipStatus, QuotaKind, WorkingGroup
from app.models.jobs import ACTIVE_JOB_STATUSES, JobRun, JobStatus
from app.models.notification import Notification, NotificationPreference, SmsResetCode
from app.models.organisation import Area, Organisation, OrganisationKind, StaffMembership, StaffRole
from app.models.outbox import Channel, MessageStatus, OutboxMessage
from app.models.overview import OverviewSnapshot
from app.models.reference import BOOKABLE_FROM_THE_START, CategoryKind, HelpCategory, Locality
from app.models.refugee import (
    HouseholdMember,
    RefugeeAvailability,
    RefugeeInterest,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    RefugeeStatus,
    Relation,
    ResidenceStatus,
    Urgency,
    household_size,
    involves_minors,
)
from app.models.sponsorship import (
    DEFAULT_HOURS_PER_MEETING,
    DEFAULT_MEETINGS_PER_MONTH,
    HOLDING_STATUSES,
    Agreement,
    AgreementStatus,
    CheckIn,
    MatchRun,
    Proposal,
    ProposalStatus,
    UnmatchedRefugee,
)
from app.models.throttle import Throttle
from app.models.two_factor import RecoveryCode, SecondFactor
from app.models.types import utcnow
from app.models.user import Role, User
from app.models.volunteer import (
    ClearanceStatus,
    Commitment,
    Resilience,
    VolunteerAvailability,
    VolunteerInterest,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
    volunteer_offers,
)

__all__ = [
    "BOOKED_STATUSES",
    "BOOKABLE_FROM_THE_START",
    "AllowanceRate",
    "Appointment",
    "AppointmentOffer",
    "AppointmentStatus",
    "OfferStatus",
    "Area",
    "Organisation",
    "OrganisationKind",
    "StaffMembership",
    "StaffRole",
    "ACTIVE_JOB_STATUSES",
    "Channel",
    "JobRun",
    "JobStatus",
    "MessageStatus",
    "Notification",
    "NotificationPreference",
    "SmsResetCode",
    "OutboxMessage",
    "OverviewSnapshot",
    "DEFAULT_HOURS_PER_MEETING",
    "DEFAULT_MEETINGS_PER_MONTH",
    "HOLDING_STATUSES",
    "Agreement",
    "AgreementStatus",
    "CheckIn",
    "MatchRun",
    "Proposal",
    "ProposalStatus",
    "UnmatchedRefugee",
    "AuditEvent",
    "GroupMembership",
    "GroupQuota",
    "MembershipStatus",
    "QuotaKind",
    "WorkingGroup",
    "CategoryKind",
    "ClearanceStatus",
    "Commitment",
    "Consent",
    "ConsentPurpose",
    "DAY_PARTS",
    "Gender",
    "HelpCategory",
    "HouseholdMember",
    "LanguageLevel",
    "Locality",
    "RefugeeAvailability",
    "RefugeeInterest",
    "RefugeeLanguage",
    "RefugeeNeed",
    "RefugeeProfile",
    "RefugeeStatus",
    "Relation",
    "RecoveryCode",
    "ResidenceStatus",
    "Resilience",
    "Role",
    "SecondFactor",
    "Urgency",
    "TIME_SLOTS",
    "Throttle",
    "User",
    "VolunteerAvailability",
    "VolunteerInterest",
    "VolunteerLanguage",
    "VolunteerProfile",
    "VolunteerStatus",
    "WEEKDAYS",
    "household_size",
    "involves_minors",
    "utcnow",
    "volunteer_offers",
]
