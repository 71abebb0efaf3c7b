"""The slopes of several activations side by side, dy/dz against z (a plot view's numbers).

Why a sigmoid network learns slowly once saturated and a ReLU network does not, in one picture:
σ′ peaks at 0.25 and falls toward 0 on both sides, tanh′ peaks at 1 and falls faster, ReLU′ is 1
for z > 0 and exactly 0 below. The current activation joins them when it is another.
"""

from __future__ import annotations

from dataclasses import dataclass

from .activations import ACTIVATIONS

COMPARED = ("sigmoid", "tanh", "relu")  # the three the source names
HALF_SPAN = 6.0  # z from −6 to 6 holds every bend; wider when the current z lies further out


@dataclass(frozen=True)
class SlopeCurve:
    name: str  # the activation
    zs: tuple[float, ...]
    slopes: tuple[float, ...]  # dy/dz at each z
    at_z: float  # dy/dz at the current z


def compared_names(current: str) -> tuple[str, ...]:
    """The activations drawn: the three compared, and the current one when it is another."""
    return COMPARED if current in COMPARED else (*COMPARED, current)


def slope_window(z: float) -> tuple[float, float]:
    """A z range with the bends of every activation and the current z inside."""
    return min(-HALF_SPAN, z - 1.0), max(HALF_SPAN, z + 1.0)


def slope_curves(current: str, z: float, points: int) -> list[SlopeCurve]:
    """Each compared activation's dy/dz over the window around ``z``, and its value at ``z``."""
    low, high = slope_window(z)
    count = max(points, 2)
    zs = tuple(low + (high - low) * i / (count - 1) for i in range(count))
    curves = []
    for name in compared_names(current):
        activation = ACTIVATIONS[name]
        slopes = tuple(activation.derivative(v) for v in zs)
        curves.append(SlopeCurve(name, zs, slopes, activation.derivative(z)))
    return curves
