"""The solvers on random bipartite graphs, and the pricing that makes `fast` optimal on all pairs."""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import maximum_flow

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file, in any import mode
import matching_reference as ref  # noqa: E402
from matching_reference import engine_scores, proposable  # noqa: E402
from matching_strategies import problems  # noqa: E402

import matching.engine  # noqa: E402
from matching import propose  # noqa: E402
from matching.assignment import coverage_cut, solve_dense, solve_sparse  # noqa: E402
from matching.pricing import big_m, dual_bound, duals, reoptimise  # noqa: E402


@st.composite
def graphs(draw):
    n_m, n_v = draw(st.integers(1, 10)), draw(st.integers(1, 5))
    cells = [(m, v) for m in range(n_m) for v in range(n_v)]
    edges = draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells)))
    mentee = np.array([m for m, _ in edges], dtype=np.int64)
    volunteer = np.array([v for _, v in edges], dtype=np.int64)
    score = np.array(draw(st.lists(st.integers(0, 1_000_000), min_size=len(edges), max_size=len(edges))))
    remaining = np.array(draw(st.lists(st.integers(0, 3), min_size=n_v, max_size=n_v)), dtype=np.int64)
    return mentee, volunteer, score.astype(np.int64), remaining


def max_matching(mentee, volunteer, remaining) -> int:
    n_m, n_v = int(mentee.max(initial=-1)) + 1, len(remaining)
    sink = n_m + n_v + 1
    tails = np.r_[np.zeros(n_m, np.int64), 1 + mentee, 1 + n_m + np.arange(n_v)]
    heads = np.r_[1 + np.arange(n_m), 1 + n_m + volunteer, np.full(n_v, sink)]
    caps = np.r_[np.ones(n_m + len(mentee)), remaining].astype(np.int32)
    return int(maximum_flow(sp.csr_matrix((caps, (tails, heads)), shape=(sink + 1, sink + 1)), 0, sink).flow_value)


def check_matching(pairs, mentee, volunteer, remaining) -> None:
    edges = set(zip(mentee.tolist(), volunteer.tolist(), strict=True))
    assert set(zip(pairs[0].tolist(), pairs[1].tolist(), strict=True)) <= edges
    assert len(set(pairs[0].tolist())) == len(pairs[0])
    assert all(np.bincount(pairs[1], minlength=len(remaining)) <= remaining)


def total(pairs, mentee, volunteer, score) -> int:
    lookup = dict(zip(zip(mentee.tolist(), volunteer.tolist(), strict=True), score.tolist(), strict=True))
    return sum(lookup[pair] for pair in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True))


@settings(deadline=None)
@given(graph=graphs())
def test_the_coverage_cut_names_every_pair_that_could_raise_the_coverage(graph) -> None:
    mentee, volunteer, _, remaining = graph
    open_mentees, reached = coverage_cut(mentee, volunteer, remaining)
    best = max_matching(mentee, volunteer, remaining)
    known = set(zip(mentee.tolist(), volunteer.tolist(), strict=True))
    for m in np.unique(mentee).tolist():
        others = mentee != m
        # Open: some maximum matching leaves the mentee unmatched.
        assert (m in open_mentees) == (max_matching(mentee[others], volunteer[others], remaining) == best)
        for v in range(len(remaining)):
            if (m, v) not in known and max_matching(np.r_[mentee, m], np.r_[volunteer, v], remaining) > best:
                assert m in open_mentees and not reached[v]


@settings(deadline=None)
@given(graph=graphs())
def test_sparse_equals_dense(graph) -> None:
    mentee, volunteer, score, remaining = graph
    dense, sparse = solve_dense(*graph), solve_sparse(*graph)
    for pairs in (dense, sparse):
        check_matching(pairs, mentee, volunteer, remaining)
        assert len(pairs[0]) == max_matching(mentee, volunteer, remaining)
    assert total(dense, mentee, volunteer, score) == total(sparse, mentee, volunteer, score)


