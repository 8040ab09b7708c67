"""Seeded generator of realistic matching problems (distributions from the field reports).

``generate(n_mentees, n_volunteers, seed)`` returns ``(problem, planted)``:
a contract-valid problem dict and the planted pairs ``[(volunteer, mentee)]``.

Realism, following the field reports the project is built on:

* regimes (``regime``), because a benchmark must not only measure what is easy:

  - ``sparse`` — a state-wide deployment: the 14 towns of Kreis Soest,
    weighted by population, and beyond ``MENTEES_PER_LOCALITY`` mentees per
    town more synthetic towns on a jittered ~9 km grid around them;
    volunteers travel 3–30 km; capacity 0–4 (about 2 on average), places for
    most mentees. Each mentee reaches a hundred or two volunteers;
  - ``district`` — one dense district: only the 14 towns (about 40 km
    across), volunteers who mostly drive 15–30 km, places for about half of
    the mentees. Each mentee reaches hundreds to thousands of volunteers,
    and everyone's favourites are the same scarce people;
  - ``city`` — one city: quarters within about 6 km of the centre, so that
    almost everyone reaches almost everyone; places for about half;
* volunteers: mostly 50+ (rural), 60 % women, German native, English for
  about half, 15 % refugees volunteering themselves ("Brückenbauer") with
  Arabic, Farsi, Ukrainian ... natively; police clearance for about half;
* mentees: origins Syria, Afghanistan, Iraq, Iran, Eritrea, Somalia,
  Western Balkans, Ukraine; little German (none to B1); two thirds male, 90 %
  under 40; households of 1–7, with minors in larger ones; women often ask
  for a female mentor; rarely a car (travel 0–10 km);
* ``questionnaire=True`` adds the questionnaire's optional fields (drawn
  from a random stream of their own, so the rest of the problem stays the
  same): a third of the mentees with one urgent need, one in ten also
  needing a group activity and 3 % only that (``settings.served_elsewhere``
  = the group activities); 15 % one-off helpers; hours per month for 80 %
  of the volunteers (4–20, some already committed), 4 hours per
  sponsorship;
* planted pairs: for ``planted_share`` of the mentees a volunteer built to be
  clearly their best partner (same town, their mother tongue only, exactly
  their needs, slots and interests, similar age, their gender). Capacity 2:
  such bridge builders are scarce, and coverage comes first, so with
  capacity 1 the engine rightly gives many of them to a compatriot who has
  nobody else (see bench/README.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The places the app ships (the 14 towns of Kreis Soest), read from the repository.
LOCALITIES_CSV = Path(__file__).resolve().parents[1] / "app" / "data" / "localities.csv"
MENTEES_PER_LOCALITY = 250
GRID_KM = 9.0
CITY_RADIUS_KM = 6.0
CITY_QUARTER_KM = 1.5
MENTEES_PER_QUARTER = 1250


@dataclass(frozen=True)
class Regime:
    """How a generated problem is shaped: where people live, how far they go, how many places."""

    places: str  # "state": towns spread over a state; "district": the 14 towns; "city": quarters of one town
    volunteer_travel_km: tuple[tuple[int, ...], tuple[float, ...]]  # choices, probabilities
    mentee_travel_km: tuple[tuple[int, ...], tuple[float, ...]]
    places_per_mentee: float | None  # total capacity / mentees; None: as drawn (about 2 per volunteer)


MENTEE_TRAVEL_KM = ((0, 2, 3, 5, 8, 10), (0.15, 0.25, 0.2, 0.25, 0.1, 0.05))
REGIMES = {
    "sparse": Regime(
        "state", ((3, 5, 8, 10, 15, 20, 30), (0.1, 0.2, 0.2, 0.2, 0.15, 0.1, 0.05)), MENTEE_TRAVEL_KM, None
    ),
    "district": Regime(
        "district", ((5, 10, 15, 20, 25, 30), (0.05, 0.1, 0.25, 0.25, 0.15, 0.2)), MENTEE_TRAVEL_KM, 0.5
    ),
    "city": Regime(
        "city", ((3, 5, 8, 10, 15), (0.1, 0.2, 0.3, 0.25, 0.15)), ((0, 1, 2, 3, 5), (0.2, 0.2, 0.25, 0.2, 0.15)), 0.5
    ),
}
SOEST_POPULATION_K = {  # approximate inhabitants (thousands), for weighting towns
    "soest": 48,
    "lippstadt": 68,
    "werl": 32,
    "warstein": 25,
    "geseke": 21,
    "erwitte": 16,
    "ruethen": 11,
    "bad-sassendorf": 12,
    "ense": 12,
    "moehnesee": 12,
    "welver": 12,
    "lippetal": 12,
    "wickede": 12,
    "anroechte": 10,
}
PAIR_ACTIVITIES = [
    "mentoring",
    "education_sponsorship",
    "homework_help",
    "german_practice",
    "authority_accompaniment",
    "paperwork",
    "job_search",
    "housing_search",
    "childcare",
    "public_transport",
]
NEED_WEIGHTS = [30, 4, 8, 20, 14, 14, 10, 8, 4, 6]
GROUP_ACTIVITIES = [
    "interpreting",
    "driving",
    "bicycle",
    "sport",
    "culture_leisure",
    "first_care",
    "clothing_store",
    "round_table",
]
SLOTS = [
    f"{d}-{p}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for p in ("morning", "afternoon", "evening")
]
INTERESTS = [
    "football",
    "cooking",
    "gardening",
    "music",
    "reading",
    "hiking",
    "chess",
    "cycling",
    "swimming",
    "running",
    "painting",
    "photography",
    "baking",
    "volleyball",
    "basketball",
    "dancing",
    "yoga",
    "fishing",
    "history",
    "languages",
    "computers",
    "programming",
    "crafts",
    "sewing",
    "knitting",
    "theatre",
    "cinema",
    "travel",
    "camping",
    "drums",
    "guitar",
    "piano",
    "singing",
    "poetry",
    "table tennis",
    "dogs",
    "horses",
    "cars",
    "electronics",
    "carpentry",
    "calligraphy",
    "mathematics",
    "medicine",
    "nature",
    "birdwatching",
    "board games",
    "tea",
    "religion",
    "politics",
    "fashion",
]
ORIGINS = [  # (share, mother tongues, chance of a second home language)
    (0.35, ["ar"], ("ku", 0.1)),
    (0.12, ["fa"], ("ps", 0.2)),
    (0.08, ["ps"], ("fa", 0.5)),
    (0.10, ["ar"], ("ku", 0.5)),
    (0.05, ["fa"], None),
    (0.06, ["ti"], None),
    (0.03, ["so"], None),
    (0.05, ["sq"], ("sr", 0.3)),
    (0.16, ["uk"], ("ru", 0.8)),
]
BRIDGE_LANGUAGES = ["ar", "fa", "uk", "ti", "ps", "ku", "ru", "tr", "so"]


def _shipped_localities() -> list[tuple[str, float, float]]:
    with LOCALITIES_CSV.open(encoding="utf-8") as handle:
        return [(r["id"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)]


def _offset(lat0: float, lon0: float, dy_km: float, dx_km: float) -> tuple[float, float]:
    return round(lat0 + dy_km / 111.2, 5), round(lon0 + dx_km / (111.2 * np.cos(np.radians(lat0))), 5)


def _localities(n_mentees: int, rng: np.random.Generator, places: str) -> tuple[list[dict], np.ndarray]:
    rows = _shipped_localities()
    if places == "city":
        return _quarters(n_mentees, rng, rows[0])
    localities = [{"id": i, "lat": lat, "lon": lon} for i, lat, lon in rows]
    weights = [SOEST_POPULATION_K.get(i, 15) for i, _, _ in rows]
    extra = max(0, -(-n_mentees // MENTEES_PER_LOCALITY) - len(rows)) if places == "state" else 0
    side = int(np.ceil(np.sqrt(extra + len(rows)))) + 1
    cells = [(r, c) for r in range(-side, side + 1) for c in range(-side, side + 1)]
    cells.sort(key=lambda rc: (rc[0] ** 2 + rc[1] ** 2, rc))
    for k, (r, c) in enumerate(cells[len(rows) : len(rows) + extra]):
        dy, dx = (np.array([r, c]) + rng.uniform(-0.35, 0.35, 2)) * GRID_KM
        lat, lon = _offset(51.57, 8.2, dy, dx)
        localities.append({"id": f"town-{k:04d}", "lat": lat, "lon": lon})
        weights.append(float(np.clip(rng.lognormal(np.log(12), 0.6), 4, 80)))
    weights = np.array(weights, dtype=float)
    return localities, weights / weights.sum()


def _quarters(
    n_mentees: int, rng: np.random.Generator, centre: tuple[str, float, float]
) -> tuple[list[dict], np.ndarray]:
    """Quarters of one city on a jittered grid within CITY_RADIUS_KM of its centre."""
    town, lat0, lon0 = centre
    steps = int(CITY_RADIUS_KM // CITY_QUARTER_KM)
    cells = [(r, c) for r in range(-steps, steps + 1) for c in range(-steps, steps + 1)]
    cells = [rc for rc in cells if np.hypot(*rc) * CITY_QUARTER_KM <= CITY_RADIUS_KM]
    cells.sort(key=lambda rc: (rc[0] ** 2 + rc[1] ** 2, rc))
    cells = cells[: max(8, min(len(cells), -(-n_mentees // MENTEES_PER_QUARTER)))]
    localities = []
    for k, (r, c) in enumerate(cells):
        dy, dx = (np.array([r, c]) + rng.uniform(-0.3, 0.3, 2)) * CITY_QUARTER_KM
        lat, lon = _offset(lat0, lon0, dy, dx)
        localities.append({"id": f"{town}-{k + 1:02d}", "lat": lat, "lon": lon})
    weights = np.clip(rng.lognormal(np.log(10), 0.5, len(localities)), 3, 40)
    return localities, weights / weights.sum()


def _pick(rng: np.random.Generator, items: list, k: int, p=None) -> list:
    p = None if p is None else np.asarray(p, float) / np.sum(p)
    return [items[i] for i in sorted(rng.choice(len(items), size=min(k, len(items)), replace=False, p=p))]


def _interests(rng: np.random.Generator) -> list[str]:
    zipf = 1.0 / np.arange(1, len(INTERESTS) + 1) ** 0.8
    return _pick(rng, INTERESTS, int(rng.integers(0, 5)), zipf)


def _volunteer(k: int, rng: np.random.Generator, localities: list[dict], weights: np.ndarray, regime: Regime) -> dict:
    bridge = rng.random() < 0.15
    age = int(
        np.clip(rng.choice([rng.normal(21, 3), rng.normal(38, 8), rng.normal(64, 8)], p=[0.15, 0.2, 0.65]), 16, 85)
    )
    languages = {"de": "native"}
    if bridge:
        languages = {str(rng.choice(BRIDGE_LANGUAGES)): "native", "de": str(rng.choice(["B1", "B2", "C1"]))}
    if rng.random() < 0.5:
        languages["en"] = str(rng.choice(["A2", "B1", "B2", "C1"], p=[0.1, 0.35, 0.4, 0.15]))
    for code, share in (("fr", 0.08), ("ru", 0.04), ("tr", 0.03)):
        if rng.random() < share and code not in languages:
            languages[code] = str(rng.choice(["A2", "B1", "B2"]))
    offers = _pick(rng, PAIR_ACTIVITIES, int(rng.integers(2, 7)), NEED_WEIGHTS)
    offers += _pick(rng, GROUP_ACTIVITIES, int(rng.integers(0, 3)))
    if bridge:
        offers.append("interpreting")
    retired = age >= 63
    slot_weights = [
        3
        if (retired and not s.endswith("evening"))
        or (not retired and (s.endswith("evening") or s.startswith(("sat", "sun"))))
        else 1
        for s in SLOTS
    ]
    volunteer = {
        "id": f"v-{k:06d}",
        "gender": str(rng.choice(["f", "m", "d"], p=[0.6, 0.39, 0.01])),
        "age": age,
        "languages": languages,
        "offers": sorted(set(offers)),
        "availability": _pick(rng, SLOTS, int(rng.integers(2, 7)), slot_weights),
        "locality": localities[rng.choice(len(localities), p=weights)]["id"],
        "travel_km": int(rng.choice(regime.volunteer_travel_km[0], p=regime.volunteer_travel_km[1])),
        "capacity": int(rng.choice([0, 1, 2, 3, 4], p=[0.03, 0.30, 0.40, 0.17, 0.10])),
        "clearance": bool(rng.random() < 0.55),
        "max_groups": int(rng.choice([1, 2], p=[0.8, 0.2])),
        "interests": _interests(rng),
    }
    if rng.random() < 0.15:
        volunteer["accepts_genders"] = ["f"]
    if rng.random() < 0.3:
        volunteer["group_preferences"] = _pick(rng, GROUPS_IDS, int(rng.integers(1, 4)))
    return volunteer


def _mentee(k: int, rng: np.random.Generator, localities: list[dict], weights: np.ndarray, regime: Regime) -> dict:
    share, tongues, second = ORIGINS[rng.choice(len(ORIGINS), p=[o[0] for o in ORIGINS])]
    languages = {tongues[0]: "native"}
    if second and rng.random() < second[1]:
        languages[second[0]] = str(rng.choice(["B1", "B2", "C1", "native"]))
    german = rng.choice(["none", "A1", "A2", "B1", "B2"], p=[0.3, 0.3, 0.2, 0.15, 0.05])
    if german != "none":
        languages["de"] = str(german)
    if rng.random() < 0.25:
        languages.setdefault("en", str(rng.choice(["A2", "B1", "B2"])))
    gender = str(rng.choice(["m", "f", "d"], p=[0.66, 0.335, 0.005]))
    household = int(rng.choice([1, 2, 3, 4, 5, 6, 7], p=[0.35, 0.1, 0.12, 0.15, 0.12, 0.1, 0.06]))
    preferred = "f" if gender == "f" and rng.random() < 0.4 else ("m" if rng.random() < 0.03 else None)
    return {
        "id": f"r-{k:06d}",
        "gender": gender,
        "age": int(np.clip(rng.normal(30, 9), 17, 75)),
        "household_size": household,
        "involves_minors": bool(household >= 3 and rng.random() < 0.7),
        "languages": languages,
        "needs": _pick(rng, PAIR_ACTIVITIES, int(rng.integers(1, 5)), NEED_WEIGHTS),
        "availability": _pick(rng, SLOTS, int(rng.integers(3, 11))),
        "locality": localities[rng.choice(len(localities), p=weights)]["id"],
        "travel_km": int(rng.choice(regime.mentee_travel_km[0], p=regime.mentee_travel_km[1])),
        "preferred_mentor_gender": preferred,
        "interests": _interests(rng),
    }


def _planted_partner(k: int, mentee: dict, rng: np.random.Generator) -> dict:
    """A "bridge builder" of the mentee's own origin, made for this mentee and hardly anyone else."""
    tongue = next(code for code, level in mentee["languages"].items() if level == "native")
    return {
        "id": f"v-{k:06d}",
        "gender": mentee["preferred_mentor_gender"] or mentee["gender"],
        "age": mentee["age"] + int(rng.integers(-3, 4)),
        "languages": {tongue: "native"},
        "offers": list(mentee["needs"]),
        "availability": list(mentee["availability"]),
        "locality": mentee["locality"],
        "travel_km": 2,
        "capacity": 2,
        "clearance": True,
        "max_groups": 1,
        "accepts_genders": [mentee["gender"]],
        "interests": mentee["interests"] or ["football", "cooking"],
    }


