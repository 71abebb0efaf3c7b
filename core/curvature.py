"""How sharply the loss curves: the largest eigenvalue of its Hessian in the parameters, L″.

Gradient descent on a curve of curvature L″ is stable only for α < 2/L″: above it every step
overshoots by more than it corrects, so the loss bounces or explodes. For one neuron the Hessian
is d²Loss/dz² · v·vᵀ with v = (X, 1 if there is a bias): rank one, so L″ = d²Loss/dz² · |v|²,
exactly. For other models, power iteration on Hessian-vector products taken as central
differences of the gradient (each costs two updates).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

POWER_ITERATIONS = 30
DIFFERENCE_STEP = 1e-5

Vector = tuple[float, ...]


def power_iteration(gradient: Callable[[Vector], Vector], params: Sequence[float]) -> float:
    """The Hessian's largest eigenvalue (the most upward curvature) of the function whose
    gradient is given: plain power iteration finds the eigenvalue of largest size, and when that
    one is negative, a second run on H − λI finds the largest."""
    params = tuple(float(p) for p in params)
    largest_size = _power_iteration(gradient, params, 0.0)
    if not (math.isfinite(largest_size) and largest_size < 0):
        return largest_size
    return _power_iteration(gradient, params, largest_size) + largest_size


def _power_iteration(gradient: Callable[[Vector], Vector], params: Vector, shift: float) -> float:
    """The eigenvalue of largest size of H − shift·I."""
    n = len(params)
    # Not along an axis: a symmetric start could be orthogonal to the eigenvector sought.
    direction = _unit(tuple(1.0 + 0.1 * i for i in range(n)))
    eigenvalue = 0.0
    step = DIFFERENCE_STEP * max(1.0, max(map(abs, params)))
    for _ in range(POWER_ITERATIONS):
        up = gradient(tuple(p + step * d for p, d in zip(params, direction)))
        down = gradient(tuple(p - step * d for p, d in zip(params, direction)))
        product = tuple((u - v) / (2.0 * step) - shift * d
                        for u, v, d in zip(up, down, direction))  # (H − shift·I)·direction
        eigenvalue = sum(p * d for p, d in zip(product, direction))  # Rayleigh quotient
        size = math.sqrt(sum(v * v for v in product))
        if not (math.isfinite(size) and size > 0.0):
            return eigenvalue if math.isfinite(size) else math.nan
        direction = tuple(v / size for v in product)
    return eigenvalue


def _unit(vector: Vector) -> Vector:
    size = math.sqrt(sum(v * v for v in vector))
    return tuple(v / size for v in vector)


def stable_limit(curvature: float) -> float | None:
    """The largest stable α, 2/L″; None where the loss does not curve upward (L″ ≤ 0)."""
    if not (math.isfinite(curvature) and curvature > 0):
        return None
    return 2.0 / curvature


SEARCH_SPAN = 60.0  # |z| beyond this every activation here is flat or linear: no bottom there
SEARCH_POINTS = 1201
REFINEMENTS = 60


def lowest_point(loss_of_z: Callable[[float], float]) -> float | None:
    """The z in [−SEARCH_SPAN, SEARCH_SPAN] where ``loss_of_z`` is lowest, or None when the lowest
    is at an end of the span (the loss keeps falling: no bottom at a finite z)."""
    step = 2 * SEARCH_SPAN / (SEARCH_POINTS - 1)
    grid = [-SEARCH_SPAN + i * step for i in range(SEARCH_POINTS)]
    values = [loss_of_z(z) for z in grid]
    best = min(range(SEARCH_POINTS), key=lambda i: values[i] if math.isfinite(values[i]) else math.inf)
    if best in (0, SEARCH_POINTS - 1) or not math.isfinite(values[best]):
        return None
    low, high = grid[best - 1], grid[best + 1]
    for _ in range(REFINEMENTS):  # golden-section search inside the two cells around it
        a, b = high - (high - low) / GOLDEN, low + (high - low) / GOLDEN
        if loss_of_z(a) < loss_of_z(b):
            high = b
        else:
            low = a
    return (low + high) / 2


GOLDEN = (1 + math.sqrt(5)) / 2
