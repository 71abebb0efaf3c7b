"""Every factor of the single neuron against autograd, on random cases and at the kinks."""

from __future__ import annotations

import math

import pytest
from autograd import grad
from hypothesis import given
from hypothesis import strategies as st

from . import oracle
from calc_tutor.core.activations import ACTIVATIONS
from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.losses import LOSSES
from calc_tutor.core.neuron import NEURON_VALUES, Neuron
from .cases import ACTIVATION_NAMES, CORE_SETTINGS, LOSS_NAMES, assert_close, neuron_configs

# The factors the issue names, in its order: each must match the oracle.
FACTORS = (
    "z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dz_dw", "dloss_dw", "dloss_db",
    "dloss_dx", "w_next", "b_next",
)  # fmt: skip


def test_every_activation_and_loss_has_an_oracle():
    # A new activation or loss without a textbook reference would go unchecked.
    assert set(ACTIVATIONS) == set(ACTIVATION_NAMES) == set(oracle.ACTIVATIONS)
    assert set(LOSSES) == set(LOSS_NAMES) == set(oracle.LOSSES)


def test_record_lists_every_factor():
    assert set(FACTORS) <= set(NEURON_VALUES)


@CORE_SETTINGS
@given(neuron_configs())
def test_every_neuron_factor_matches_autograd(config: NeuronConfig):
    model = Neuron(config)
    record = model.update(model.initial_params())
    expected = oracle.neuron_expected(
        config.w, config.x, config.b, config.lr, config.activation, config.loss, config.target
    )
    for name in FACTORS:
        assert_close(getattr(record, name), expected[name], name)
    # The record also carries the parameters it started from.
    assert record.w == config.w and record.x == config.x and record.b == config.b


@CORE_SETTINGS
@given(neuron_configs())
def test_flat_gradient_and_next_params_follow_the_parameter_order(config: NeuronConfig):
    model = Neuron(config)
    params = model.initial_params()
    assert params == config.w + ((config.b,) if config.b is not None else ())
    record = model.update(params)
    bias = (record.dloss_db,) if config.b is not None else ()
    assert model.gradient(record) == record.dloss_dw + bias
    assert model.next_params(record) == record.w_next + ((record.b_next,) if bias else ())


@CORE_SETTINGS
@given(neuron_configs())
def test_taught_derivative_forms_are_the_numbers_shown(config: NeuronConfig):
    # The derivation shows σ' as y(1 − y) and tanh' as 1 − y²: the value is that product, computed
    # in a form that keeps its digits (σ(z)σ(−z), sech²z): equal up to the taught form's own
    # rounding, which is absolute (1 − y² loses digits as y nears 1).
    record = Neuron(config).update(config.w + ((config.b,) if config.b is not None else ()))
    if config.activation == "sigmoid":
        assert record.dy_dz == pytest.approx(record.y * (1.0 - record.y), rel=1e-12, abs=1e-15)
    elif config.activation == "tanh":
        assert record.dy_dz == pytest.approx(1.0 - record.y * record.y, rel=1e-12, abs=1e-15)
    if config.loss == "bce":  # after the sigmoid, dLoss/dz = y − t: the product, simplified
        assert record.dloss_dz == pytest.approx(record.y - config.target, rel=1e-12, abs=1e-15)
        assert record.dloss_dz == pytest.approx(record.dloss_dy * record.dy_dz, rel=1e-9, abs=1e-15)
    else:
        assert record.dloss_dz == record.dloss_dy * record.dy_dz


@pytest.mark.parametrize("z", [0.0, -0.0])
def test_relu_slope_at_zero_is_zero_as_in_pytorch(z):
    relu = ACTIVATIONS["relu"]
    assert relu.value(z) == 0.0
    assert relu.derivative(z, relu.value(z)) == 0.0


@pytest.mark.parametrize("z", [0.0, -0.0])
def test_leaky_relu_slope_at_zero_is_the_leak_as_in_pytorch(z):
    leaky = ACTIVATIONS["leaky-relu"]
    assert leaky.value(z) == 0.0
    assert leaky.derivative(z, leaky.value(z)) == 0.01


@pytest.mark.parametrize("features", [1, 3])  # the one-feature and the vector code paths
def test_neuron_exactly_at_the_relu_kink_passes_no_gradient(features):
    model = Neuron(NeuronConfig(w=(0.5,) * features, x=(0.0,) * features, b=0.0,
                                activation="relu", loss="mse", target=2.0))  # fmt: skip
    record = model.update(model.initial_params())
    assert record.z == 0.0 and record.dy_dz == 0.0
    assert record.dloss_dz == 0.0 and record.dloss_db == 0.0
    assert record.b_next == 0.0


@pytest.mark.parametrize("features", [1, 3])
def test_neuron_exactly_at_the_leaky_relu_kink_passes_the_leak(features):
    model = Neuron(NeuronConfig(w=(0.5,) * features, x=(0.0,) * features, b=0.0, lr=0.5,
                                activation="leaky-relu", loss="mse", target=2.0))  # fmt: skip
    record = model.update(model.initial_params())
    # dLoss/dz = 2(y − t) · 0.01 = 2(0 − 2) · 0.01, and b moves by −α times that.
    assert record.dy_dz == 0.01
    assert math.isclose(record.dloss_dz, -0.04, rel_tol=1e-15)
    assert math.isclose(record.b_next, 0.02, rel_tol=1e-15)


@given(st.floats(-50, 50), st.sampled_from(ACTIVATION_NAMES))
@CORE_SETTINGS
def test_activation_values_match_the_textbook_over_a_wide_range(z, name):
    # Wider than the neuron test: the activation alone. The absolute tolerance allows for the
    # textbook forms' own rounding (ln(1 + e^z) loses digits that the engine's log1p keeps).
    activation = ACTIVATIONS[name]
    if name in ("relu", "leaky-relu") and z == 0:
        return  # the kink is covered above
    y = activation.value(z)
    assert_close(y, float(oracle.ACTIVATIONS[name](z)), f"{name}({z})", rtol=1e-12, atol=1e-15)
    assert_close(activation.derivative(z, y), float(grad(oracle.ACTIVATIONS[name])(z)),
                 f"{name}'({z})", rtol=1e-9, atol=1e-15)  # fmt: skip
