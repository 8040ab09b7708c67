"""Demo volunteers for a rural district (Kreis Soest).

The mix follows the field reports: many volunteers are 50 or older, a good
share are former teachers and retirees, some are pupils and students, and
about one in seven came as refugees themselves and now volunteer as
"Brückenbauer" who interpret.
"""

import random
from datetime import date, timedelta

from app.consents import set_consent
from app.demo.common import LOCALITY_WEIGHTS, ascii_name
from app.models import (
    TIME_SLOTS,
    Commitment,
    ConsentPurpose,
    Gender,
    HelpCategory,
    LanguageLevel,
    Resilience,
    Role,
    User,
    VolunteerAvailability,
    VolunteerInterest,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
    utcnow,
)

VOLUNTEER_COUNT = 150

GERMAN_FIRST = {
    Gender.FEMALE: [
        "Ursula",
        "Monika",
        "Gabriele",
        "Renate",
        "Karin",
        "Brigitte",
        "Petra",
        "Sabine",
        "Andrea",
        "Claudia",
        "Susanne",
        "Birgit",
        "Anna",
        "Lena",
        "Marie",
        "Sophie",
        "Hannah",
        "Lea",
        "Julia",
    ],
    Gender.MALE: [
        "Klaus",
        "Jürgen",
        "Peter",
        "Wolfgang",
        "Dieter",
        "Hans",
        "Bernd",
        "Frank",
        "Thomas",
        "Michael",
        "Stefan",
        "Andreas",
        "Jonas",
        "Lukas",
        "Felix",
        "Paul",
        "Tim",
        "Niklas",
        "Werner",
    ],
}
GERMAN_LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Hofmann",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Köhler",
]
# Volunteers who came as refugees: (native language, first names by gender, surnames)
BRIDGE_BUILDERS = [
    (
        "ar",
        {Gender.FEMALE: ["Amal", "Rania", "Lina"], Gender.MALE: ["Ahmad", "Omar", "Khaled", "Yusuf"]},
        ["Al-Hassan", "Haddad", "Khalil", "Darwish"],
    ),
    (
        "fa",
        {Gender.FEMALE: ["Maryam", "Zahra", "Fatemeh"], Gender.MALE: ["Ali", "Reza", "Farid"]},
        ["Ahmadi", "Hosseini", "Karimi", "Rahimi"],
    ),
    (
        "ti",
        {Gender.FEMALE: ["Senait", "Helen", "Yohana"], Gender.MALE: ["Yonas", "Dawit", "Tesfay"]},
        ["Tesfamariam", "Gebremedhin", "Haile"],
    ),
    ("ku", {Gender.FEMALE: ["Berfin", "Rojda"], Gender.MALE: ["Diyar", "Baran"]}, ["Bozkurt", "Aydin", "Hesen"]),
    (
        "uk",
        {Gender.FEMALE: ["Olena", "Iryna", "Natalia", "Oksana"], Gender.MALE: ["Andrii", "Serhii"]},
        ["Kovalenko", "Shevchenko", "Bondarenko", "Melnyk"],
    ),
]
# What volunteers write (German) → the interest they tick; None: no interest of the list says it.
INTERESTS = {
    "Gärtnern": "gardening",
    "Schach": "chess",
    "Kochen": "cooking",
    "Fußball": "football",
    "Radfahren": "cycling",
    "Wandern": "hiking",
    "Musik": "music",
    "Chor": "singing",
    "Lesen": "reading",
    "Nähen": "sewing",
    "Handwerk": "diy",
    "Fotografie": "photography",
    "Schwimmen": "swimming",
    "Backen": "baking",
    "Geschichte": "history",
    "Malen": "drawing",
    "Tischtennis": None,
    "Computer": "computers",
}
PROFESSIONS = {
    "retiree": [
        "Lehrerin im Ruhestand",
        "Lehrer im Ruhestand",
        "Krankenschwester im Ruhestand",
        "Rentner, früher Elektriker",
        "Rentnerin, früher Verwaltung",
        "Ingenieur im Ruhestand",
        "Pfarrer im Ruhestand",
    ],
    "employee": [
        "Sozialarbeiterin",
        "Bankkaufmann",
        "Erzieherin",
        "Polizist",
        "Ärztin",
        "Industriemechaniker",
        "Verkäuferin",
        "Landwirt",
        "Architektin",
        "Bürokaufmann",
    ],
    "student": [
        "Studentin Lehramt",
        "Student Soziale Arbeit",
        "Schülerin (Oberstufe)",
        "Schüler (Oberstufe)",
        "Studentin Medizin",
    ],
    "bridge": [
        "Dolmetscher",
        "Pflegehelferin",
        "Student Informatik",
        "Lehrerin (Abschluss in der Heimat)",
        "Elektriker",
        "Busfahrer",
    ],
}
LIFE_STAGES = [
    ("retiree", 0.40, (62, 80)),
    ("employee", 0.35, (30, 61)),
    ("student", 0.10, (16, 27)),
    ("bridge", 0.15, (22, 50)),
]
OFFERS_BY_STAGE = {
    "retiree": [
        "mentoring",
        "german_practice",
        "homework_help",
        "authority_accompaniment",
        "paperwork",
        "bicycle",
        "driving",
        "clothing_store",
        "culture_leisure",
        "round_table",
        "first_care",
        "housing_search",
    ],
    "employee": [
        "mentoring",
        "job_search",
        "paperwork",
        "driving",
        "sport",
        "housing_search",
        "round_table",
        "german_practice",
    ],
    "student": ["homework_help", "education_sponsorship", "german_practice", "sport", "culture_leisure", "childcare"],
    "bridge": ["interpreting", "authority_accompaniment", "first_care", "mentoring", "public_transport"],
}
SLOTS_BY_STAGE = {
    "retiree": [s for s in TIME_SLOTS if not s.endswith("evening")],
    "employee": [s for s in TIME_SLOTS if s.endswith("evening") or s.startswith(("sat", "sun"))],
    "student": [s for s in TIME_SLOTS if s.endswith("afternoon")],
    "bridge": list(TIME_SLOTS),
}


