"""Activation functions: each one's value, derivative and formula text stand side by side.

As in micrograd's engine, the local derivative sits right beside the forward rule. The formulas
shown are the ones we teach (σ′ = y(1 − y), tanh′ = 1 − y²); the numbers are computed in forms
that keep their digits when the unit saturates: 1 − σ(z) as σ(−z), 1 − tanh(z) as
2e^(−2z)/(1 + e^(−2z)), so σ′(40) is 4.25e-18, not the 0 that 1 × (1 − 1) would give.
Every activation computes ``complement`` = 1 − y alongside y, for the losses that need it.
All functions take Python floats and stay finite (no overflow, no NaN) for |z| up to 1e6.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .numbers import fmt_value
from .substitution import Sub

LEAKY_SLOPE = 0.01
EXP_LIMIT = 709.0  # math.exp raises OverflowError a little above this
SILU_SLOPE_ZERO = -1.2785  # silu′ < 0 only below this z
SILU_SLOPE_PEAK = (2.3994, 1.0998)  # (z, silu′(z)) where the slope is largest


def safe_exp(x: float) -> float:
    """e^x, infinite instead of raising when it overflows (for checking substitutions)."""
    return math.exp(x) if x < EXP_LIMIT else math.inf


def sigmoid_pair(z: float) -> tuple[float, float]:
    """(σ(z), σ(−z)) = (y, 1 − y), each to full relative precision, from one exponential."""
    e = math.exp(-abs(z))  # never exponentiates a positive number: no overflow at |z| = 1e6
    big = 1.0 / (1.0 + e)
    return (big, e * big) if z >= 0 else (e * big, big)


def sigmoid(z: float) -> float:
    return sigmoid_pair(z)[0]


def softplus(z: float) -> float:
    """ln(1 + e^z) = max(z, 0) + ln(1 + e^−|z|): never exponentiates a large positive number."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def _tanh_pair(z: float) -> tuple[float, float]:
    """(tanh z, 1 − tanh z), the second exact in its digits for large positive z."""
    if z <= 0:
        y = math.tanh(z)
        return y, 1.0 - y  # 1 − y ≥ 1 here: no cancellation
    e = math.exp(-2.0 * z)
    return math.tanh(z), 2.0 * e / (1.0 + e)


def _tanh_slope(z: float) -> float:
    """1 − tanh²(z) = sech²(z) = 4e^(−2|z|)/(1 + e^(−2|z|))², without 1 − y² losing digits."""
    e = math.exp(-2.0 * abs(z))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str  # y in terms of z
    derivative_formula: str  # dy/dz, in the form we teach
    forward: Callable[[float], tuple[float, float]]  # z -> (y, 1 − y)
    slope: Callable[[float, float, float], float]  # (z, y, 1 − y) -> dy/dz
    curvature: Callable[[float, float, float], float]  # (z, y, 1 − y) -> d²y/dz²
    value_subs: Callable[[float], tuple[Sub, ...]]  # z -> y's formula with numbers
    slope_subs: Callable[[float, float, float], tuple[Sub, ...]]  # dy/dz's formula with numbers
    # (name of z, z, the slope, the slope's name) -> one plain sentence on what this slope does
    # to the gradient here.
    note: Callable[[str, float, float, str], str]
    max_slope: float | None = None  # the largest dy/dz (at z = 0) for units that saturate
    bounded_0_1: bool = False  # output strictly inside (0, 1): may feed a cross-entropy loss
    # Output never above 1, so Loss = 1 − y has a floor; unbounded outputs would fall forever.
    at_most_1: bool = False
    # (z, y, 1 − y, t) -> y − t without cancelling digits near a bound; None: plain y − t.
    difference: Callable[[float, float, float, float], float] | None = None

    def value(self, z: float) -> float:
        return self.forward(z)[0]

    def derivative(self, z: float, y: float | None = None) -> float:
        """dy/dz at z (``y`` is accepted for symmetry with the formulas, and recomputed)."""
        y, complement = self.forward(z)
        return self.slope(z, y, complement)

    def minus(self, z: float, y: float, complement: float, t: float) -> float:
        """y − t, to full precision even when y is within a hair of a bound."""
        return y - t if self.difference is None else self.difference(z, y, complement, t)


def _near_one_difference(z: float, y: float, complement: float, t: float) -> float:
    """y − t as (1 − t) − (1 − y) when y is near 1, where y itself has lost 1 − y's digits."""
    return (1.0 - t) - complement if y > 0.5 else y - t


