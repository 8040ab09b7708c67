"""The public rules the engine shares with the app: language levels and who can reach whom."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file, in any import mode
import matching_reference as ref  # noqa: E402

from matching import reach  # noqa: E402
from matching.levels import INDEPENDENT_LEVEL, LEVELS, MIN_SHARED_LEVEL, QUOTA_LEVEL, rank, reaches  # noqa: E402
from matching.reach import LocalityDistances, distances_from_km, distances_km, within_reach  # noqa: E402

levels = st.sampled_from(LEVELS)
points = st.tuples(
    st.floats(35, 70), st.floats(-10, 40)
)  # Europe: far from the antipodes, where asin is ill-conditioned


def test_thresholds_are_levels_in_rising_order():
    assert rank(MIN_SHARED_LEVEL) < rank(INDEPENDENT_LEVEL) < rank(QUOTA_LEVEL)


@given(levels, levels)
def test_a_level_reaches_a_threshold_when_it_is_not_lower(level, threshold):
    assert reaches(level, threshold) == (LEVELS.index(level) >= LEVELS.index(threshold))


@given(levels)
def test_nothing_spoken_reaches_no_threshold(threshold):
    assert not reaches(None, threshold)


@pytest.mark.parametrize("level", ["B7", "", "a2", "Native"])
def test_unknown_levels_are_refused(level):
    with pytest.raises(ValueError):
        rank(level)


@given(st.lists(points, max_size=5))
def test_distances_are_the_contract_haversine(coordinates):
    km = distances_km(coordinates)
    assert km.shape == (len(coordinates), len(coordinates))
    for i, (lat_a, lon_a) in enumerate(coordinates):
        for j, (lat_b, lon_b) in enumerate(coordinates):
            expected = ref.haversine_km({"lat": lat_a, "lon": lon_a}, {"lat": lat_b, "lon": lon_b})
            assert km[i, j] == pytest.approx(expected, abs=1e-6)


@given(points, st.lists(points, max_size=5))
def test_distances_from_one_place_are_the_same_haversine(point, coordinates):
    km = distances_from_km(point, np.radians(np.asarray(coordinates, dtype=float).reshape(-1, 2)))
    expected = [ref.haversine_km({"lat": point[0], "lon": point[1]}, {"lat": a, "lon": b}) for a, b in coordinates]
    assert km.tolist() == pytest.approx(expected, abs=1e-6)


@given(st.lists(points, min_size=1, max_size=8), st.data())
def test_rows_of_distances_are_the_table_to_the_last_bit(coordinates, data):
    """Beyond TABLE_UP_TO places distances come row by row: the same numbers, so the same pairs decided."""
    table = LocalityDistances(coordinates)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reach, "TABLE_UP_TO", 0)
        rows = LocalityDistances(coordinates)
    places = st.integers(0, len(coordinates) - 1)
    first = np.array(data.draw(st.lists(places, max_size=10)), dtype=np.int64)
    second = np.array(data.draw(st.lists(places, min_size=len(first), max_size=len(first))), dtype=np.int64)
    everywhere = np.arange(len(coordinates))
    assert (rows.row(0, everywhere) == distances_km(coordinates)[0]).all()
    assert rows.row(0, everywhere[:0]).shape == table.row(0, everywhere[:0]).shape == (0,)
    assert (rows.between(first, second) == table.between(first, second)).all()
    # Broadcast as the reasons' checks ask for them: a column of mentees' places against a row of volunteers'.
    column, row = first[:, None], everywhere[None, :]
    assert (rows.between(column, row) == table.between(column, row)).all()


@given(st.floats(0, 500), st.floats(0, 100), st.floats(0, 100))
def test_reach_is_both_travel_distances_together(distance, travel, other_travel):
    assert within_reach(distance, travel, other_travel) == (distance <= travel + other_travel)
    assert within_reach(distance, travel, other_travel) == within_reach(distance, other_travel, travel)
    together = within_reach(np.array([distance, 0.0]), np.array([travel, 0.0]), np.array([other_travel, 0.0]))
    assert together.tolist() == [within_reach(distance, travel, other_travel), True]