def _languages(rng: random.Random, stage: str, bridge_language: str | None) -> dict[str, LanguageLevel]:
    levels = list(LanguageLevel)
    if bridge_language:
        spoken = {bridge_language: LanguageLevel.NATIVE, "de": rng.choice(levels[2:5])}
        if bridge_language in ("fa", "ku"):
            spoken["ps" if bridge_language == "fa" else "ar"] = rng.choice(levels[1:4])
        if bridge_language == "uk":
            spoken["ru"] = LanguageLevel.C2
        return spoken
    spoken = {"de": LanguageLevel.NATIVE}
    if rng.random() < (0.45 if stage == "retiree" else 0.85):
        spoken["en"] = rng.choice(levels[1:5])
    for code, share in (("fr", 0.15), ("ru", 0.05), ("tr", 0.04), ("ar", 0.03), ("es", 0.05)):
        if rng.random() < share:
            spoken[code] = rng.choice(levels[0:4])
    return spoken


# The first demo volunteer logs in with a fixed address (README's demo logins), active and with room for
# a sponsorship, so that the volunteer's side can be tried without looking anyone up.
DEMO_VOLUNTEER = "freiwillig@example.org"


def demo_volunteer(
    rng: random.Random, index: int, password_hash: str, categories: dict[str, HelpCategory], locality_ids: list[str]
) -> User:
    """The ``index``-th demo volunteer, drawn from ``rng``."""
    stage = rng.choices([s[0] for s in LIFE_STAGES], weights=[s[1] for s in LIFE_STAGES])[0]
    age_range = next(s[2] for s in LIFE_STAGES if s[0] == stage)
    gender = Gender.FEMALE if rng.random() < 0.6 else Gender.MALE
    if rng.random() < 0.02:
        gender = Gender.DIVERSE
    name_gender = gender if gender != Gender.DIVERSE else rng.choice([Gender.FEMALE, Gender.MALE])
    bridge_language = None
    if stage == "bridge":
        bridge_language, first_names, last_names = rng.choice(BRIDGE_BUILDERS)
        first, last = rng.choice(first_names[name_gender]), rng.choice(last_names)
    else:
        first, last = rng.choice(GERMAN_FIRST[name_gender]), rng.choice(GERMAN_LAST)
    user = User(
        email=DEMO_VOLUNTEER if index == 1 else f"{ascii_name(first)}.{ascii_name(last)}.{index}@example.org",
        full_name=f"{first} {last}",
        role=Role.VOLUNTEER,
        password_hash=password_hash,
        preferred_language="de",
    )
    weights = [LOCALITY_WEIGHTS.get(loc, 1) for loc in locality_ids]
    has_car = stage != "student" and rng.random() < 0.7
    offers = rng.sample(OFFERS_BY_STAGE[stage], k=rng.randint(1, 3))
    if has_car and "driving" not in offers and rng.random() < 0.25:
        offers.append("driving")
    slots = rng.sample(SLOTS_BY_STAGE[stage], k=rng.randint(2, 6))
    clearance = rng.random() < 0.4 or "education_sponsorship" in offers or "childcare" in offers
    issued = date.today() - timedelta(days=rng.randint(30, 6 * 365)) if clearance else None
    checked = min(issued + timedelta(days=rng.randint(1, 30)), date.today()) if issued and rng.random() < 0.7 else None
    profile = VolunteerProfile(
        phone=f"+49{rng.choice(['151', '160', '176'])}{rng.randint(10000000, 99999999)}",
        gender=gender,
        birth_year=date.today().year - rng.randint(*age_range),
        locality_id=rng.choices(locality_ids, weights=weights)[0],
        travel_km=rng.choice([2, 5, 10, 15, 20, 30]) if has_car else rng.choice([0, 2, 5, 8]),
        travels_by_car=has_car,
        travels_by_bicycle=rng.random() < 0.5,
        travels_by_public_transport=rng.random() < 0.5,
        hours_per_month=rng.choice([4, 6, 8, 10, 16, 20]),
        commitment=rng.choice(list(Commitment)),
        capacity=rng.choices([0, 1, 2, 3], weights=[2, 5, 3, 1])[0],
        mentors_women=True,
        mentors_men=rng.random() < 0.8 or gender == Gender.MALE,
        mentors_diverse=rng.random() < 0.7,
        works_with_children=clearance or rng.random() < 0.3,
        clearance_issued_on=issued,
        clearance_checked_on=checked,
        physical_resilience=rng.choice(list(Resilience)),
        emotional_resilience=rng.choice(list(Resilience)),
        profession=rng.choice(PROFESSIONS[stage]),
        status=rng.choices(list(VolunteerStatus), weights=[85, 10, 5])[0],
        steps_done=4,
        completed_at=utcnow(),
    )
    if index == 1:  # after every draw, so that the other volunteers stay who they were
        profile.status, profile.capacity = VolunteerStatus.ACTIVE, max(profile.capacity, 1)
    profile.languages = [
        VolunteerLanguage(code=code, level=level) for code, level in _languages(rng, stage, bridge_language).items()
    ]
    profile.offers = [categories[key] for key in offers]
    words = rng.sample(list(INTERESTS), k=rng.randint(1, 4))
    profile.interests = [VolunteerInterest(key=key) for key in sorted({INTERESTS[w] for w in words} - {None})]
    if rng.random() < 0.5:
        profile.interests_note = ", ".join(words)
    profile.availability = [VolunteerAvailability(slot=slot) for slot in sorted(slots)]
    user.volunteer_profile = profile
    set_consent(user, ConsentPurpose.MATCHING, True)
    set_consent(user, ConsentPurpose.CONTACT_LISTS, rng.random() < 0.7)
    set_consent(user, ConsentPurpose.EMAIL_CONTACT, rng.random() < 0.8)
    return user
