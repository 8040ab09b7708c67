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

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from .encoding import Encoded, level_code
from .levels import QUOTA_LEVEL
from .records import Group, GroupAssignment, GroupReason, Volunteer

OFFERS_ACTIVITY = "offers_activity"
PREFERRED_GROUP = "preferred_group"
QUOTA_REASONS = {"language": "fills_language_quota", "locality": "fills_locality_quota"}
"""Reason code of a member counting towards a quota, by quota kind."""
GROUP_REASONS: tuple[str, ...] = (OFFERS_ACTIVITY, PREFERRED_GROUP, *QUOTA_REASONS.values())
"""Every reason code of a group assignment."""


@dataclass
class _Quota:
    group: int  # index into the sorted groups
    kind: str  # "language" | "locality"
    code: str
    required: int
    counts: np.ndarray  # per volunteer: whether it counts towards this quota


def _quotas(enc: Encoded, groups: list[Group]) -> list[_Quota]:
    """The positive quotas of all groups, in output order (group, kind, code)."""
    result = []
    for g, group in enumerate(groups):
        for kind in ("language", "locality"):
            for code, required in sorted(group.get(f"{kind}_quota", {}).items()):
                if required > 0:
                    result.append(_Quota(g, kind, code, int(required), _counting(enc, kind, code)))
    return result


def _counting(enc: Encoded, kind: str, code: str) -> np.ndarray:
    if kind == "locality":
        return enc.volunteers.locality == (enc.locality_ids.index(code) if code in enc.locality_ids else -1)
    if code not in enc.languages:
        return np.zeros(len(enc.volunteers.ids), dtype=bool)
    return enc.volunteers.levels[:, enc.languages.index(code)] >= level_code(QUOTA_LEVEL)


def _preference_ranks(volunteer: Volunteer) -> dict[str, int]:
    """Group id -> rank in the volunteer's list (0 = first wish)."""
    ranks: dict[str, int] = {}
    for rank, group_id in enumerate(volunteer.get("group_preferences", [])):
        ranks.setdefault(group_id, rank)
    return ranks


def _variables(enc: Encoded, groups: list[Group], quotas: list[_Quota], ranks: list[dict]):
    """(volunteer, group) index arrays of the pairs worth a variable, by group then volunteer."""
    records = enc.volunteers.records
    offers = [set(r["offers"]) for r in records]
    can_join = np.array([r.get("max_groups", 1) >= 1 for r in records], dtype=bool)
    volunteers, group_of = [], []
    for g, group in enumerate(groups):
        if group["capacity"] < 1:
            continue
        eligible = can_join & np.array([group["requires_offer"] in o for o in offers], dtype=bool)
        wanted = np.array([group["id"] in r for r in ranks], dtype=bool)
        for quota in quotas:
            if quota.group == g:
                wanted |= quota.counts
        chosen = np.flatnonzero(eligible & wanted)
        volunteers.append(chosen)
        group_of.append(np.full(len(chosen), g))
    if not volunteers:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(volunteers), np.concatenate(group_of)


def _solve(
    enc: Encoded, groups: list[Group], quotas: list[_Quota], ranks: list[dict], var_v: np.ndarray, var_g: np.ndarray
) -> np.ndarray:
    """Binary choice per variable."""
    longest = max((len(r.get("group_preferences", [])) for r in enc.volunteers.records), default=0)
    rank = [ranks[v].get(groups[g]["id"]) for v, g in zip(var_v.tolist(), var_g.tolist(), strict=True)]
    preference_cost = np.array([1 if r is None else r - longest for r in rank], dtype=float)
    n_x, n_short = len(var_v), len(quotas)
    cost = np.r_[preference_cost, np.full(n_short, float(np.abs(preference_cost).sum() + 1))]
    volunteers, volunteer_row = np.unique(var_v, return_inverse=True)
    quota_members = [np.flatnonzero((var_g == q.group) & q.counts[var_v]) for q in quotas]
    # Rows: group capacities, then one per volunteer (max_groups), then one per quota.
    rows = np.concatenate(
        [var_g, len(groups) + volunteer_row]
        + [np.full(len(m) + 1, len(groups) + len(volunteers) + q) for q, m in enumerate(quota_members)]
    )
    cols = np.concatenate([np.arange(n_x), np.arange(n_x)] + [np.r_[m, n_x + q] for q, m in enumerate(quota_members)])
    max_groups = [enc.volunteers.records[v].get("max_groups", 1) for v in volunteers.tolist()]
    lower = np.r_[np.zeros(len(groups) + len(volunteers)), [q.required for q in quotas]]
    upper = np.r_[[g["capacity"] for g in groups], max_groups, np.full(n_short, np.inf)]
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(lower), n_x + n_short))
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.r_[np.ones(n_x), np.zeros(n_short)],
        bounds=Bounds(0, np.r_[np.ones(n_x), np.full(n_short, np.inf)]),
    )
    if result.x is None:  # cannot happen: x = 0, short = quota is always feasible
        raise RuntimeError(f"group assignment failed: {result.message}")
    return result.x[:n_x] > 0.5


def _reasons(v: int, group: Group, rank: int | None, quotas: list[_Quota]) -> list[GroupReason]:
    reasons: list[GroupReason] = [{"code": OFFERS_ACTIVITY, "detail": group["requires_offer"]}]
    if rank is not None:
        reasons.append({"code": PREFERRED_GROUP, "detail": str(rank + 1)})
    reasons += [{"code": QUOTA_REASONS[q.kind], "detail": q.code} for q in quotas if q.counts[v]]
    return reasons


def assign_groups(enc: Encoded) -> tuple[list[GroupAssignment], dict[str, dict[str, int]]]:
    """Group assignments (sorted by group id, then volunteer id) and unmet quotas."""
    groups = sorted(enc.groups, key=lambda group: group["id"])
    quotas = _quotas(enc, groups)
    ranks = [_preference_ranks(r) for r in enc.volunteers.records]
    var_v, var_g = _variables(enc, groups, quotas, ranks)
    chosen = _solve(enc, groups, quotas, ranks, var_v, var_g) if len(var_v) else np.zeros(0, dtype=bool)
    by_group = [[q for q in quotas if q.group == g] for g in range(len(groups))]
    assignments = [
        {
            "volunteer": enc.volunteers.ids[v],
            "group": groups[g]["id"],
            "reasons": _reasons(v, groups[g], ranks[v].get(groups[g]["id"]), by_group[g]),
        }
        for g, v in sorted(zip(var_g[chosen].tolist(), var_v[chosen].tolist(), strict=True))
    ]
    shortfall: dict[str, dict[str, int]] = {}
    for q in quotas:
        counted = int(q.counts[var_v[chosen & (var_g == q.group)]].sum())
        if counted < q.required:
            shortfall.setdefault(groups[q.group]["id"], {})[f"{q.kind}:{q.code}"] = q.required - counted
    return assignments, shortfall