def _tanh_difference(z: float, y: float, complement: float, t: float) -> float:
    if y < -0.5:
        return (-1.0 - t) + _tanh_pair(-z)[1]  # 1 + tanh z = 1 − tanh(−z), kept in its digits
    return _near_one_difference(z, y, complement, t)


SATURATED_SHARE = 0.01  # a slope under 1% of its peak: the unit is saturated


def is_saturated(activation: Activation, slope: float) -> bool:
    peak = activation.max_slope
    return peak is not None and math.isfinite(slope) and abs(slope) < SATURATED_SHARE * peak


def _saturation_note(unit: str, peak: float) -> Callable[[str, float, float, str], str]:
    def note(z_name: str, z: float, slope: float, slope_name: str) -> str:
        general = (f"{unit} is steepest at {z_name} = 0, where {slope_name} = {fmt_value(peak)}; "
                   f"far from 0 its curve is flat (saturated) and the slope tiny.")  # fmt: skip
        if not (math.isfinite(slope) and 0 < slope <= peak):
            return general
        if slope < SATURATED_SHARE * peak:
            return f"{general} Here it is {fmt_value(peak / slope)}× smaller than at {z_name} = 0."
        return f"{general} Here it is {fmt_value(round(100 * slope / peak, 1))}% of its peak."

    return note


def _step_sub(z: float, slope_below: float) -> tuple[Sub, ...]:
    """``1 if 2 > 0 else 0``: the case split with z plugged in."""
    return (Sub("1 if {0} > 0 else " + fmt_value(slope_below), (z,),
                lambda z: 1.0 if z > 0 else slope_below),)  # fmt: skip


SIGMOID = Activation(
    name="sigmoid",
    formula="y = σ(z) = 1 / (1 + e^(−z))",
    derivative_formula="dy/dz = y(1 − y)",
    forward=sigmoid_pair,
    slope=lambda z, y, c: y * c,
    curvature=lambda z, y, c: y * c * (c - y),  # y(1 − y)(1 − 2y)
    value_subs=lambda z: (Sub("1 / (1 + e^({0:p}))", (-z,), lambda m: 1 / (1 + safe_exp(m))),),
    slope_subs=lambda z, y, c: (
        Sub("{0} × (1 − {0})", (y,), lambda y: y * (1 - y)),
        Sub("{0} × {1}", (y, c), lambda y, c: y * c),  # 1 − y as its own number
    ),
    note=_saturation_note("The sigmoid", 0.25),
    max_slope=0.25,
    bounded_0_1=True,
    at_most_1=True,
    difference=_near_one_difference,
)

TANH = Activation(
    name="tanh",
    formula="y = tanh(z)",
    derivative_formula="dy/dz = 1 − y²",
    forward=_tanh_pair,
    slope=lambda z, y, c: _tanh_slope(z),
    curvature=lambda z, y, c: -2.0 * y * _tanh_slope(z),
    value_subs=lambda z: (Sub("tanh({0:p})", (z,), math.tanh),),
    slope_subs=lambda z, y, c: (
        Sub("1 − {0}²", (y,), lambda y: 1 - y * y),
        # (1 − |y|)(1 + |y|): each factor as a number when y is too close to ±1 to show
        Sub("{0} × {1}", (1.0 - abs(y) if abs(y) < 0.5 else _tanh_pair(abs(z))[1],
                          1.0 + abs(y)), lambda a, b: a * b),
    ),
    note=_saturation_note("tanh", 1.0),
    max_slope=1.0,
    at_most_1=True,
    difference=_tanh_difference,
)

RELU = Activation(
    name="relu",
    formula="y = ReLU(z) = max(0, z)",
    derivative_formula="dy/dz = 1 if z > 0 else 0",
    # relu′(0) = 0, as PyTorch does.
    forward=lambda z: (z, 1.0 - z) if z > 0 else (0.0, 1.0),
    slope=lambda z, y, c: 1.0 if z > 0 else 0.0,
    curvature=lambda z, y, c: 0.0,
    value_subs=lambda z: (Sub("max(0, {0:p})", (z,), lambda z: max(0.0, z)),),
    slope_subs=lambda z, y, c: _step_sub(z, 0.0),
    note=lambda z_name, z, slope, slope_name: (
        f"ReLU passes the gradient unchanged when {z_name} > 0 and blocks it entirely "
        f"when {z_name} ≤ 0."
    ),
)

