"""Attribution: the saliency dy/dX and gradient × input, for both models, against autograd;
occlusion against y recomputed here from the textbook forward pass."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from calc_tutor.core.attribution import attribute
from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron

from . import oracle
from .cases import CORE_SETTINGS, assert_close, mlp_cases, neuron_configs, split_mlp


def check_attribution(model, params, expected_dy_dx, forward) -> None:
    """``forward(x)``: y from the textbook formulas, for the occlusion's two outputs."""
    x = model.config.x
    attributions = attribute(model, params)
    assert [a.feature for a in attributions] == list(range(1, len(x) + 1))  # X1, X2, …
    assert [a.x for a in attributions] == list(x)
    assert_close([a.dy_dx for a in attributions], expected_dy_dx, "dy/dX")
    shares = [a.gradient_x_input for a in attributions]
    assert_close(shares, expected_dy_dx * x, "gradient × input")
    assert tuple(a.dy_dx for a in attributions) == model.dy_dx(model.update(params))
    # Occlusion: y with Xᵢ set to 0, minus y. Two values of y (each |y| ≤ ~8 here) subtracted:
    # rounding leaves a few 1e-16 of their size.
    y = forward(np.array(x))
    for i, a in enumerate(attributions):
        occluded = np.array(x)
        occluded[i] = 0.0
        assert abs(a.occlusion - (forward(occluded) - y)) <= 1e-14 * max(1.0, abs(y)), (i, a)


def neuron_forward(config: NeuronConfig):
    act, w, b = oracle.ACTIVATIONS[config.activation], np.array(config.w), config.b or 0.0
    return lambda x: float(act(float(np.dot(w, x)) + b))


def mlp_forward(model: Mlp, params):
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    act = oracle.ACTIVATIONS[c.activation]
    return lambda x: float(oracle._sigmoid(float(np.dot(w2, act(np.array(w1) @ x + np.array(b1)))) + b2))


@CORE_SETTINGS
@given(neuron_configs())
def test_neuron_attribution_matches_autograd(config: NeuronConfig):
    model = Neuron(config)
    expected = oracle.neuron_dy_dx(config.w, config.x, config.b, config.activation)
    check_attribution(model, model.initial_params(), expected, neuron_forward(config))


@CORE_SETTINGS
@given(mlp_cases())
def test_mlp_attribution_matches_autograd(case):
    model, params = case
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    expected = oracle.mlp_dy_dx(w1, b1, w2, b2, c.x, c.activation)
    check_attribution(model, params, expected, mlp_forward(model, params))


def test_gradient_times_input_of_a_linear_neuron_adds_up_to_its_output():
    # For y = W·X (no bias) gradient × input is exactly each feature's share of y.
    model = Neuron(NeuronConfig(w=(0.5, -2.0, 1.5), x=(4.0, 1.0, -2.0), activation="linear",
                                loss="mse", target=0.0))  # fmt: skip
    shares = [a.gradient_x_input for a in attribute(model, model.initial_params())]
    assert shares == [2.0, -2.0, -3.0]
    assert sum(shares) == model.update(model.initial_params()).y


def test_occlusion_of_a_linear_neuron_is_minus_gradient_times_input():
    # y = W·X + b: removing Xᵢ takes away exactly its share Wᵢ·Xᵢ, the sign convention's check.
    model = Neuron(NeuronConfig(w=(0.5, -2.0, 1.5), x=(4.0, 1.0, -2.0), b=0.25, activation="linear",
                                loss="mse", target=0.0))  # fmt: skip
    attributions = attribute(model, model.initial_params())
    assert [a.occlusion for a in attributions] == [-2.0, 2.0, 3.0]
    assert [a.occlusion for a in attributions] == [-a.gradient_x_input for a in attributions]


def test_an_input_of_zero_gets_no_credit_and_no_occlusion_but_a_slope():
    model = Neuron(NeuronConfig(w=(0.5, -1.0), x=(0.0, 2.0)))
    first = attribute(model, model.initial_params())[0]
    assert (first.gradient_x_input, first.occlusion) == (0.0, 0.0)
    assert first.dy_dx != 0.0  # y still responds to it: it matters, it is just 0 now


def test_a_saturated_neuron_has_almost_no_gradient_while_occlusion_is_large():
    # What the view says attribution cannot tell: the gradient is local. z = 40 − 10 = 30.
    model = Neuron(NeuronConfig(w=(10.0, -10.0), x=(4.0, 1.0)))
    first = attribute(model, model.initial_params())[0]
    assert abs(first.dy_dx) < 1e-11 and abs(first.gradient_x_input) < 1e-10
    y_without = float(oracle._sigmoid(-10.0))  # X1 = 0: z = −10
    assert first.occlusion == pytest.approx(y_without - float(oracle._sigmoid(30.0)), abs=1e-15)
    assert first.occlusion < -0.99  # y falls from ~1 to ~0