GROUPS_IDS = [
    "interpreting-pool",
    "mobility",
    "bike-workshop",
    "sport",
    "welcome-cafe",
    "first-care",
    "clothing-store",
    "round-table",
]


def _groups(localities: list[dict], n_volunteers: int) -> list[dict]:
    scale = max(1, n_volunteers // 200)
    big_towns = [loc["id"] for loc in localities[:4]]
    return [
        {
            "id": "interpreting-pool",
            "requires_offer": "interpreting",
            "capacity": 10 * scale,
            "language_quota": {"ar": 3 * scale, "fa": 2 * scale, "uk": 2 * scale, "ti": scale},
        },
        {
            "id": "mobility",
            "requires_offer": "driving",
            "capacity": 8 * scale,
            "locality_quota": {town: scale for town in big_towns},
        },
        {
            "id": "bike-workshop",
            "requires_offer": "bicycle",
            "capacity": 5 * scale,
            "locality_quota": {big_towns[0]: scale},
        },
        {"id": "sport", "requires_offer": "sport", "capacity": 6 * scale},
        {
            "id": "welcome-cafe",
            "requires_offer": "culture_leisure",
            "capacity": 6 * scale,
            "language_quota": {"ar": scale},
        },
        {"id": "first-care", "requires_offer": "first_care", "capacity": 5 * scale},
        {"id": "clothing-store", "requires_offer": "clothing_store", "capacity": 5 * scale},
        {"id": "round-table", "requires_offer": "round_table", "capacity": 4 * scale},
    ]


def _limit_places(volunteers: list[dict], places: int, rng: np.random.Generator) -> None:
    """Remove places of ``volunteers``, drawn uniformly, until at most ``places`` remain."""
    owner = np.repeat(np.arange(len(volunteers)), [v["capacity"] for v in volunteers])
    surplus = len(owner) - max(0, places)
    if surplus > 0:
        for k in rng.choice(owner, size=surplus, replace=False).tolist():
            volunteers[k]["capacity"] -= 1


def _questionnaire(problem: dict, rng: np.random.Generator) -> None:
    """The questionnaire's optional fields: urgent needs, needs a group serves, commitment, hours."""
    for volunteer in problem["volunteers"]:
        if rng.random() < 0.15:
            volunteer["commitment"] = "one_off"
        if rng.random() < 0.8:
            volunteer["hours_per_month"] = int(rng.choice([4, 6, 8, 10, 16, 20]))
            volunteer["committed_hours"] = float(rng.choice([0, 0, 2, 4.5, 8]))
    for mentee in problem["mentees"]:
        if rng.random() < 0.3:
            mentee["urgent_needs"] = [str(rng.choice(mentee["needs"]))]
        if rng.random() < 0.1:
            mentee["needs"] = [*mentee["needs"], str(rng.choice(GROUP_ACTIVITIES))]
        elif rng.random() < 0.03:
            mentee["needs"] = [str(rng.choice(GROUP_ACTIVITIES))]
            mentee.pop("urgent_needs", None)
    problem["settings"].update(served_elsewhere=GROUP_ACTIVITIES, hours_per_sponsorship=4)


def _alike(problem: dict) -> None:
    """Everyone gives the same answers where answers can be alike: German, mentoring, Tuesday
    evening, no age, no interests. Places, travel, gender and clearance stay as drawn, so nearly
    all pairs within one pair of places score the same."""
    for volunteer in problem["volunteers"]:
        volunteer.update(languages={"de": "native"}, offers=["mentoring"], availability=["tue-evening"], interests=[])
        volunteer.pop("age", None)
    for mentee in problem["mentees"]:
        mentee.update(languages={"de": "B1"}, needs=["mentoring"], availability=["tue-evening"], interests=[])
        mentee.pop("age", None)


STRANDED_SHARE = 0.3
"""Mentees who speak only a language no volunteer speaks, for ``stranded=True``."""


def _stranded(problem: dict, keep: set[str], rng: np.random.Generator) -> None:
    """A share of the mentees (STRANDED_SHARE; not those in ``keep``: planted or locked) speak only Amharic,
    which no volunteer speaks, as when people arrive from a region nobody here comes from: nobody can take
    them, and each needs its unmatched reason."""
    for mentee in problem["mentees"]:
        if mentee["id"] not in keep and rng.random() < STRANDED_SHARE:
            mentee["languages"] = {"am": "native"}


POSTCODES = 2000
"""Places for ``postcodes=True``: about 25 mentees each at 50,000."""


def _postcodes(problem: dict, rng: np.random.Generator) -> None:
    """Everyone lives at one of about POSTCODES places spread around their own town (up to 3 km
    away), as where people are placed by postcode: the same regime, in many small groups. The
    towns stay listed (the groups' quotas name them)."""
    towns = problem["localities"]
    per_town = -(-POSTCODES // len(towns))
    postcodes = {
        town["id"]: [
            {
                "id": f"{town['id']}-{k:03d}",
                "lat": round(town["lat"] + float(rng.uniform(-0.027, 0.027)), 5),
                "lon": round(town["lon"] + float(rng.uniform(-0.04, 0.04)), 5),
            }
            for k in range(per_town)
        ]
        for town in towns
    }
    for person in problem["volunteers"] + problem["mentees"]:
        person["locality"] = postcodes[person["locality"]][int(rng.integers(per_town))]["id"]
    problem["localities"] = towns + [place for places in postcodes.values() for place in places]


def generate(
    n_mentees: int,
    n_volunteers: int,
    seed: int = 0,
    planted_share: float = 0.02,
    regime: str = "sparse",
    questionnaire: bool = False,
    alike: bool = False,
    postcodes: bool = False,
    ample: bool = False,
    stranded: bool = False,
) -> tuple[dict, list[tuple[str, str]]]:
    """A problem with ``n_mentees`` and ``n_volunteers`` (planted partners included), shaped by
    ``regime`` (a key of :data:`REGIMES`), with the questionnaire's optional fields if asked,
    everyone alike (:func:`_alike`), everyone placed by postcode (:func:`_postcodes`) and a share of mentees
    nobody can take (:func:`_stranded`) if asked; ``ample`` keeps the places the volunteers give (about two
    each) where the regime would limit them."""
    shape = REGIMES[regime]
    rng = np.random.default_rng(seed)
    localities, weights = _localities(n_mentees, rng, shape.places)
    mentees = [_mentee(k, rng, localities, weights, shape) for k in range(n_mentees)]
    n_planted = min(int(round(planted_share * n_mentees)), n_volunteers)
    planted_mentees = sorted(rng.choice(n_mentees, size=n_planted, replace=False)) if n_planted else []
    volunteers = [_planted_partner(k, mentees[m], rng) for k, m in enumerate(planted_mentees)]
    volunteers += [_volunteer(k, rng, localities, weights, shape) for k in range(n_planted, n_volunteers)]
    if shape.places_per_mentee is not None and not ample:
        _limit_places(volunteers[n_planted:], int(round(shape.places_per_mentee * n_mentees)) - 2 * n_planted, rng)
    order = rng.permutation(n_volunteers)  # planted partners must not be recognisable by id
    for volunteer, k in zip(volunteers, order, strict=True):
        volunteer["id"] = f"v-{k:06d}"
    planted = [(volunteers[i]["id"], mentees[m]["id"]) for i, m in enumerate(planted_mentees)]
    planted_ids = {m for _, m in planted}
    free_mentees = [m["id"] for m in mentees if m["id"] not in planted_ids]
    regular = [v["id"] for v in volunteers[n_planted:] if v["capacity"] > 0]
    locked = (
        [
            {"volunteer": str(rng.choice(regular)), "mentee": m}
            for m in rng.choice(free_mentees, size=min(len(free_mentees), n_mentees // 100), replace=False)
        ]
        if regular
        else []
    )
    excluded = (
        [
            {
                "volunteer": volunteers[rng.integers(n_volunteers)]["id"],
                "mentee": mentees[rng.integers(n_mentees)]["id"],
            }
            for _ in range(n_mentees // 200)
        ]
        if n_volunteers and n_mentees
        else []
    )
    problem = {
        "version": 1,
        "settings": {"min_language_level": "A2", "alternatives": 3, "min_score": 0.0},
        "localities": localities,
        "volunteers": volunteers,
        "mentees": mentees,
        "locked": locked,
        "excluded": excluded,
        "groups": _groups(localities, n_volunteers),
    }
    if questionnaire:
        _questionnaire(problem, np.random.default_rng([seed, 1]))
    if alike:
        _alike(problem)
    if postcodes:
        _postcodes(problem, np.random.default_rng([seed, 2]))
    if stranded:
        _stranded(problem, planted_ids | {pair["mentee"] for pair in locked}, np.random.default_rng([seed, 3]))
    return problem, planted
