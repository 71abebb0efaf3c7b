"""Loss functions: value, derivative dLoss/dy and formula text side by side.

Python's float division and math.log raise at zero; these return ±inf instead, so a run
that reaches an impossible value is reported as diverged rather than crashing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .numbers import fmt_sub


@dataclass(frozen=True)
class Loss:
    name: str
    formula: str  # Loss in terms of y and the target t
    derivative_formula: str  # dL/dy
    value: Callable[[float, float], float]  # (y, t) -> Loss
    derivative: Callable[[float, float], float]  # (y, t) -> dLoss/dy
    value_substitution: Callable[[float, float], str]
    derivative_substitution: Callable[[float, float], str]
    note: str
    fixed_target: float | None = None  # the loss only makes sense for this target
    needs_0_1_output: bool = False  # needs y strictly inside (0, 1)
    # Falls without limit as y grows: only an output that never exceeds 1 gives it a floor.
    needs_output_at_most_1: bool = False


def _ln(v: float) -> float:
    return math.log(v) if v > 0 else -math.inf


def _divide(numerator: float, denominator: float) -> float:
    if denominator != 0:
        return numerator / denominator
    return math.copysign(math.inf, numerator) if numerator != 0 else math.nan


def _bce(y: float, t: float) -> float:
    # A term whose coefficient is 0 is left out: 0·ln(0) must count as 0, not NaN.
    positive = t * _ln(y) if t != 0 else 0.0
    negative = (1.0 - t) * _ln(1.0 - y) if t != 1 else 0.0
    return -(positive + negative)


def _bce_derivative(y: float, t: float) -> float:
    positive = _divide(t, y) if t != 0 else 0.0
    negative = _divide(1.0 - t, 1.0 - y) if t != 1 else 0.0
    return -positive + negative


ONE_MINUS_Y = Loss(
    name="one-minus-y",
    formula="Loss = 1 − y",
    derivative_formula="dLoss/dy = −1",
    value=lambda y, t: 1.0 - y,
    derivative=lambda y, t: -1.0,
    value_substitution=lambda y, t: f"1 − {fmt_sub(y)}",
    derivative_substitution=lambda y, t: "−1",
    note="The loss falls one-for-one as y rises: pushing y up is always the way down.",
    fixed_target=1.0,
    needs_output_at_most_1=True,
)

MSE = Loss(
    name="mse",
    formula="Loss = (y − t)²",
    derivative_formula="dLoss/dy = 2(y − t)",
    value=lambda y, t: (y - t) * (y - t),  # not ** 2: that raises OverflowError on huge y
    derivative=lambda y, t: 2.0 * (y - t),
    value_substitution=lambda y, t: f"({fmt_sub(y)} − {fmt_sub(t)})²",
    derivative_substitution=lambda y, t: f"2 × ({fmt_sub(y)} − {fmt_sub(t)})",
    note="The squared error's slope grows with the miss: far from t, big steps; close, small ones.",
)

BCE = Loss(
    name="bce",
    formula="Loss = −[t·ln y + (1 − t)·ln(1 − y)]",
    derivative_formula="dLoss/dy = −t/y + (1 − t)/(1 − y)",
    value=_bce,
    derivative=_bce_derivative,
    value_substitution=lambda y, t: (
        f"−[{fmt_sub(t)} × ln {fmt_sub(y)} + (1 − {fmt_sub(t)}) × ln(1 − {fmt_sub(y)})]"
    ),
    derivative_substitution=lambda y, t: (
        f"−{fmt_sub(t)}/{fmt_sub(y)} + (1 − {fmt_sub(t)})/(1 − {fmt_sub(y)})"
    ),
    note="Cross-entropy punishes a confident wrong answer hard: its slope blows up as y nears 0 or 1.",
    needs_0_1_output=True,
)

LOSSES: dict[str, Loss] = {loss.name: loss for loss in (ONE_MINUS_Y, MSE, BCE)}
