"""Attribution: the saliency dy/dX and gradient × input, for both models, against autograd."""

from __future__ import annotations

from hypothesis import given

from calc_tutor.core.attribution import attribute
from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron

from . import oracle
from .cases import CORE_SETTINGS, assert_close, mlp_cases, neuron_configs, split_mlp


def check_attribution(model, params, expected_dy_dx) -> None:
    x = model.config.x
    attributions = attribute(model, params)
    assert [a.feature for a in attributions] == list(range(1, len(x) + 1))  # X1, X2, …
    assert [a.x for a in attributions] == list(x)
    assert_close([a.dy_dx for a in attributions], expected_dy_dx, "dy/dX")
    shares = [a.gradient_x_input for a in attributions]
    assert_close(shares, expected_dy_dx * x, "gradient × input")
    assert tuple(a.dy_dx for a in attributions) == model.dy_dx(model.update(params))


@CORE_SETTINGS
@given(neuron_configs())
def test_neuron_attribution_matches_autograd(config: NeuronConfig):
    model = Neuron(config)
    expected = oracle.neuron_dy_dx(config.w, config.x, config.b, config.activation)
    check_attribution(model, model.initial_params(), expected)


@CORE_SETTINGS
@given(mlp_cases())
def test_mlp_attribution_matches_autograd(case):
    model, params = case
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    check_attribution(model, params, oracle.mlp_dy_dx(w1, b1, w2, b2, c.x, c.activation))


def test_gradient_times_input_of_a_linear_neuron_adds_up_to_its_output():
    # For y = W·X (no bias) gradient × input is exactly each feature's share of y.
    model = Neuron(NeuronConfig(w=(0.5, -2.0, 1.5), x=(4.0, 1.0, -2.0), activation="linear",
                                loss="mse", target=0.0))  # fmt: skip
    shares = [a.gradient_x_input for a in attribute(model, model.initial_params())]
    assert shares == [2.0, -2.0, -3.0]
    assert sum(shares) == model.update(model.initial_params()).y
