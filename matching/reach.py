"""Who can reach whom: the contract's distance rule.

Two people can meet when the great-circle distance between their places is
at most both travel distances together (``CONTRACT.md``, hard constraint 3).
"""

from collections.abc import Sequence

import numpy as np
from sklearn.metrics.pairwise import haversine_distances

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), the contract's radius for the haversine distance."""


def distances_km(points: Sequence[tuple[float, float]]) -> np.ndarray:
    """Great-circle distances between all ``(lat, lon)`` points in degrees, as a square matrix in km."""
    if not len(points):
        return np.zeros((0, 0))
    distances = haversine_distances(np.radians(np.asarray(points, dtype=float).reshape(-1, 2)))
    distances *= EARTH_RADIUS_KM  # in place: a second n x n array would double the peak (thousands of places)
    return distances


TABLE_UP_TO = 3000
"""Localities up to which :class:`LocalityDistances` computes every distance at once (9 million, 72 MB)."""


class LocalityDistances:
    """Great-circle distances in km between a problem's localities, by index.

    Up to TABLE_UP_TO places, the whole square table at once. Beyond, each
    row when asked: where people each give a place of their own (as a
    caller that geocodes addresses would), the table grows with the square
    of the people (17,000 places at 12,000 x 5,000: 2.3 GB and most of a
    minute; 70,000 at 50,000 x 20,000: 39 GB). A row and a pair are then
    computed alike (one place against many), and equal the table's numbers
    to the last bit: the scan and the constraint checks decide the same
    pairs whichever way the distances come.
    """

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        self._radians = np.radians(np.asarray(points, dtype=float).reshape(-1, 2))
        self._table = distances_km(points) if len(points) <= TABLE_UP_TO else None

    @property
    def by_row(self) -> bool:
        """Whether distances are computed row by row (beyond TABLE_UP_TO places) rather than read."""
        return self._table is None

    def row(self, locality: int, others: np.ndarray) -> np.ndarray:
        """Distances from ``locality`` to each of ``others`` (locality indexes)."""
        if self._table is not None:
            return self._table[locality, others]
        return _from_radians(self._radians[locality], self._radians[others])

    def between(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Distances between the localities of ``first`` and ``second`` element by element (broadcast as
        numpy broadcasts them), as rows of the places in ``first``."""
        if self._table is not None:
            return self._table[first, second]
        first, second = np.broadcast_arrays(first, second)
        shape, first, second = first.shape, first.ravel(), second.ravel()
        distances = np.empty(len(first))
        if len(first):
            order = np.argsort(first, kind="stable")
            for at in np.split(order, np.flatnonzero(np.diff(first[order])) + 1):
                distances[at] = self.row(int(first[at[0]]), second[at])
        return distances.reshape(shape)


def distances_from_km(point: tuple[float, float], points: np.ndarray) -> np.ndarray:
    """Great-circle distances in km from one ``(lat, lon)`` point to each row of an (n, 2) array
    of points in radians (converted once by whoever measures from many places to the same people)."""
    return _from_radians(np.radians(np.asarray(point, dtype=float)), points)


def _from_radians(point: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distances in km from one point to each of ``points``, all in radians (scikit-learn refuses an
    empty side: nobody to measure to is no distance)."""
    if not len(points):
        return np.zeros(0)
    return haversine_distances(point.reshape(1, 2), points)[0] * EARTH_RADIUS_KM


def within_reach(distance_km, travel_km, other_travel_km):
    """Whether two people this far apart can meet; works element-wise on numpy arrays."""
    return distance_km <= travel_km + other_travel_km
