"""Saturation keeps its digits: every factor against a 60-digit reference, |z| up to 1000.

The reference is written from the textbook formulas in closed forms that mpmath evaluates to
60 digits (1 − σ(z) = σ(−z) is exact there anyway), never from calc_tutor.core. Where the exact
value lies beyond float64 (above 1.8e308, or below the normal range), the engine must give inf,
or a number that is as good as 0.
"""

from __future__ import annotations

import math

import mpmath
import pytest
from mpmath import mp, mpf

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron

RTOL = 1e-12
SMALLEST_NORMAL = 2.2250738585072014e-308
LEAK = mpf("0.01")

# The cases are among them: bce at z = 30 and 36, σ′(40), tanh′(±20).
Z_GRID = (
    -1000.0, -745.0, -710.0, -100.0, -40.0, -37.4, -30.0, -20.0, -5.0, -1.0, -1e-8, 0.0,
    1e-8, 1.0, 5.0, 20.0, 30.0, 36.0, 37.4, 40.0, 100.0, 710.0, 745.0, 1000.0,
)  # fmt: skip


def _sigmoid(z):
    return 1 / (1 + mpmath.exp(-z))


# (y, 1 − y, dy/dz) in closed forms that keep their digits at any z.
REFERENCE = {
    "sigmoid": lambda z: (_sigmoid(z), _sigmoid(-z), _sigmoid(z) * _sigmoid(-z)),
    "tanh": lambda z: (mpmath.tanh(z), 2 / (1 + mpmath.exp(2 * z)), mpmath.sech(z) ** 2),
    "relu": lambda z: (max(z, mpf(0)), 1 - max(z, mpf(0)), mpf(1) if z > 0 else mpf(0)),
    "leaky-relu": lambda z: (z if z > 0 else LEAK * z, 1 - (z if z > 0 else LEAK * z),
                             mpf(1) if z > 0 else LEAK),  # fmt: skip
    "linear": lambda z: (z, 1 - z, mpf(1)),
    "softplus": lambda z: (mpmath.log1p(mpmath.exp(z)), 1 - mpmath.log1p(mpmath.exp(z)),
                           _sigmoid(z)),  # fmt: skip
    "silu": lambda z: (z * _sigmoid(z), 1 - z * _sigmoid(z),
                       _sigmoid(z) * (1 + z * _sigmoid(-z))),  # fmt: skip
}


def reference_update(activation: str, loss: str, target: float, z: float) -> dict:
    with mp.workdps(60):
        return _reference_update(activation, loss, target, z)


def _reference_update(activation: str, loss: str, target: float, z: float) -> dict:
    z, t = mpf(z), mpf(target)
    y, complement, dy_dz = REFERENCE[activation](z)
    # y − t, near 1 from 1 − y so that it keeps its digits
    miss = (1 - t) - complement if y > 0.5 else y - t
    if activation == "tanh" and y < 0:
        miss = (-1 - t) + 2 / (1 + mpmath.exp(-2 * z))  # 1 + tanh z
    if loss == "one-minus-y":
        value, dloss_dy = complement, mpf(-1)
    elif loss == "mse":
        value, dloss_dy = miss**2, 2 * miss
    else:  # bce, after the sigmoid: −ln σ(z) = ln(1 + e^−z)
        value = t * mpmath.log1p(mpmath.exp(-z)) + (1 - t) * mpmath.log1p(mpmath.exp(z))
        dloss_dy = -t / y + (1 - t) / complement
    dloss_dz = miss if loss == "bce" else dloss_dy * dy_dz
    return {"y": y, "loss": value, "dloss_dy": dloss_dy, "dy_dz": dy_dz, "dloss_dz": dloss_dz}


def assert_matches(actual: float, exact, name: str) -> None:
    magnitude = abs(exact)
    if magnitude > mpf(1.7976931348623157e308):
        assert math.isinf(actual) and (actual > 0) == (exact > 0), (name, actual, exact)
    elif magnitude < SMALLEST_NORMAL:
        assert abs(actual) < 1e-300, (name, actual, exact)
    else:
        assert math.isfinite(actual), (name, actual, exact)
        error = abs(mpf(actual) - exact) / magnitude
        assert error <= RTOL, (name, actual, float(exact), float(error))


def _pairings():
    for activation in REFERENCE:
        if activation in ("sigmoid", "tanh"):
            yield activation, "one-minus-y", 1.0
        for target in (0.0, 0.3, 1.0) + ((-1.0,) if activation == "tanh" else ()):
            yield activation, "mse", target
        if activation == "sigmoid":
            for target in (0.0, 0.3, 1.0):
                yield activation, "bce", target


@pytest.mark.parametrize(("activation", "loss", "target"), list(_pairings()))
def test_every_factor_keeps_its_digits_in_saturation(activation, loss, target):
    for z in Z_GRID:
        if abs(z) > 1e3 or (activation not in ("sigmoid", "tanh") and abs(z) > 100):
            continue
        model = Neuron(NeuronConfig(w=(z,), x=(1.0,), lr=1e-3, activation=activation,
                                    loss=loss, target=target))  # fmt: skip
        record = model.update(model.initial_params())
        expected = reference_update(activation, loss, target, z)
        for name, exact in expected.items():
            assert_matches(getattr(record, name), exact, f"{name} at z = {z}")
        assert_matches(record.dloss_dw[0], expected["dloss_dz"], f"dloss_dw at z = {z}")


@pytest.mark.parametrize("z", [37.4, 40.0, 100.0, 700.0])
def test_bce_on_the_wrong_side_of_a_saturated_sigmoid_is_not_divergence(z):
    # The exact loss is about z and dLoss/dz about 1: both are ordinary numbers.
    model = Neuron(NeuronConfig(w=(z,), x=(1.0,), loss="bce", target=0.0))
    record = model.update(model.initial_params())
    assert model.non_finite(record) is None
    assert record.loss == pytest.approx(z, rel=1e-15)
    assert record.dloss_dz == pytest.approx(1.0, rel=1e-15)