LEAKY_RELU = Activation(
    name="leaky-relu",
    formula=f"y = z if z > 0 else {LEAKY_SLOPE}·z",
    derivative_formula=f"dy/dz = 1 if z > 0 else {LEAKY_SLOPE}",
    # At z = 0 the slope below is used, as PyTorch does.
    forward=lambda z: (z, 1.0 - z) if z > 0 else (LEAKY_SLOPE * z, 1.0 - LEAKY_SLOPE * z),
    slope=lambda z, y, c: 1.0 if z > 0 else LEAKY_SLOPE,
    curvature=lambda z, y, c: 0.0,
    value_subs=lambda z: (
        (Sub("{0}", (z,), lambda z: z),) if z > 0
        else (Sub(f"{LEAKY_SLOPE} × " + "{0}", (z,), lambda z: LEAKY_SLOPE * z),)
    ),  # fmt: skip
    slope_subs=lambda z, y, c: _step_sub(z, LEAKY_SLOPE),
    note=lambda z_name, z, slope, slope_name: (
        f"Leaky ReLU lets {LEAKY_SLOPE} of the gradient through when {z_name} ≤ 0, so such a "
        "unit still learns, slowly, where a plain ReLU would stop."
    ),
)

LINEAR = Activation(
    name="linear",
    formula="y = z",
    derivative_formula="dy/dz = 1",
    forward=lambda z: (z, 1.0 - z),
    slope=lambda z, y, c: 1.0,
    curvature=lambda z, y, c: 0.0,
    value_subs=lambda z: (Sub("{0}", (z,), lambda z: z),),
    slope_subs=lambda z, y, c: (),
    note=lambda z_name, z, slope, slope_name: "A linear output passes the gradient through unchanged.",
)

SOFTPLUS = Activation(
    name="softplus",
    formula="y = ln(1 + e^z)",
    derivative_formula="dy/dz = σ(z) = 1 / (1 + e^(−z))",
    forward=lambda z: (softplus(z), 1.0 - softplus(z)),
    slope=lambda z, y, c: sigmoid(z),
    curvature=lambda z, y, c: math.prod(sigmoid_pair(z)),  # σ(z)σ(−z)
    value_subs=lambda z: (
        Sub("ln(1 + e^({0:p}))", (z,), lambda z: math.log1p(safe_exp(z))),
        Sub("{0} + ln(1 + e^({1:p}))", (z, -z), lambda z, m: z + math.log1p(safe_exp(m))),
    ),
    slope_subs=lambda z, y, c: (
        Sub("1 / (1 + e^({0:p}))", (-z,), lambda m: 1 / (1 + safe_exp(m))),
    ),
    note=lambda z_name, z, slope, slope_name: (
        f"softplus is a smooth version of ReLU: its slope is the sigmoid of {z_name}, between "
        "0 and 1."
    ),
)


def _silu_slope(z: float) -> float:
    s, one_minus_s = sigmoid_pair(z)
    return s * (1.0 + z * one_minus_s)


def _silu_curvature(z: float) -> float:
    s, one_minus_s = sigmoid_pair(z)
    return s * one_minus_s * (2.0 + z * (one_minus_s - s))  # σσ′·(2 + z(1 − 2σ))


def _silu_slope_subs(z: float) -> tuple[Sub, ...]:
    s, one_minus_s = sigmoid_pair(z)
    return (
        Sub("{0} × (1 + {1} × (1 − {0}))", (s, z), lambda s, z: s * (1 + z * (1 - s))),
        Sub("{0} × (1 + {1} × {2})", (s, z, one_minus_s), lambda s, z, c: s * (1 + z * c)),
    )


SILU = Activation(
    name="silu",
    formula="y = z·σ(z)",
    derivative_formula="dy/dz = σ(z)(1 + z(1 − σ(z)))",
    forward=lambda z: (z * sigmoid(z), 1.0 - z * sigmoid(z)),
    slope=lambda z, y, c: _silu_slope(z),
    curvature=lambda z, y, c: _silu_curvature(z),
    value_subs=lambda z: (Sub("{0} × σ({0:p})", (z,), lambda z: z * sigmoid(z)),),
    slope_subs=lambda z, y, c: _silu_slope_subs(z),
    note=lambda z_name, z, slope, slope_name: (
        f"SiLU's slope is negative only for {z_name} < {fmt_value(SILU_SLOPE_ZERO)}, peaks at "
        f"{fmt_value(SILU_SLOPE_PEAK[1])} near {z_name} = {fmt_value(SILU_SLOPE_PEAK[0])} and "
        f"tends to 1 for large {z_name}."
    ),
)

ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (SIGMOID, TANH, RELU, LEAKY_RELU, LINEAR, SOFTPLUS, SILU)
}
