"""Activation functions: each one's value, derivative and formula text stand side by side.

As in micrograd's engine, the local derivative sits right beside the forward rule. Where a
derivative has a form we teach in terms of the output (σ' = y(1 − y), tanh' = 1 − y²), that
is the form computed, so the numbers a learner sees are the ones the formula promises.
All functions take Python floats and stay finite (no overflow, no NaN) for |z| up to 1e6.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .numbers import fmt_plain, fmt_sub

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str  # y in terms of z
    derivative_formula: str  # dy/dz, in the form we teach
    value: Callable[[float], float]  # z -> y
    value_substitution: Callable[[float], str]  # y with z plugged in
    derivative: Callable[[float, float], float]  # (z, y) -> dy/dz
    substitution: Callable[[float, float], str]  # (z, y) -> dy/dz with numbers plugged in
    note: str  # one plain sentence on what the derivative does to a gradient
    bounded_0_1: bool = False  # output strictly inside (0, 1): may feed a cross-entropy loss
    # Output never above 1, so Loss = 1 − y has a floor; unbounded outputs would fall forever.
    at_most_1: bool = False


def _sigmoid(z: float) -> float:
    # Two branches so exp() only ever sees a non-positive argument: no overflow at |z| = 1e6.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _softplus(z: float) -> float:
    # ln(1 + e^z) = max(z, 0) + ln(1 + e^−|z|): never exponentiates a large positive number.
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def _silu_derivative(z: float, y: float) -> float:
    s = _sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


def _silu_substitution(z: float, y: float) -> str:
    s = fmt_sub(_sigmoid(z))
    return f"{s} × (1 + {fmt_sub(z)} × (1 − {s}))"


def _step_substitution(z: float, slope_below: float) -> str:
    return f"{fmt_sub(z)} > 0 → 1" if z > 0 else f"{fmt_sub(z)} ≤ 0 → {fmt_sub(slope_below)}"


SIGMOID = Activation(
    name="sigmoid",
    formula="y = σ(z) = 1 / (1 + e^(−z))",
    derivative_formula="dy/dz = y(1 − y)",
    value=_sigmoid,
    value_substitution=lambda z: f"1 / (1 + e^({fmt_plain(-z)}))",
    derivative=lambda z, y: y * (1.0 - y),
    substitution=lambda z, y: f"{fmt_sub(y)} × (1 − {fmt_sub(y)})",
    note="σ′ is at most 0.25 (at z = 0), so the sigmoid damps every gradient passing through it.",
    bounded_0_1=True,
    at_most_1=True,
)

TANH = Activation(
    name="tanh",
    formula="y = tanh(z)",
    derivative_formula="dy/dz = 1 − y²",
    value=math.tanh,
    value_substitution=lambda z: f"tanh({fmt_plain(z)})",
    derivative=lambda z, y: 1.0 - y * y,
    substitution=lambda z, y: f"1 − {fmt_sub(y)}²",
    note="tanh′ is at most 1 (at z = 0) and vanishes as |z| grows: a saturated unit stops learning.",
    at_most_1=True,
)

RELU = Activation(
    name="relu",
    formula="y = ReLU(z) = max(0, z)",
    derivative_formula="dy/dz = 1 if z > 0 else 0",
    value=lambda z: z if z > 0 else 0.0,
    # relu'(0) = 0, as PyTorch does.
    value_substitution=lambda z: f"max(0, {fmt_plain(z)})",
    derivative=lambda z, y: 1.0 if z > 0 else 0.0,
    substitution=lambda z, y: _step_substitution(z, 0.0),
    note="ReLU passes the gradient unchanged when z > 0 and blocks it entirely when z ≤ 0.",
)

LEAKY_RELU = Activation(
    name="leaky-relu",
    formula=f"y = z if z > 0 else {LEAKY_SLOPE}·z",
    derivative_formula=f"dy/dz = 1 if z > 0 else {LEAKY_SLOPE}",
    value=lambda z: z if z > 0 else LEAKY_SLOPE * z,
    # At z = 0 the slope below is used, as PyTorch does.
    value_substitution=lambda z: fmt_sub(z) if z > 0 else f"{LEAKY_SLOPE} × {fmt_sub(z)}",
    derivative=lambda z, y: 1.0 if z > 0 else LEAKY_SLOPE,
    substitution=lambda z, y: _step_substitution(z, LEAKY_SLOPE),
    note="Leaky ReLU lets a small gradient through when z ≤ 0, so a unit can recover.",
)

LINEAR = Activation(
    name="linear",
    formula="y = z",
    derivative_formula="dy/dz = 1",
    value=lambda z: z,
    value_substitution=fmt_sub,
    derivative=lambda z, y: 1.0,
    substitution=lambda z, y: "1",
    note="A linear output passes the gradient through unchanged.",
)

SOFTPLUS = Activation(
    name="softplus",
    formula="y = ln(1 + e^z)",
    derivative_formula="dy/dz = σ(z) = 1 / (1 + e^(−z))",
    value=_softplus,
    value_substitution=lambda z: f"ln(1 + e^({fmt_plain(z)}))",
    derivative=lambda z, y: _sigmoid(z),
    substitution=lambda z, y: f"1 / (1 + e^({fmt_plain(-z)}))",
    note="softplus is a smooth ReLU: its slope is the sigmoid of z, between 0 and 1.",
)

SILU = Activation(
    name="silu",
    formula="y = z·σ(z)",
    derivative_formula="dy/dz = σ(z)(1 + z(1 − σ(z)))",
    value=lambda z: z * _sigmoid(z),
    value_substitution=lambda z: f"{fmt_sub(z)} × σ({fmt_plain(z)})",
    derivative=_silu_derivative,
    substitution=_silu_substitution,
    note="SiLU's slope dips slightly below 0 for negative z and tends to 1 for large z.",
)

ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (SIGMOID, TANH, RELU, LEAKY_RELU, LINEAR, SOFTPLUS, SILU)
}

