"""Hypothesis strategies: small random but contract-valid problems."""

from __future__ import annotations

from hypothesis import strategies as st

LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
SLOTS = ["mon-evening", "tue-morning", "sat-afternoon", "sun-evening"]
ACTIVITIES = ["mentoring", "german_practice", "paperwork", "driving", "interpreting"]
INTERESTS = ["football", "cooking", "chess", "music", "swimming"]
LOCALITIES = [
    {"id": "soest", "lat": 51.5711, "lon": 8.1092},
    {"id": "werl", "lat": 51.5533, "lon": 7.9136},
    {"id": "lippstadt", "lat": 51.6733, "lon": 8.3447},
]


def _subset(items: list, min_size: int = 0):
    return st.lists(st.sampled_from(items), min_size=min_size, max_size=len(items), unique=True)


languages = st.dictionaries(st.sampled_from(["de", "ar", "en"]), st.sampled_from(LEVELS), max_size=3)
interests = _subset(INTERESTS)


@st.composite
def volunteer(draw, k: int) -> dict:
    result = {
        "id": f"v-{k}",
        "gender": draw(st.sampled_from("fmd")),
        "age": draw(st.integers(18, 80)),
        "languages": draw(languages),
        "offers": draw(_subset(ACTIVITIES)),
        "availability": draw(_subset(SLOTS)),
        "locality": draw(st.sampled_from(LOCALITIES))["id"],
        "travel_km": draw(st.sampled_from([0, 5, 10, 20, 40])),
        "capacity": draw(st.integers(0, 3)),
        "clearance": draw(st.booleans()),
        "interests": draw(interests),
        "max_groups": draw(st.integers(0, 2)),
        "group_preferences": draw(_subset(["g-interpreting", "g-driving", "g-unknown"])),
    }
    if draw(st.booleans()):
        result["accepts_genders"] = draw(_subset(list("fmd"), min_size=1))
    if draw(st.integers(0, 3)) == 0:
        result["commitment"] = draw(st.sampled_from(["one_off", "3_months", "6_months", "12_months"]))
    if draw(st.integers(0, 3)) == 0:
        result["hours_per_month"] = draw(st.sampled_from([0, 4, 8, 12, 30]))
        result["committed_hours"] = draw(st.sampled_from([0, 0, 4, 10]))
    return result


@st.composite
def mentee(draw, k: int) -> dict:
    result = {
        "id": f"r-{k}",
        "gender": draw(st.sampled_from("fmd")),
        "age": draw(st.integers(16, 70)),
        "languages": draw(languages),
        "needs": draw(_subset(ACTIVITIES[:3])),
        "availability": draw(_subset(SLOTS)),
        "locality": draw(st.sampled_from(LOCALITIES))["id"],
        "travel_km": draw(st.sampled_from([0, 3, 10])),
        "involves_minors": draw(st.booleans()),
        "preferred_mentor_gender": draw(st.sampled_from([None, None, "f", "m"])),
        "interests": draw(interests),
    }
    if result["needs"] and draw(st.booleans()):
        result["urgent_needs"] = draw(_subset(result["needs"]))
    return result


@st.composite
def problems(draw, max_volunteers: int = 6, max_mentees: int = 8) -> dict:
    n_v = draw(st.integers(0, max_volunteers))
    n_m = draw(st.integers(0, max_mentees))
    volunteers = [draw(volunteer(k)) for k in range(n_v)]
    mentees = [draw(mentee(k)) for k in range(n_m)]
    locked, excluded = [], []
    if volunteers and mentees:
        # Locked pairs within capacity (over-full volunteers have their own test).
        load = {v["id"]: 0 for v in volunteers}
        for m in draw(_subset([m["id"] for m in mentees]).map(lambda ids: ids[:2])):
            v = draw(st.sampled_from(volunteers))
            if load[v["id"]] < v["capacity"]:
                load[v["id"]] += 1
                locked.append({"volunteer": v["id"], "mentee": m})
        excluded = [
            {"volunteer": draw(st.sampled_from(volunteers))["id"], "mentee": draw(st.sampled_from(mentees))["id"]}
            for _ in range(draw(st.integers(0, 3)))
        ]
    groups = [
        {
            "id": "g-interpreting",
            "requires_offer": "interpreting",
            "capacity": draw(st.integers(0, 3)),
            "language_quota": {"ar": draw(st.integers(0, 2)), "fa": 1},
        },
        {
            "id": "g-driving",
            "requires_offer": "driving",
            "capacity": draw(st.integers(0, 3)),
            "locality_quota": {"soest": draw(st.integers(0, 2))},
        },
    ]
    return {
        "version": 1,
        "settings": {
            "min_language_level": draw(st.sampled_from(["A1", "A2", "B1"])),
            "alternatives": draw(st.integers(0, 3)),
            "min_score": draw(st.sampled_from([0.0, 0.0, 0.3])),
            "hours_per_sponsorship": draw(st.sampled_from([4, 8])),
            "served_elsewhere": draw(st.sampled_from([[], [], ["paperwork"], ["driving", "interpreting"]])),
        },
        "localities": LOCALITIES,
        "volunteers": volunteers,
        "mentees": mentees,
        "locked": locked,
        "excluded": excluded,
        "groups": groups,
    }
