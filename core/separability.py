"""Can one straight line (a plane, in more inputs) put a dataset's 0s and 1s on opposite sides?

One neuron's boundary, W·X + b = 0, is such a line, so the answer says whether one neuron can
learn the examples at all. Both answers are proven, never guessed: a line is shown by finding
one (the perceptron rule, which finds one whenever one exists, given enough passes), and its
absence by a 0-0 segment crossing a 1-1 segment (a point where both classes' hulls meet, as
xor's two diagonals do). Within the budget neither may be found: then the answer is None.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

PERCEPTRON_UPDATES = 200_000  # corrections tried before giving up on finding a line
SEGMENT_PAIRS = 100_000  # 0-0 segments × 1-1 segments compared, at most
TOLERANCE = 1e-9


@functools.lru_cache(maxsize=8)  # asked again at every update shown; a dataset never changes
def line_separates(inputs: tuple[tuple[float, ...], ...], targets: tuple[float, ...]) -> bool | None:
    """True: a line separates the 0s from the 1s; False: none can; None: not found out."""
    points = np.asarray(inputs, dtype=np.float64)
    labels = np.where(np.asarray(targets) > 0.5, 1.0, -1.0)
    if _line_found(points, labels):
        return True
    if _hulls_meet(points[labels < 0], points[labels > 0]):
        return False
    return None


def _line_found(points: np.ndarray, labels: np.ndarray) -> bool:
    """The perceptron rule on (X, 1): a pass with no mistake is a separating line."""
    scale = max(float(np.abs(points).max(initial=0.0)), 1.0)
    augmented = np.hstack([points / scale, np.ones((len(points), 1))])
    weights = np.zeros(augmented.shape[1])
    updates = 0
    while updates < PERCEPTRON_UPDATES:
        mistakes = 0
        for row, label in zip(augmented, labels):
            if label * float(row @ weights) <= 0:
                weights += label * row
                mistakes += 1
                updates += 1
        if mistakes == 0:
            return True
    return False


def _hulls_meet(zeros: np.ndarray, ones: np.ndarray) -> bool:
    """A segment between two 0s (or a single 0) crossing one between two 1s (or a single 1)."""
    zero_segments = _segments(zeros)
    one_segments = _segments(ones)
    if len(zero_segments) * len(one_segments) > SEGMENT_PAIRS:
        return False  # too many to compare: not proven
    return any(_cross(a, b) for a in zero_segments for b in one_segments)


def _segments(points: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    unique = np.unique(points, axis=0)
    return [(p, p) for p in unique] + list(itertools.combinations(unique, 2))


def _cross(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> bool:
    """Whether segments a and b share a point: p0 + s(p1 − p0) = q0 + u(q1 − q0), s, u in [0, 1]."""
    (p0, p1), (q0, q1) = a, b
    matrix = np.column_stack([p1 - p0, q0 - q1])
    (s, u), *_ = np.linalg.lstsq(matrix, q0 - p0, rcond=None)
    s, u = (min(max(v, 0.0), 1.0) for v in (s, u))  # the closest points within the segments
    gap = (p0 + s * (p1 - p0)) - (q0 + u * (q1 - q0))
    size = max(float(np.abs(np.concatenate([p0, p1, q0, q1])).max()), 1.0)
    return float(np.abs(gap).max()) <= TOLERANCE * size