@settings(deadline=None)
@given(graph=graphs())
def test_duals_prove_the_assignment_optimal(graph) -> None:
    """Dual feasibility on every pair and equal objectives (weak duality): the certificate pricing uses."""
    mentee, volunteer, score, remaining = graph
    n_m = int(mentee.max(initial=-1)) + 1
    big = big_m(n_m)
    pairs = solve_sparse(*graph)
    u, p = duals(mentee, volunteer, score, pairs, remaining, n_m, big)
    assert (u >= 0).all() and (p >= 0).all()
    assert (u[mentee] + p[volunteer] >= big + score).all()
    primal = big * len(pairs[0]) + total(pairs, mentee, volunteer, score)
    assert dual_bound(u, p, remaining, (np.zeros(0, np.int64),) * 3, big) == primal


def test_a_matched_mentees_weight_sits_in_its_own_dual_unless_a_rival_forces_it_out() -> None:
    # Mentee 0 holds volunteer 0's only place; volunteer 1 has a place left. Were B in p[0], the
    # left-out pair (0, 1) would violate u[0] + p[1] >= B + s by B and be added for nothing.
    score, remaining = np.array([700]), np.array([1, 1])
    big = big_m(2)
    u, p = duals(np.array([0]), np.array([0]), score, (np.array([0]), np.array([0])), remaining, 2, big)
    assert (u[0], p[0]) == (big + 700, 0)
    # Mentee 1 also wants volunteer 0 and stays unmatched (u = 0): now B must be in p[0].
    mentee, volunteer, score = np.array([0, 1]), np.array([0, 0]), np.array([700, 500])
    u, p = duals(mentee, volunteer, score, (np.array([0]), np.array([0])), remaining, 2, big)
    assert (u[0], u[1], p[0]) == (200, 0, big + 500)


@settings(deadline=None)
@given(graph=graphs(), data=st.data())
def test_reoptimise_after_adding_pairs_equals_solving_again(graph, data) -> None:
    mentee, volunteer, score, remaining = graph
    n_m = int(mentee.max(initial=-1)) + 1
    big = big_m(n_m)
    first = np.array(data.draw(st.lists(st.booleans(), min_size=len(mentee), max_size=len(mentee))), dtype=bool)
    before = solve_sparse(mentee[first], volunteer[first], score[first], remaining)
    u, p = duals(mentee[first], volunteer[first], score[first], before, remaining, n_m, big)
    after, (u2, p2) = reoptimise(graph[:3], before, u, p, remaining, big)
    check_matching(after, mentee, volunteer, remaining)
    again = solve_sparse(*graph)
    assert len(after[0]) == len(again[0]) == max_matching(mentee, volunteer, remaining)
    assert total(after, mentee, volunteer, score) == total(again, mentee, volunteer, score)
    assert (u2[mentee] + p2[volunteer] >= big + score).all()  # and the duals prove it


@pytest.mark.slow
@pytest.mark.parametrize("top_k", [1, 2])
@settings(deadline=None)
@given(problem=problems())
def test_fast_with_tiny_candidate_lists_is_still_optimal(problem: dict, top_k: int) -> None:
    """Pricing must find every pair that matters, however few candidates the scan keeps."""
    problem["settings"]["alternatives"] = 0
    with (
        mock.patch.object(matching.engine, "TOP_PER_MENTEE", top_k),
        mock.patch.object(matching.engine, "TOP_PER_VOLUNTEER", (top_k, top_k + 1, 3)),
    ):
        out = propose(problem, solver="fast")
    scores = engine_scores(problem)
    allowed = proposable(problem, scores)
    expected = ref.max_coverage(problem, allowed)
    assert out["metrics"]["matched"] == expected + len(problem["locked"])
    exact = propose(problem, solver="exact")
    assert out["metrics"]["total_score"] == pytest.approx(exact["metrics"]["total_score"], abs=1e-5)
    assert out["metrics"]["proven_gap"] == 0.0
