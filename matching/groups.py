"""Working-group assignment as a small integer programme (``scipy.optimize.milp``).

Variables: ``x[v, g]`` = volunteer v joins group g (binary), ``short[g, q]`` =
shortfall of quota q of group g (>= 0). Constraints: group capacity,
``max_groups`` per volunteer, ``members counted + short >= quota``.

Objective, lexicographic through one big weight:

1. minimise the total shortfall (the contract's first goal);
2. honour ``group_preferences``: joining the group a volunteer listed at
   rank r (0 = first) earns ``longest_list - r`` (>= 1), so earlier wishes
   win and, capacity permitting, everyone who asked for a group gets one;
3. a volunteer who did not list a group joins it only to fill a quota (it
   costs 1, so it never happens for nothing). Volunteers who neither listed
   the group nor count towards one of its quotas get no variable at all.

Eligibility (contract): g.requires_offer among v.offers, at most
``capacity`` members, at most ``max_groups`` (default 1) groups per volunteer.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from .encoding import GROUP_QUOTA_LEVEL, Encoded


def _quotas(group: dict) -> list[tuple[str, str, int]]:
    """(kind, code, required) of the group's positive quotas, in output order."""
    return [(kind, code, int(required))
            for kind in ("language", "locality")
            for code, required in sorted(group.get(f"{kind}_quota", {}).items()) if required > 0]


def _counts_for(enc: Encoded, v: int, kind: str, code: str) -> bool:
    if kind == "locality":
        return enc.locality_ids[enc.volunteers.locality[v]] == code
    return code in enc.languages and \
        enc.volunteers.levels[v, enc.languages.index(code)] >= GROUP_QUOTA_LEVEL


def _preference_rank(volunteer: dict, group_id: str) -> int | None:
    preferences = volunteer.get("group_preferences", [])
    return preferences.index(group_id) if group_id in preferences else None


def _variables(enc: Encoded, groups: list[dict]) -> list[tuple[int, int]]:
    """(volunteer, group) pairs worth a variable, in a fixed order."""
    result = []
    for g, group in enumerate(groups):
        if group["capacity"] < 1:
            continue
        for v, volunteer in enumerate(enc.volunteers.records):
            if group["requires_offer"] not in volunteer["offers"] or volunteer.get("max_groups", 1) < 1:
                continue
            if _preference_rank(volunteer, group["id"]) is not None or any(
                    _counts_for(enc, v, kind, code) for kind, code, _ in _quotas(group)):
                result.append((v, g))
    return result


def _solve(enc: Encoded, groups: list[dict], variables: list[tuple[int, int]]) -> np.ndarray:
    """Binary choice per variable."""
    volunteers = enc.volunteers.records
    longest = max((len(v.get("group_preferences", [])) for v in volunteers), default=0)
    ranks = [_preference_rank(volunteers[v], groups[g]["id"]) for v, g in variables]
    preference_cost = np.array([1 if r is None else r - longest for r in ranks], dtype=float)
    quota_rows = [(g, kind, code, required) for g, group in enumerate(groups)
                  for kind, code, required in _quotas(group)]
    big = float(np.abs(preference_cost).sum() + 1)
    n_x, n_short = len(variables), len(quota_rows)
    cost = np.r_[preference_cost, np.full(n_short, big)]

    rows, cols, lower, upper = [], [], [], []

    def add_row(members: list[int], extra: int | None, lo: float, hi: float) -> None:
        row = len(lower)
        rows.extend([row] * (len(members) + (extra is not None)))
        cols.extend(members + ([extra] if extra is not None else []))
        lower.append(lo)
        upper.append(hi)

    for g, group in enumerate(groups):
        add_row([i for i, (_, vg) in enumerate(variables) if vg == g], None, 0, group["capacity"])
    by_volunteer: dict[int, list[int]] = {}
    for i, (v, _) in enumerate(variables):
        by_volunteer.setdefault(v, []).append(i)
    for v, members in by_volunteer.items():
        add_row(members, None, 0, volunteers[v].get("max_groups", 1))
    for q, (g, kind, code, required) in enumerate(quota_rows):
        counted = [i for i, (v, vg) in enumerate(variables) if vg == g and _counts_for(enc, v, kind, code)]
        add_row(counted, n_x + q, required, np.inf)
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(lower), n_x + n_short))
    result = milp(cost, constraints=LinearConstraint(matrix, lower, upper),
                  integrality=np.r_[np.ones(n_x), np.zeros(n_short)],
                  bounds=Bounds(0, np.r_[np.ones(n_x), np.full(n_short, np.inf)]))
    if result.x is None:  # cannot happen: x = 0, short = quota is always feasible
        raise RuntimeError(f"group assignment failed: {result.message}")
    return result.x[:n_x] > 0.5


def _reasons(enc: Encoded, v: int, group: dict) -> list[dict]:
    reasons = [{"code": "offers_activity", "detail": group["requires_offer"]}]
    rank = _preference_rank(enc.volunteers.records[v], group["id"])
    if rank is not None:
        reasons.append({"code": "preferred_group", "detail": str(rank + 1)})
    reasons += [{"code": f"fills_{kind}_quota", "detail": code}
                for kind, code, _ in _quotas(group) if _counts_for(enc, v, kind, code)]
    return reasons


def assign_groups(enc: Encoded) -> tuple[list[dict], dict[str, dict[str, int]]]:
    """Group assignments (sorted by group id, then volunteer id) and unmet quotas."""
    groups = sorted(enc.groups, key=lambda group: group["id"])
    variables = _variables(enc, groups)
    chosen = _solve(enc, groups, variables) if variables else np.zeros(0, dtype=bool)
    members = [(g, v) for (v, g), joined in zip(variables, chosen) if joined]
    assignments = [{"volunteer": enc.volunteers.ids[v], "group": groups[g]["id"],
                    "reasons": _reasons(enc, v, groups[g])} for g, v in sorted(members)]
    shortfall: dict[str, dict[str, int]] = {}
    for g, group in enumerate(groups):
        for kind, code, required in _quotas(group):
            counted = sum(1 for mg, v in members if mg == g and _counts_for(enc, v, kind, code))
            if counted < required:
                shortfall.setdefault(group["id"], {})[f"{kind}:{code}"] = required - counted
    return assignments, shortfall
