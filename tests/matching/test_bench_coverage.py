"""The benchmark's coverage-compatibility check (``bench.matching.coverage_compatible``): a pair is
compatible iff some maximum-cardinality assignment contains it."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for bench
from bench.matching import all_proposable_pairs, coverage_compatible  # noqa: E402


@st.composite
def graphs(draw):
    n_m, n_v = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    cells = [(m, v) for m in range(n_m) for v in range(n_v)]
    edges = draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells)))
    capacity = np.array(draw(st.lists(st.integers(0, 2), min_size=n_v, max_size=n_v)), dtype=np.int64)
    return n_m, n_v, edges, capacity


def exhaustive(n_m: int, edges: list, capacity: np.ndarray) -> tuple[int, set]:
    """Every assignment (each mentee: one of its edges or none): maximum size, pairs in a maximum one."""
    options = [[None] + [e for e in edges if e[0] == m] for m in range(n_m)]
    best, in_best = 0, set()
    for choice in itertools.product(*options):
        taken = [e for e in choice if e is not None]
        load = np.bincount([v for _, v in taken], minlength=len(capacity))
        if (load > capacity).any():
            continue
        if len(taken) > best:
            best, in_best = len(taken), set(taken)
        elif len(taken) == best:
            in_best |= set(taken)
    return best, in_best


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_matches_exhaustive_enumeration(graph):
    n_m, n_v, edges, capacity = graph
    mentee = np.array([m for m, _ in edges], dtype=np.int64)
    volunteer = np.array([v for _, v in edges], dtype=np.int64)
    queries = [(v, m) for m in range(n_m) for v in range(n_v)]
    best, in_best = exhaustive(n_m, edges, capacity)
    flow, ok = coverage_compatible(mentee, volunteer, capacity, queries)
    assert flow == best
    assert {(m, v) for (v, m), good in zip(queries, ok, strict=True) if good} == in_best


def test_matches_fixing_the_pair_on_a_generated_problem():
    """Against the brute force of the definition: fix the pair, max flow of the rest = maximum - 1."""
    from bench.generate import generate

    problem, planted = generate(400, 200, seed=3)
    enc, cands, remaining = all_proposable_pairs(problem)
    m_of = {mid: i for i, mid in enumerate(enc.mentees.ids)}
    v_of = {vid: i for i, vid in enumerate(enc.volunteers.ids)}
    rng = np.random.default_rng(0)
    sample = rng.choice(len(cands.mentee), size=60, replace=False)
    queries = [(v_of[v], m_of[m]) for v, m in planted]
    queries += list(zip(cands.volunteer[sample].tolist(), cands.mentee[sample].tolist(), strict=True))
    best, ok = coverage_compatible(cands.mentee, cands.volunteer, remaining, queries)
    for (v, m), good in zip(queries, ok.tolist(), strict=True):
        keep = cands.mentee != m
        capacity = remaining.copy()
        capacity[v] -= 1
        proposable = bool(((cands.mentee == m) & (cands.volunteer == v)).any())
        rest, _ = coverage_compatible(cands.mentee[keep], cands.volunteer[keep], capacity, [])
        assert good == (proposable and capacity[v] >= 0 and rest == best - 1)
    assert 0 < ok.sum() < len(queries)  # both outcomes occur
