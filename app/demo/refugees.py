"""Demo refugees and households for a rural district.

Origins and languages follow DOMAIN.md: Syria, Afghanistan, Iraq, Iran,
Eritrea, Somalia and, since 2022, Ukraine; two thirds of the contact persons
are men and nine in ten are under 40. Households are young single men,
families, single women with children, a few unaccompanied minors (UMA) and
older couples. A few people are registered twice with other spellings, so
that the duplicate warning has something to find.
"""

import random
from datetime import date

from app.consents import set_consent
from app.demo.common import LOCALITY_WEIGHTS
from app.models import (
    TIME_SLOTS,
    ConsentPurpose,
    Gender,
    HelpCategory,
    HouseholdMember,
    LanguageLevel,
    RefugeeAvailability,
    RefugeeInterest,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    Relation,
    ResidenceStatus,
    Role,
    Urgency,
    User,
    utcnow,
)

REFUGEE_COUNT = 300

# origin: (weight, languages with native level, interface language, residence statuses, first names, surnames)
ORIGINS = {
    "syria": (
        30,
        [("ar", None), ("ku", 0.2)],
        "ar",
        [ResidenceStatus.RECOGNISED, ResidenceStatus.ASYLUM_PENDING],
        {
            Gender.MALE: ["Mohammed", "Ahmad", "Omar", "Khaled", "Yusuf", "Hassan", "Mahmoud", "Ali"],
            Gender.FEMALE: ["Fatima", "Amal", "Rania", "Lina", "Noor", "Hiba", "Aya"],
        },
        ["Al-Hassan", "Haddad", "Khalil", "Darwish", "Al-Ahmad", "Hamdan", "Sabbagh", "Mansour"],
    ),
    "afghanistan": (
        20,
        [("fa", None)],
        "fa_AF",  # Dari
        [ResidenceStatus.ASYLUM_PENDING, ResidenceStatus.TOLERATED],
        {
            Gender.MALE: ["Ahmad", "Mohammad", "Farid", "Jawad", "Naweed", "Reza", "Sayed"],
            Gender.FEMALE: ["Zahra", "Maryam", "Fatemeh", "Shabnam", "Parwana"],
        },
        ["Ahmadi", "Hosseini", "Karimi", "Rahimi", "Sultani", "Noori", "Popal"],
    ),
    "afghanistan-pashto": (
        8,
        [("ps", None), ("fa", 0.6)],
        "ps",
        [ResidenceStatus.ASYLUM_PENDING],
        {
            Gender.MALE: ["Gul", "Wahid", "Hamid", "Zabihullah", "Noorullah"],
            Gender.FEMALE: ["Malalai", "Nazia", "Gulalai"],
        },
        ["Khan", "Zazai", "Mohmand", "Stanikzai"],
    ),
    "iraq": (
        10,
        [("ar", None), ("ku", 0.4)],
        "ar",
        [ResidenceStatus.ASYLUM_PENDING, ResidenceStatus.TOLERATED],
        {Gender.MALE: ["Hussein", "Ali", "Karim", "Mustafa"], Gender.FEMALE: ["Zainab", "Sara", "Huda"]},
        ["Al-Jabouri", "Kareem", "Saleh", "Murad"],
    ),
    "kurdistan": (
        6,
        [("ku", None), ("tr", 0.5)],
        "ku",
        [ResidenceStatus.ASYLUM_PENDING],
        {Gender.MALE: ["Diyar", "Baran", "Rojhat", "Serhat"], Gender.FEMALE: ["Berfin", "Rojda", "Zozan"]},
        ["Bozkurt", "Aydin", "Hesen", "Ekinci"],
    ),
    "eritrea": (
        8,
        [("ti", None), ("ar", 0.2)],
        "ti",
        [ResidenceStatus.RECOGNISED, ResidenceStatus.ASYLUM_PENDING],
        {
            Gender.MALE: ["Yonas", "Dawit", "Tesfay", "Filmon", "Samuel"],
            Gender.FEMALE: ["Senait", "Helen", "Yohana", "Selam"],
        },
        ["Tesfamariam", "Gebremedhin", "Haile", "Berhane", "Kidane"],
    ),
    "iran": (
        4,
        [("fa", None)],
        "fa",
        [ResidenceStatus.ASYLUM_PENDING],
        {Gender.MALE: ["Amir", "Babak", "Hamed"], Gender.FEMALE: ["Narges", "Leila", "Shirin"]},
        ["Moradi", "Jafari", "Rostami"],
    ),
    "somalia": (
        3,
        [("so", None)],
        "en",
        [ResidenceStatus.ASYLUM_PENDING],
        {Gender.MALE: ["Abdi", "Mohamed", "Ahmed"], Gender.FEMALE: ["Hodan", "Asha", "Ifrah"]},
        ["Warsame", "Hassan", "Farah"],
    ),
    "ukraine": (
        15,
        [("uk", None), ("ru", 1.0)],
        "uk",
        [ResidenceStatus.TEMPORARY_PROTECTION],
        {
            Gender.FEMALE: ["Olena", "Iryna", "Natalia", "Oksana", "Tetiana", "Yulia"],
            Gender.MALE: ["Andrii", "Serhii", "Oleksandr"],
        },
        ["Kovalenko", "Shevchenko", "Bondarenko", "Melnyk", "Tkachenko", "Kravchenko"],
    ),
}
# household kind: (weight, contact gender share female, contact age range)
HOUSEHOLDS = {
    "single_man": (33, 0.0, (18, 32)),
    "family": (35, 0.3, (24, 46)),
    "single_mother": (17, 1.0, (20, 42)),
    "minor": (5, 0.15, (15, 17)),
    "older_couple": (10, 0.4, (46, 68)),
}
NEEDS = {
    "single_man": [
        "german_practice",
        "job_search",
        "paperwork",
        "sport",
        "housing_search",
        "bicycle",
        "authority_accompaniment",
        "mentoring",
        "culture_leisure",
    ],
    "family": [
        "homework_help",
        "education_sponsorship",
        "housing_search",
        "paperwork",
        "authority_accompaniment",
        "mentoring",
        "german_practice",
        "driving",
        "first_care",
    ],
    "single_mother": [
        "childcare",
        "homework_help",
        "paperwork",
        "authority_accompaniment",
        "german_practice",
        "mentoring",
        "housing_search",
        "first_care",
    ],
    "minor": ["education_sponsorship", "homework_help", "mentoring", "sport", "german_practice"],
    "older_couple": [
        "authority_accompaniment",
        "paperwork",
        "driving",
        "german_practice",
        "culture_leisure",
        "interpreting",
    ],
}
# What people like to do: keys they tick, most liked first (weights), and in their notes their own words
# for some of them, in their mother tongue: the engine matches the keys, coordinators read the words.
INTERESTS = {
    "football": 12,
    "cooking": 10,
    "volleyball": 5,
    "music": 5,
    "sewing": 4,
    "drawing": 3,
    "reading": 3,
    "chess": 3,
    "cricket": 3,
    "swimming": 3,
    "cycling": 3,
    "computers": 3,
    "children": 3,
    "meeting_people": 3,
    "fitness": 2,
}
OWN_WORDS = {
    "ar": {
        "football": "كرة القدم",
        "cooking": "الطبخ",
        "volleyball": "كرة الطائرة",
        "music": "الموسيقى",
        "sewing": "الخياطة",
        "drawing": "الرسم",
        "reading": "القراءة",
        "chess": "الشطرنج",
    },
    "fa": {
        "football": "فوتبال",
        "cooking": "آشپزی",
        "volleyball": "والیبال",
        "cricket": "کرکت",
        "music": "موسیقی",
        "sewing": "خیاطی",
        "reading": "کتاب خواندن",
        "chess": "شطرنج",
    },
    "ps": {"football": "فوټبال", "cricket": "کرکټ", "volleyball": "والیبال", "cooking": "پخلی", "sewing": "خیاطي"},
    "ku": {"football": "futbol", "cooking": "xwarin çêkirin", "music": "muzîk", "sewing": "dirûtin"},
    "ti": {"football": "ኩዕሶ እግሪ", "cooking": "ምግቢ ምስራሕ", "music": "ሙዚቃ", "cycling": "ብሽክለታ"},
    "so": {"football": "kubadda cagta", "cooking": "karinta cuntada", "reading": "akhris"},
    "uk": {
        "football": "футбол",
        "cooking": "кулінарія",
        "volleyball": "волейбол",
        "music": "музика",
        "drawing": "малювання",
        "reading": "читання",
        "chess": "шахи",
        "swimming": "плавання",
    },
}
# Households registered a second time (at another office, without a phone), their name spelled differently.
RE_REGISTRATIONS = (7, 42, 101, 188)
RESPELLINGS = [
    ("Mohammed", "Muhammad"),
    ("Mohammad", "Muhammad"),
    ("Ahmad", "Ahmed"),
    ("Al-", "Al "),
    ("ss", "s"),
    ("dd", "d"),
    ("ou", "u"),
    ("ii", "i"),
    ("y", "i"),
    ("e", "i"),
]
GERMAN = [(None, 30), (LanguageLevel.A1, 35), (LanguageLevel.A2, 20), (LanguageLevel.B1, 12), (LanguageLevel.B2, 3)]


