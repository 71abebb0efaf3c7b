"""The slopes view's numbers: each activation's dy/dz, checked against autograd."""

from __future__ import annotations

import pytest
from autograd import grad

from calc_tutor.core.slopes import COMPARED, compared_names, slope_curves, slope_window

from . import oracle


@pytest.mark.parametrize("current", ["sigmoid", "tanh", "relu", "softplus", "silu", "leaky-relu"])
@pytest.mark.parametrize("z", [-7.5, -1.0, 0.5, 3.0, 12.0])
def test_every_slope_is_the_activations_derivative(current, z):
    curves = slope_curves(current, z, points=41)
    assert [c.name for c in curves] == list(compared_names(current))
    for curve in curves:
        derivative = grad(oracle.ACTIVATIONS[curve.name])
        low, high = slope_window(z)
        assert curve.zs[0] == low and curve.zs[-1] == high and low < z < high
        for v, slope in zip(curve.zs, curve.slopes):
            if curve.name in ("relu", "leaky-relu") and v == 0:
                continue  # the kink: PyTorch's convention, checked elsewhere
            assert slope == pytest.approx(float(derivative(v)), rel=1e-9, abs=1e-12)
        assert curve.at_z == pytest.approx(float(derivative(z)), rel=1e-9, abs=1e-12)


def test_the_three_the_source_names_are_always_compared():
    assert COMPARED == ("sigmoid", "tanh", "relu")
    assert compared_names("tanh") == COMPARED
    assert compared_names("silu") == (*COMPARED, "silu")


def test_relu_slope_is_exactly_zero_below_the_kink_and_sigmoid_never_is():
    sigmoid, _, relu = slope_curves("sigmoid", 0.0, points=25)
    assert all(s == 0.0 for v, s in zip(relu.zs, relu.slopes) if v < 0)
    assert all(0 < s <= 0.25 for s in sigmoid.slopes)
