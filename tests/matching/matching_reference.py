"""A slow, obviously-correct reference for the contract, written from CONTRACT.md.

Deliberately independent of the engine's encoding: dicts, loops and math.
Used by the property tests as the oracle for feasibility, unmatched reasons,
maximum coverage (max flow) and the optimal total score (brute force). The
one thing taken from the engine is the pair score itself (its design, not a
contract rule): :func:`engine_scores`.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_flow

from matching.encoding import encode
from matching.scoring import explain

LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
REASON_ORDER = [
    "no_matching_offer",
    "no_shared_language",
    "too_far",
    "no_common_time",
    "gender_preference",
    "clearance_required",
    "one_off_only",
    "excluded",
]


def haversine_km(a: dict, b: dict) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def served_elsewhere(problem: dict) -> set[str]:
    return set(problem.get("settings", {}).get("served_elsewhere", []))


def constraint_results(problem: dict, v: dict, m: dict) -> list[bool]:
    """The constraints of pair (v, m), in the contract's order."""
    settings = problem.get("settings", {})
    floor = LEVELS.index(settings.get("min_language_level", "A2"))
    localities = {loc["id"]: loc for loc in problem["localities"]}
    excluded = {(p["volunteer"], p["mentee"]) for p in problem.get("excluded", [])}
    preferred = m.get("preferred_mentor_gender")
    return [
        bool((set(m["needs"]) & set(v["offers"])) - served_elsewhere(problem)),
        any(
            code in v["languages"] and LEVELS.index(level) >= floor and LEVELS.index(v["languages"][code]) >= floor
            for code, level in m["languages"].items()
        ),
        haversine_km(localities[v["locality"]], localities[m["locality"]]) <= v["travel_km"] + m["travel_km"],
        bool(set(v["availability"]) & set(m["availability"])),
        (preferred is None or v["gender"] == preferred)
        and ("accepts_genders" not in v or m["gender"] in v["accepts_genders"]),
        not m.get("involves_minors", False) or v["clearance"],
        v.get("commitment") != "one_off",
        (v["id"], m["id"]) not in excluded,
    ]


def feasible(problem: dict, v: dict, m: dict) -> bool:
    return all(constraint_results(problem, v, m))


def hours_capacity(problem: dict, v: dict) -> int:
    """Sponsorships the volunteer's free hours allow (as many as declared if no hours are given)."""
    if "hours_per_month" not in v:
        return v["capacity"]
    per = problem.get("settings", {}).get("hours_per_sponsorship", 8)
    return int(math.floor(max(0, v["hours_per_month"] - v.get("committed_hours", 0)) / per))


def unmatched_reason(problem: dict, m: dict) -> str:
    if m["needs"] and set(m["needs"]) <= served_elsewhere(problem):
        return "needs_served_elsewhere"
    alive = [v for v in problem["volunteers"] if v["capacity"] >= 1]
    for k, code in enumerate(REASON_ORDER):
        alive = [v for v in alive if constraint_results(problem, v, m)[k]]
        if not alive:
            return code
    if all(hours_capacity(problem, v) < 1 for v in alive):
        return "no_hours_left"
    return "capacity_exhausted"


def urgent(problem: dict, v: dict, m: dict) -> bool:
    """The volunteer offers one of the mentee's urgent (sponsorship) needs."""
    needs = set(m.get("urgent_needs", [])) & set(m["needs"]) - served_elsewhere(problem)
    return bool(needs & set(v["offers"]))


def remaining_capacity(problem: dict) -> dict[str, int]:
    remaining = {v["id"]: min(v["capacity"], hours_capacity(problem, v)) for v in problem["volunteers"]}
    for pair in problem.get("locked", []):
        remaining[pair["volunteer"]] -= 1
    return {k: max(0, c) for k, c in remaining.items()}


def free_mentees(problem: dict) -> list[dict]:
    locked = {p["mentee"] for p in problem.get("locked", [])}
    return [m for m in problem["mentees"] if m["id"] not in locked]


def max_coverage(problem: dict, allowed) -> int:
    """Most free mentees matchable over pairs with allowed(v, m), by max flow."""
    mentees = free_mentees(problem)
    volunteers = problem["volunteers"]
    remaining = remaining_capacity(problem)
    n_m, n_v = len(mentees), len(volunteers)
    sink = n_m + n_v + 1
    rows, cols, caps = [], [], []
    for i, m in enumerate(mentees):
        rows.append(0), cols.append(1 + i), caps.append(1)
        for j, v in enumerate(volunteers):
            if allowed(v, m):
                rows.append(1 + i), cols.append(1 + n_m + j), caps.append(1)
    for j, v in enumerate(volunteers):
        rows.append(1 + n_m + j), cols.append(sink), caps.append(remaining[v["id"]])
    graph = sp.csr_matrix((np.array(caps, dtype=np.int32), (rows, cols)), shape=(sink + 1, sink + 1))
    return int(maximum_flow(graph, 0, sink).flow_value)


def best_assignment(problem: dict, score) -> tuple[int, float]:
    """Brute force: (most matches, best total value) over pairs with value score(v, m) not None."""
    mentees = free_mentees(problem)
    volunteers = problem["volunteers"]
    remaining = remaining_capacity(problem)
    options = [[None] + [v["id"] for v in volunteers if score(v, m) is not None] for m in mentees]
    by_id = {v["id"]: v for v in volunteers}
    best = (0, 0.0)
    for choice in itertools.product(*options):
        used: dict[str, int] = {}
        for vid in choice:
            if vid is not None:
                used[vid] = used.get(vid, 0) + 1
        if any(count > remaining[vid] for vid, count in used.items()):
            continue
        total = sum(score(by_id[vid], m) for vid, m in zip(choice, mentees, strict=True) if vid is not None)
        candidate = (sum(vid is not None for vid in choice), round(total, 6))
        best = max(best, candidate)
    return best


def totals(problem: dict, proposals: dict) -> tuple[int, int]:
    """Total score and total value of the proposed new pairs, in millionths: the value adds a whole
    score per pair that serves an urgent need (the objective beside coverage)."""
    volunteers = {v["id"]: v for v in problem["volunteers"]}
    mentees = {m["id"]: m for m in problem["mentees"]}
    new = [pair for pair in proposals["pairs"] if not pair.get("locked")]
    score = sum(round(pair["score"] * 10**6) for pair in new)
    serving = sum(urgent(problem, volunteers[pair["volunteer"]], mentees[pair["mentee"]]) for pair in new)
    return score, score + serving * 10**6


def engine_scores(problem: dict) -> dict[tuple[str, str], float]:
    """The engine's score of every (volunteer id, mentee id) pair."""
    enc = encode(problem)
    pairs = [(m, v) for m in range(len(enc.mentees.ids)) for v in range(len(enc.volunteers.ids))]
    explained = explain(enc, [m for m, _ in pairs], [v for _, v in pairs]) if pairs else []
    return {
        (enc.volunteers.ids[v], enc.mentees.ids[m]): score for (m, v), (score, _) in zip(pairs, explained, strict=True)
    }


def proposable(problem: dict, scores: dict):
    min_score = problem.get("settings", {}).get("min_score", 0.0)

    def allowed(v: dict, m: dict) -> bool:
        return v["capacity"] >= 1 and feasible(problem, v, m) and scores[v["id"], m["id"]] >= min_score

    return allowed