def _pick(rng: random.Random, weighted: dict):
    return rng.choices(list(weighted), weights=[entry[0] for entry in weighted.values()])[0]


def _members(rng: random.Random, kind: str, age: int) -> list[HouseholdMember]:
    children = {"family": rng.randint(1, 4), "single_mother": rng.randint(1, 3)}.get(kind, 0)
    members = (
        [HouseholdMember(relation=Relation.PARTNER, age=max(18, age + rng.randint(-6, 4)))]
        if kind in ("family", "older_couple")
        else []
    )
    members += [
        HouseholdMember(relation=Relation.CHILD, age=rng.randint(0, min(17, age - 17))) for _ in range(children)
    ]
    if kind == "older_couple" and rng.random() < 0.3:
        members.append(HouseholdMember(relation=Relation.CHILD, age=rng.randint(18, 25)))
    return members


def _interests(rng: random.Random, profile: RefugeeProfile, mother_tongue: str) -> None:
    """Ticked interests, and for most people a note naming some of them in their mother tongue."""
    keys = set(rng.choices(list(INTERESTS), weights=list(INTERESTS.values()), k=rng.randint(0, 4)))
    profile.interests = [RefugeeInterest(key=key) for key in sorted(keys)]
    words = [OWN_WORDS.get(mother_tongue, {}).get(key) for key in sorted(keys)]
    if rng.random() < 0.6:
        comma = "، " if mother_tongue in ("ar", "fa", "ps") else ", "  # the Arabic comma in Arabic script
        profile.interests_note = comma.join(filter(None, words))


