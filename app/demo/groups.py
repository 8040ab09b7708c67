"""The demo district's round table and its working groups (as in Soest), with members and leads."""

import random
from datetime import date, time, timedelta

from app.models import GroupMembership, GroupQuota, MembershipStatus, QuotaKind, VolunteerProfile, WorkingGroup

# slug: (name, required offer, capacity, language quotas, place quotas, rhythm, place, weekday, hour, every weeks)
GROUPS = {
    "education": (
        "Arbeitskreis Bildung",
        "homework_help",
        30,
        {},
        {},
        "jeden zweiten Dienstag, 18 Uhr",
        "Bürgerzentrum Alter Schlachthof, Soest",
        1,
        18,
        2,
    ),
    "mobility": (
        "Arbeitskreis Mobilität",
        "driving",
        40,
        {},
        {"warstein": 2, "ruethen": 1, "geseke": 1},
        "monatlich, erster Montag, 19 Uhr",
        "Feuerwehrhaus Lippstadt",
        0,
        19,
        4,
    ),
    "sport": ("Arbeitskreis Sport", "sport", 25, {}, {}, "monatlich, Donnerstag, 19 Uhr", "Sporthalle Werl", 3, 19, 4),
    "culture": (
        "Arbeitskreis Kultur und Freizeit",
        "culture_leisure",
        30,
        {},
        {},
        "jeden zweiten Mittwoch",
        "Begegnungscafé Lippstadt",
        2,
        17,
        2,
    ),
    "interpreting-pool": (
        "Dolmetscherpool",
        "interpreting",
        40,
        {"ar": 3, "fa": 2, "ti": 2, "ps": 1, "uk": 2},
        {},
        "vierteljährlich",
        "Kreishaus Soest",
        2,
        18,
        12,
    ),
    "first-care": (
        "Arbeitskreis Erstversorgung",
        "first_care",
        25,
        {},
        {},
        "nach Bedarf",
        "Rathaus Soest",
        4,
        16,
        None,
    ),
    "clothing-store": (
        "Kleiderkammer",
        "clothing_store",
        20,
        {},
        {},
        "jeden Samstag, 10 Uhr",
        "Kleiderkammer Warstein",
        5,
        10,
        1,
    ),
    "job-search": (
        "Arbeitskreis Arbeit und Ausbildung",
        "job_search",
        20,
        {},
        {},
        "monatlich",
        "Jobcenter Soest",
        1,
        17,
        4,
    ),
}


def _next(weekday: int) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def demo_groups(volunteers: list[VolunteerProfile], rng: random.Random) -> list[WorkingGroup]:
    """The round table and its groups; volunteers who offer a group's activity become members, some ask to join."""
    round_table = WorkingGroup(
        slug="round-table",
        name="Runder Tisch Flüchtlingshilfe Kreis Soest",
        requires_offer="round_table",
        capacity=60,
        description="Stadt, Ehrenamtliche, Wohlfahrtsverbände, Kirchen, Vereine und der Integrationsrat.",
        meeting_rhythm="alle sechs Wochen, Montag 18 Uhr",
        meeting_place="Kreishaus Soest, Sitzungssaal",
        first_meeting_on=_next(0),
        meeting_time=time(18),
        meeting_every_weeks=6,
    )
    groups = [round_table]
    for slug, (name, offer, capacity, languages, places, rhythm, place, weekday, hour, weeks) in GROUPS.items():
        group = WorkingGroup(
            slug=slug,
            name=name,
            parent=round_table,
            requires_offer=offer,
            capacity=capacity,
            meeting_rhythm=rhythm,
            meeting_place=place,
            first_meeting_on=_next(weekday),
            meeting_time=time(hour),
            meeting_every_weeks=weeks,
        )
        group.quotas = [GroupQuota(kind=QuotaKind.LANGUAGE, key=k, minimum=n) for k, n in languages.items()] + [
            GroupQuota(kind=QuotaKind.LOCALITY, key=k, minimum=n) for k, n in places.items()
        ]
        groups.append(group)
    for group in groups:
        offering = [v for v in volunteers if group.requires_offer in {c.key for c in v.offers}]
        for index, volunteer in enumerate(offering):
            status = MembershipStatus.REQUESTED if rng.random() < 0.15 else MembershipStatus.ACTIVE
            if rng.random() < 0.65 or index == 0:
                group.memberships.append(
                    GroupMembership(
                        profile=volunteer, status=status, is_lead=index == 0 and status == MembershipStatus.ACTIVE
                    )
                )
    return groups
