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


def distances_from_km(point: tuple[float, float], points: np.ndarray) -> np.ndarray:
    """Great-circle distances in km from one ``(lat, lon)`` point to each row of an (n, 2) array
    of points in radians (converted once by whoever measures from many places to the same people)."""
    if not len(points):
        return np.zeros(0)
    return haversine_distances(np.radians(np.asarray(point, dtype=float).reshape(1, 2)), points)[0] * EARTH_RADIUS_KM


def within_reach(distance_km, travel_km, other_travel_km):
    """Whether two people this far apart can meet; works element-wise on numpy arrays."""
    return distance_km <= travel_km + other_travel_km
