"""Loss functions: value, derivative dLoss/dy and formula text side by side.

Each takes the output as the activation computes it: z, y, 1 − y and y − t, the last two kept to
full precision near a bound (see activations.py), so a loss of 1e-35 is 1e-35 and not 0.
Cross-entropy always follows the sigmoid (config checks it), so its loss comes straight from
z: −ln σ(z) = softplus(−z) stays exact where y itself has rounded to 1 (z = 40 and beyond).
Python's float division and math.log raise at zero; these return ±inf instead, so a run that
reaches an impossible value is reported as diverged rather than crashing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .activations import softplus
from .numbers import fmt_value
from .substitution import Sub

# (z, y, 1 − y, y − t, t) -> a number
OutputFunction = Callable[[float, float, float, float, float], float]


@dataclass(frozen=True)
class Loss:
    name: str
    formula: str  # Loss in terms of y and the target t
    derivative_formula: str  # dL/dy
    value: OutputFunction
    derivative: OutputFunction  # dLoss/dy
    curvature: OutputFunction  # d²Loss/dy²
    value_subs: Callable[[float, float, float, float, float], tuple[Sub, ...]]
    derivative_subs: Callable[[float, float, float, float, float], tuple[Sub, ...]]
    meaning: str  # what the loss's number says, in one sentence
    note: Callable[[float], str]  # target -> one plain sentence on dLoss/dy
    fixed_target: float | None = None  # the loss only makes sense for this target
    needs_0_1_output: bool = False  # needs y strictly inside (0, 1)
    # Falls without limit as y grows: only an output that never exceeds 1 gives it a floor.
    needs_output_at_most_1: bool = False
    # After the sigmoid, dLoss/dy · dy/dz simplifies: this computes dLoss/dz directly from
    # (z, y, 1 − y, y − t, t). None: dLoss/dz is the product of the two factors.
    logit_gradient: OutputFunction | None = None


def _divide(numerator: float, denominator: float) -> float:
    if denominator != 0:
        return numerator / denominator
    return math.copysign(math.inf, numerator) if numerator != 0 else math.nan


def _bce(z: float, y: float, c: float, d: float, t: float) -> float:
    # −[t·ln σ(z) + (1 − t)·ln σ(−z)] = t·softplus(−z) + (1 − t)·softplus(z). A term whose
    # coefficient is 0 is left out, so it cannot turn into 0·∞.
    positive = t * softplus(-z) if t != 0 else 0.0
    negative = (1.0 - t) * softplus(z) if t != 1 else 0.0
    return positive + negative


def _bce_derivative(z: float, y: float, c: float, d: float, t: float) -> float:
    positive = _divide(t, y) if t != 0 else 0.0
    negative = _divide(1.0 - t, c) if t != 1 else 0.0
    return -positive + negative


def _bce_curvature(z: float, y: float, c: float, d: float, t: float) -> float:
    positive = _divide(t, y * y) if t != 0 else 0.0
    negative = _divide(1.0 - t, c * c) if t != 1 else 0.0
    return positive + negative


def _log(v: float) -> float:
    return math.log(v) if v > 0 else -math.inf


def _bce_subs(z: float, y: float, c: float, d: float, t: float) -> tuple[Sub, ...]:
    """With t = 0 or 1 one term's coefficient is 0: it is left out, as 0·ln 0 would read 0·(−∞).
    When y is too close to 0 or 1 to show, ln y and ln(1 − y) come as numbers, from z."""
    ln_y, ln_c = -softplus(-z), -softplus(z)
    if t == 1:
        return (Sub("−ln {0}", (y,), lambda y: -_log(y)), Sub("−{0}", (ln_y,), lambda v: -v))
    if t == 0:
        return (Sub("−ln(1 − {0})", (y,), lambda y: -_log(1 - y)),
                Sub("−{0}", (ln_c,), lambda v: -v))  # fmt: skip
    return (
        Sub("−[{0} × ln {1} + (1 − {0}) × ln(1 − {1})]", (t, y),
            lambda t, y: -(t * _log(y) + (1 - t) * _log(1 - y))),
        Sub("−[{0} × {1} + (1 − {0}) × {2}]", (t, ln_y, ln_c),
            lambda t, a, b: -(t * a + (1 - t) * b)),
    )  # fmt: skip


def _bce_derivative_subs(z: float, y: float, c: float, d: float, t: float) -> tuple[Sub, ...]:
    if t == 1:
        return (Sub("−1/{0}", (y,), lambda y: _divide(-1, y)),)
    if t == 0:
        return (Sub("1/(1 − {0})", (y,), lambda y: _divide(1, 1 - y)),
                Sub("1/{0}", (c,), lambda c: _divide(1, c)))  # fmt: skip
    return (
        Sub("−{0}/{1} + (1 − {0})/(1 − {1})", (t, y),
            lambda t, y: _divide(-t, y) + _divide(1 - t, 1 - y)),
        Sub("−{0}/{1} + (1 − {0})/{2}", (t, y, c),
            lambda t, y, c: _divide(-t, y) + _divide(1 - t, c)),
    )  # fmt: skip


def _bce_note(t: float) -> str:
    if t == 1:
        where = "as y nears 0, the wrong answer when t = 1"
    elif t == 0:
        where = "as y nears 1, the wrong answer when t = 0"
    else:
        where = f"as y nears 0 or 1, both away from t = {fmt_value(t)}"
    return ("Binary cross-entropy (bce) punishes a confident wrong answer: its slope grows without "
            f"limit {where}.")


ONE_MINUS_Y = Loss(
    name="one-minus-y",
    formula="Loss = 1 − y",
    derivative_formula="dLoss/dy = −1",
    value=lambda z, y, c, d, t: c,
    derivative=lambda z, y, c, d, t: -1.0,
    curvature=lambda z, y, c, d, t: 0.0,
    value_subs=lambda z, y, c, d, t: (
        Sub("1 − {0}", (y,), lambda y: 1 - y),
        Sub("{0}", (c,), lambda c: c),  # y too close to 1 to show: 1 − y as its number
    ),
    derivative_subs=lambda z, y, c, d, t: (),
    meaning="How far y is below 1, the output we want: training pushes this number down.",
    note=lambda t: "The loss falls one-for-one as y rises: raising y always lowers the loss.",
    fixed_target=1.0,
    needs_output_at_most_1=True,
)

MSE = Loss(
    name="mse",
    formula="Loss = (y − t)²",
    derivative_formula="dLoss/dy = 2(y − t)",
    value=lambda z, y, c, d, t: d * d,  # not ** 2: that raises OverflowError on huge y
    derivative=lambda z, y, c, d, t: 2.0 * d,
    curvature=lambda z, y, c, d, t: 2.0,
    value_subs=lambda z, y, c, d, t: (
        Sub("({0} − {1})²", (y, t), lambda y, t: (y - t) * (y - t)),
        Sub("{0}²", (d,), lambda d: d * d),  # y − t as its own number
    ),
    derivative_subs=lambda z, y, c, d, t: (
        Sub("2 × ({0} − {1})", (y, t), lambda y, t: 2 * (y - t)),
        Sub("2 × {0}", (d,), lambda d: 2 * d),
    ),
    meaning="The squared miss: 0 when y = t, larger the further y is from t. Training pushes it down.",
    note=lambda t: "The squared error's (mse) slope is twice the miss y − t: it shrinks to 0 as y "
                   "reaches t.",
)

BCE = Loss(
    name="bce",
    formula="Loss = −[t·ln y + (1 − t)·ln(1 − y)]",
    derivative_formula="dLoss/dy = −t/y + (1 − t)/(1 − y)",
    value=_bce,
    derivative=_bce_derivative,
    curvature=_bce_curvature,
    value_subs=_bce_subs,
    derivative_subs=_bce_derivative_subs,
    meaning="A score for how wrong y is as the chance of t (smaller is better): training pushes it "
            "down.",
    note=_bce_note,
    needs_0_1_output=True,
    logit_gradient=lambda z, y, c, d, t: d,  # dLoss/dz = y − t
)

LOSSES: dict[str, Loss] = {loss.name: loss for loss in (ONE_MINUS_Y, MSE, BCE)}
