"""Reading the audit log: who viewed, exported or changed whose data, filtered, paged and exported.

For admins and the data-protection officer. Every filter has an index that
ends in the time the list is sorted by (``app/models/audit.py``), so a
filtered page stays fast on millions of events. A person is found by name,
e-mail, phone number or account number; their events are those about their
account, their volunteer or refugee record, and the sponsorships and
proposals they are a party of.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from tempfile import SpooledTemporaryFile
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import joinedload

from app import audit
from app.errors import DomainError
from app.exports.services import csv_chunks
from app.extensions import db
from app.models import Agreement, AuditEvent, Proposal, RefugeeProfile, Role, User, VolunteerProfile
from app.phones import normalise_phone

# Staff whose actions the filter offers by name.
STAFF_ROLES = (Role.COORDINATOR, Role.ADMIN, Role.DPO)
# Events are counted up to this many (exact counts of millions cost more than a page); the CSV has them all.
COUNT_LIMIT = 10_000
# A search for a person that finds more than this asks for more detail.
MAX_PEOPLE = 20
# Rows fetched at a time for a CSV export, and how much of the file stays in memory before it goes to disk.
EXPORT_BATCH = 2000
EXPORT_IN_MEMORY = 8 * 1024 * 1024


class NoSuchPerson(DomainError):
    message = _l("Nobody with this name, e-mail address, phone number or number was found.")


class TooManyPeople(DomainError):
    message = _l("More than 20 people match. Please enter more of the name, or the e-mail address or phone number.")


class WhichPerson(Exception):
    """Several people match the search: the viewer picks one."""

    def __init__(self, people: list[User]):
        super().__init__(len(people))
        self.people = people


@dataclass(frozen=True)
class AuditFilters:
    person: str = ""
    person_id: int | None = None
    staff: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def staff_members() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.full_name, User.id)))


def actions() -> tuple[str, ...]:
    return audit.ACTIONS


def find_person(filters: AuditFilters) -> User | None:
    """The person the filters ask for, or None when they ask for nobody.

    Raises NoSuchPerson, TooManyPeople, or WhichPerson with the candidates.
    """
    if filters.person_id is not None:
        person = db.session.get(User, filters.person_id)
        if person is None:
            raise NoSuchPerson()
        return person
    text = filters.person.strip()
    if not text:
        return None
    conditions = [User.full_name.icontains(text, autoescape=True), User.email == text.lower()]  # trigram index
    phone = normalise_phone(text)
    if phone is not None:
        conditions.append(User.phone == phone)
    if text.isascii() and text.isdigit() and len(text) <= 9:
        conditions.append(User.id == int(text))
    people = list(db.session.scalars(select(User).where(or_(*conditions)).order_by(User.full_name, User.id).limit(21)))
    if not people:
        raise NoSuchPerson()
    if len(people) > MAX_PEOPLE:
        raise TooManyPeople()
    if len(people) > 1:
        raise WhichPerson(people)
    return people[0]


def _about(person: User):
    """Events about ``person``: their account, records, and the sponsorships and proposals they are part of."""
    subjects = {"User": [str(person.id)]}
    volunteer = db.session.scalar(select(VolunteerProfile.id).where(VolunteerProfile.user_id == person.id))
    refugee = db.session.scalar(select(RefugeeProfile.id).where(RefugeeProfile.user_id == person.id))
    agreements = []
    proposals = []
    if volunteer is not None:
        subjects["VolunteerProfile"] = [str(volunteer)]
        agreements.append(or_(Agreement.volunteer_id == volunteer, Agreement.second_volunteer_id == volunteer))
        proposals.append(Proposal.volunteer_id == volunteer)
    if refugee is not None:
        subjects["RefugeeProfile"] = [str(refugee)]
        agreements.append(Agreement.refugee_id == refugee)
        proposals.append(Proposal.refugee_id == refugee)
    if agreements:
        subjects["Agreement"] = [str(i) for i in db.session.scalars(select(Agreement.id).where(or_(*agreements)))]
        subjects["Proposal"] = [str(i) for i in db.session.scalars(select(Proposal.id).where(or_(*proposals)))]
    return or_(
        *(
            and_(AuditEvent.subject_type == kind, AuditEvent.subject_id.in_(ids))
            for kind, ids in subjects.items()
            if ids
        )
    )


def _utc_start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the installation's time zone."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def search(filters: AuditFilters, person: User | None) -> Select:
    """The events the filters select, newest first."""
    statement = select(AuditEvent)
    if person is not None:
        statement = statement.where(_about(person))
    if filters.staff:
        statement = statement.where(AuditEvent.actor_id == int(filters.staff))
    if filters.action:
        statement = statement.where(AuditEvent.action == filters.action)
    if filters.date_from:
        statement = statement.where(AuditEvent.created_at >= _utc_start_of(filters.date_from))
    if filters.date_to:
        statement = statement.where(AuditEvent.created_at < _utc_start_of(filters.date_to + timedelta(days=1)))
    return statement.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def subject_names(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """The names of the people the events are about, looked up together: (subject type, id) -> name."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.subject_type in ("User", "VolunteerProfile", "RefugeeProfile") and (event.subject_id or "").isdigit():
            wanted.setdefault(event.subject_type, set()).add(int(event.subject_id))
    names: dict[tuple[str, str], str] = {}
    for kind, model in (("VolunteerProfile", VolunteerProfile), ("RefugeeProfile", RefugeeProfile)):
        if wanted.get(kind):
            rows = db.session.execute(
                select(model.id, User.full_name).join(User, model.user_id == User.id).where(model.id.in_(wanted[kind]))
            )
            names.update(((kind, str(row_id)), name) for row_id, name in rows)
    if wanted.get("User"):
        rows = db.session.execute(select(User.id, User.full_name).where(User.id.in_(wanted["User"])))
        names.update((("User", str(row_id)), name) for row_id, name in rows)
    return names


def describe_detail(detail: dict | None) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted((detail or {}).items()))


def _csv_rows(statement: Select) -> Iterator[list[str]]:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    events = db.session.scalars(
        statement.execution_options(yield_per=EXPORT_BATCH).options(joinedload(AuditEvent.actor))
    )
    for batch in events.partitions():
        names = subject_names(batch)
        for event in batch:
            yield [
                event.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor.full_name if event.actor else "",
                (event.actor.email or "") if event.actor else "",
                event.action,
                event.subject_type or "",
                event.subject_id or "",
                names.get((event.subject_type, event.subject_id), ""),
                describe_detail(event.detail),
            ]


def export_csv(filters: AuditFilters, person: User | None, actor: User) -> SpooledTemporaryFile:
    """The selected events as a CSV file, read from the database in batches and kept in memory up to
    ``EXPORT_IN_MEMORY`` bytes, on disk beyond; the export itself is recorded in the audit log."""
    audit.record(
        "audit.exported",
        person,
        actor=actor,
        staff_member=filters.staff or None,
        selected_action=filters.action or None,
        date_from=filters.date_from.isoformat() if filters.date_from else None,
        date_to=filters.date_to.isoformat() if filters.date_to else None,
    )
    db.session.commit()
    headers = [
        _("When"),
        _("Staff member"),
        _("E-mail"),
        _("Action"),
        _("Record type"),
        _("Record number"),
        _("Person"),
        _("Details"),
    ]
    file = SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY)  # noqa: SIM115 (send_file closes it)
    for chunk in csv_chunks(headers, _csv_rows(search(filters, person))):
        file.write(chunk)
    file.seek(0)
    return file
