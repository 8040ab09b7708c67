"""Exporting a working group's contact list: only members who agreed, and every export logged."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, true
from sqlalchemy.orm import selectinload

from app import audit, policies
from app.consents import has_consent
from app.exports import formats
from app.extensions import db
from app.formatting import format_items
from app.forms import language_with_level
from app.models import ConsentPurpose, GroupMembership, MembershipStatus, User, VolunteerProfile, WorkingGroup
from app.phones import display_phone, is_mobile
from app.reference_data import label

# format: (media type, file extension, what the file name says about the format, in the user's language)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv", _l("contacts comma")),
    "csv-semicolon": ("text/csv; charset=utf-8", "csv", _l("contacts Excel semicolon")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", _l("contacts")),
    "vcf": ("text/vcard; charset=utf-8", "vcf", _l("contacts vCard 4")),
    "vcf3": ("text/vcard; charset=utf-8", "vcf", _l("contacts vCard 3")),
    "vcf3-zip": ("application/zip", "zip", _l("contacts Outlook one file each")),
}
HEADERS = [_l("Name"), _l("E-mail"), _l("Phone"), _l("Place"), _l("Languages"), _l("Role")]


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    mimetype: str
    people: int
    left_out: int


def _active_members(group: WorkingGroup, actor: User | None) -> list[GroupMembership]:
    """Active members with everything a list shows, in four queries whatever the group's size.

    Coordination gets the members in its scope; the group's leads (and the command line) get all of them.
    """
    profile = selectinload(GroupMembership.profile)
    within = policies.volunteers_in_scope(actor) if actor is not None and policies.is_staff(actor) else true()
    return list(
        db.session.scalars(
            select(GroupMembership)
            .join(GroupMembership.profile)
            .where(GroupMembership.group_id == group.id, GroupMembership.status == MembershipStatus.ACTIVE, within)
            .options(
                profile.selectinload(VolunteerProfile.user).selectinload(User.consents),
                profile.selectinload(VolunteerProfile.languages),
                profile.selectinload(VolunteerProfile.locality),
            )
        )
    )


def contact_table(group: WorkingGroup, actor: User | None = None) -> formats.Table:
    """The group's active members (those ``actor`` may see) who agreed to appear on contact lists, leads first."""
    members = sorted(_active_members(group, actor), key=lambda m: (not m.is_lead, m.profile.user.full_name.casefold()))
    listed = [m for m in members if has_consent(m.profile.user, ConsentPurpose.CONTACT_LISTS)]
    left_out = len(members) - len(listed)
    contacts = [
        formats.Contact(
            name=m.profile.user.full_name,
            email=m.profile.user.email or "",
            phone=m.profile.phone or "",
            phone_display=display_phone(m.profile.phone) if m.profile.phone else "",
            phone_is_mobile=bool(m.profile.phone) and is_mobile(m.profile.phone),
            place=label(m.profile.locality) if m.profile.locality else "",
            languages=format_items(language_with_level(row.code, row.level) for row in m.profile.languages),
            role=_("lead") if m.is_lead else _("member"),
        )
        for m in listed
    ]
    note = ngettext(
        "%(num)d member is not listed: they have not agreed to appear on contact lists.",
        "%(num)d members are not listed: they have not agreed to appear on contact lists.",
        left_out,
    )
    return formats.Table(group.name, [str(h) for h in HEADERS], contacts, left_out, note)


def csv_chunks(headers: list[str], rows: Iterable[Iterable[str]], delimiter: str = ",") -> Iterator[bytes]:
    """Any table as a streamed CSV file with the contact lists' protections (formula-safe, plain text)."""
    return formats.csv_chunks(headers, rows, delimiter)


WRITERS = {
    "csv": formats.as_csv,
    "csv-semicolon": lambda table: formats.as_csv(table, delimiter=";"),
    "xlsx": formats.as_xlsx,
    "vcf": formats.as_vcards,
    "vcf3": formats.as_vcards3,
    "vcf3-zip": formats.as_vcard3_zip,
}


def released_contacts(group: WorkingGroup, fmt: str, actor: User | None, locale: str) -> formats.Table:
    """The contact table of ``group``, recorded in the audit log as an export of personal data in ``fmt``."""
    with force_locale(locale):
        table = contact_table(group, actor)
    audit.record("group.exported", group, actor=actor, format=fmt, people=len(table.contacts), left_out=table.left_out)
    db.session.commit()
    return table


def export_contacts(group: WorkingGroup, fmt: str, actor: User | None, locale: str = "de") -> Export:
    """The contact list of ``group`` as a file in ``fmt`` (a key of ``FORMATS``), its name in ``locale``:
    the comma and the semicolon CSV get different names, so that one download does not replace the other."""
    table = released_contacts(group, fmt, actor, locale)
    mimetype, extension, label = FORMATS[fmt]
    with force_locale(locale):
        filename = f"{group.slug}-{formats.file_name(str(label))}-{date.today().isoformat()}.{extension}"
    return Export(WRITERS[fmt](table), filename, mimetype, len(table.contacts), table.left_out)


def _meeting_schedule(group: WorkingGroup) -> list[formats.Schedule]:
    if group.first_meeting_on is None or group.meeting_time is None:
        return []
    return [
        formats.Schedule(
            uid=f"group-{group.id}-{group.calendar_token[:8]}@brueckenbau",
            title=group.name,
            place=group.meeting_place,
            first_day=group.first_meeting_on,
            start=group.meeting_time,
            minutes=group.meeting_minutes,
            every_weeks=group.meeting_every_weeks,
        )
    ]


def meeting_calendar(group: WorkingGroup) -> bytes:
    """The group's meetings as an iCalendar file: when and where, no personal data."""
    return formats.as_icalendar(_meeting_schedule(group))


def rows_as_xlsx(title: str, headers: list[str], rows: list[list[str]]) -> bytes:
    """Any table as a workbook with the contact lists' protections (text cells, plain text)."""
    return formats.rows_as_xlsx(title, headers, rows)


def event_calendar(uid: str, title: str, place: str, begins: datetime, minutes: int) -> bytes:
    """One event (``begins`` in German local time) as an iCalendar file."""
    local = begins.astimezone(formats.BERLIN)
    event = formats.Schedule(uid, title, place, local.date(), local.time().replace(tzinfo=None), minutes, None)
    return formats.as_icalendar([event])