# The first demo household logs in with this phone number (README's demo logins).
DEMO_REFUGEE_PHONE = "+4917630000001"


def demo_refugee(
    rng: random.Random,
    index: int,
    password_hash: str,
    categories: dict[str, HelpCategory],
    locality_ids: list[str],
    coordinator: User,
) -> User:
    """The ``index``-th demo household, drawn from ``rng``."""
    origin = _pick(rng, ORIGINS)
    _, languages, interface, statuses, first_names, surnames = ORIGINS[origin]
    kind = _pick(rng, HOUSEHOLDS)
    _, female_share, (low, high) = HOUSEHOLDS[kind]
    gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
    if gender not in first_names:
        gender = next(iter(first_names))
    age = rng.randint(low, high)
    name = f"{rng.choice(first_names[gender])} {rng.choice(surnames)}"
    assisted = rng.random() < 0.35  # registered at a welcome café by coordination
    user = User(
        full_name=name,
        phone=f"+49176{30000000 + index}",  # DEMO_REFUGEE_PHONE for the first
        role=Role.REFUGEE,
        preferred_language=interface,
        password_hash=password_hash,
    )
    german = rng.choices([level for level, _ in GERMAN], weights=[weight for _, weight in GERMAN])[0]
    needs = rng.sample(NEEDS[kind], k=rng.randint(1, 4))
    profile = RefugeeProfile(
        gender=gender,
        birth_year=date.today().year - age,
        german_level=german,
        locality_id=rng.choices(locality_ids, weights=[LOCALITY_WEIGHTS.get(loc, 1) for loc in locality_ids])[0],
        travel_km=rng.choice([0, 2, 5, 5, 10, 15]),
        preferred_mentor_gender=Gender.FEMALE if gender == Gender.FEMALE and rng.random() < 0.45 else None,
        registered_by=coordinator if assisted else None,
        steps_done=5,
        completed_at=utcnow(),
    )
    profile.members = _members(rng, kind, age)
    _interests(rng, profile, languages[0][0])
    profile.languages = [
        RefugeeLanguage(
            code=code,
            level=LanguageLevel.NATIVE
            if share is None
            else rng.choice([LanguageLevel.B1, LanguageLevel.B2, LanguageLevel.C1]),
        )
        for code, share in languages
        if share is None or rng.random() < share
    ]
    if rng.random() < 0.2:
        profile.languages.append(RefugeeLanguage(code="en", level=rng.choice([LanguageLevel.A2, LanguageLevel.B1])))
    profile.needs = [
        RefugeeNeed(category_key=key, urgency=Urgency.URGENT if rng.random() < 0.2 else Urgency.NEEDED)
        for key in needs
        if key in categories
    ]
    profile.availability = [
        RefugeeAvailability(slot=slot) for slot in sorted(rng.sample(TIME_SLOTS, k=rng.randint(3, 8)))
    ]
    user.refugee_profile = profile
    recorded_by = coordinator if assisted else None
    set_consent(user, ConsentPurpose.MATCHING, True, recorded_by=recorded_by)
    if rng.random() < 0.6:
        profile.residence_status = rng.choice(statuses)
        set_consent(user, ConsentPurpose.RESIDENCE_STATUS, True, recorded_by=recorded_by)
    return user


def respelled(name: str) -> str:
    """The name as another office might have written it down."""
    for written, heard in RESPELLINGS:
        if written in name:
            return name.replace(written, heard, 1)
    return name.upper()


def re_registration(original: User) -> User:
    """The household of ``original`` registered again elsewhere, with its name spelled differently."""
    profile = original.refugee_profile
    user = User(
        full_name=respelled(original.full_name),
        role=Role.REFUGEE,
        preferred_language=original.preferred_language,
        password_hash=original.password_hash,
    )
    user.refugee_profile = RefugeeProfile(
        gender=profile.gender,
        birth_year=profile.birth_year,
        locality_id=profile.locality_id,
        travel_km=profile.travel_km,
        german_level=profile.german_level,
        steps_done=2,
    )
    user.refugee_profile.languages = [RefugeeLanguage(code=row.code, level=row.level) for row in profile.languages]
    set_consent(user, ConsentPurpose.MATCHING, True)
    return user
