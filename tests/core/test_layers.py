"""The network diagram's numbers and each layer's gradient size, against the autodiff oracle."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given

from calc_tutor.core.layers import gradient_sizes

from . import oracle
from .cases import CORE_SETTINGS, assert_close, mlp_cases, neuron_configs, split_mlp
from calc_tutor.core.neuron import Neuron


@CORE_SETTINGS
@given(mlp_cases())
def test_network_diagram_shows_each_units_error_signal_and_weight(case):
    model, params = case
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    expected = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    inputs, hidden, output = model.diagram(model.update(params))
    assert [u.value for u in inputs.units] == list(c.x) and inputs.weights == ()
    assert all(u.error is None for u in inputs.units)
    assert_close([u.error for u in hidden.units], expected["dloss_dz1"], "dLoss/dz1 per unit")
    assert_close([u.value for u in hidden.units], expected["h"], "h per unit")
    assert_close(np.array(hidden.weights), np.array(w1), "W1 rows, unit by unit")
    (y,) = output.units
    assert_close(y.error, expected["dloss_dz2"], "dLoss/dz2")
    assert_close(y.value, expected["y"], "y")
    assert output.weights == (tuple(w2),)
    assert (hidden.weights_name, output.weights_name) == ("W1", "w2")


@CORE_SETTINGS
@given(mlp_cases())
def test_each_layers_gradient_size_is_the_length_of_its_weight_gradient(case):
    model, params = case
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    expected = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    sizes = dict(gradient_sizes(model, model.update(params)))
    assert list(sizes) == ["W1", "w2"]  # input side first
    assert_close(sizes["W1"], np.linalg.norm(expected["dloss_dw1"]), "|dLoss/dW1|")
    assert_close(sizes["w2"], np.linalg.norm(expected["dloss_dw2"]), "|dLoss/dw2|")


@CORE_SETTINGS
@given(neuron_configs())
def test_the_neurons_diagram_and_gradient_size(config):
    model = Neuron(config)
    step = model.update(model.initial_params())
    expected = oracle.neuron_expected(config.w, config.x, config.b, config.lr, config.activation,
                                      config.loss, config.target)  # fmt: skip
    inputs, unit = model.diagram(step)
    assert [u.name for u in inputs.units] == [f"X{i}" for i in range(1, len(config.x) + 1)]
    assert_close(unit.units[0].error, expected["dloss_dz"], "dLoss/dz")
    assert unit.weights == (tuple(config.w),)
    ((name, size),) = gradient_sizes(model, step)
    assert name == "W"
    assert_close(size, np.linalg.norm(expected["dloss_dw"]), "|dLoss/dW|")
    assert math.isfinite(size)
