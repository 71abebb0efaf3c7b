"""The gradient check, both sides: the analytic gradient it checks against autograd, its central
difference against one computed here from a textbook forward pass, the planted bug, and ε.

test_finite_differences.py checks the models' gradients with finite differences; this file
checks the checker a learner runs (``calc-tutor gradcheck``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.gradcheck import (
    DEFAULT_EPSILON,
    PASS_BELOW,
    SMALLEST_EPSILON,
    ParamCheck,
    gradient_check,
    plant_bug,
    relative_error,
)
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron

from . import oracle
from .cases import CORE_SETTINGS, assert_close, mlp_cases, neuron_configs, split_mlp


def neuron_gradient(config: NeuronConfig, params) -> np.ndarray:
    """dLoss/d(W, b) by autograd, flat in the neuron's layout (b only with a bias)."""
    w, b = (params[:-1], params[-1]) if config.b is not None else (params, None)
    expected = oracle.neuron_expected(w, config.x, b, config.lr, config.activation, config.loss,
                                      config.target)  # fmt: skip
    tail = [expected["dloss_db"]] if b is not None else []
    return np.concatenate([expected["dloss_dw"], tail])


def mlp_gradient(model: Mlp, params) -> np.ndarray:
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    e = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    return np.concatenate([np.ravel(e["dloss_dw1"]), e["dloss_db1"], e["dloss_dw2"], [e["dloss_db2"]]])


def neuron_loss(config: NeuronConfig):
    """Loss(params) from the textbook formulas (no calc_tutor code)."""
    act, loss_of = oracle.ACTIVATIONS[config.activation], oracle.LOSSES[config.loss]
    x = np.array(config.x)

    def loss(params) -> float:
        w, b = (params[:-1], params[-1]) if config.b is not None else (params, 0.0)
        return float(loss_of(act(float(np.dot(np.array(w), x)) + b), config.target))

    return loss


def mlp_loss(model: Mlp):
    c = model.config
    act, loss_of = oracle.ACTIVATIONS[c.activation], oracle.LOSSES[c.loss]
    x = np.array(c.x)

    def loss(params) -> float:
        w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
        h = act(np.array(w1) @ x + np.array(b1))
        return float(loss_of(oracle._sigmoid(float(np.dot(np.array(w2), h)) + b2), c.target))

    return loss


def textbook_difference(loss, params, epsilon: float) -> list[float]:
    """(L(p + h) − L(p − h)) / 2h with h = ε·max(1, |p|), over the real distance apart."""
    slopes = []
    for i, p in enumerate(params):
        h = epsilon * max(1.0, abs(p))
        up, down = list(params), list(params)
        up[i], down[i] = p + h, p - h
        slopes.append((loss(up) - loss(down)) / ((p + h) - (p - h)))
    return slopes


def check_both_sides(checks: list[ParamCheck], expected_gradient, loss, params) -> None:
    assert [c.index for c in checks] == list(range(len(params)))
    assert_close([c.analytic for c in checks], expected_gradient, "analytic side vs autograd")
    # Two float64 central differences of the same loss differ by rounding in the loss, divided by
    # 2h: the textbook loss (−ln(1 − y) taken from y) loses up to ~1e-13 of L near saturation,
    # where the engine's (from z) does not, so allow ~1e-13·L/h.
    scale = max(1.0, abs(loss(params)))
    for check, numeric in zip(checks, textbook_difference(loss, params, DEFAULT_EPSILON)):
        assert abs(check.numeric - numeric) <= 1e-6 * scale, (check, numeric)
        assert check.relative_error == relative_error(check.analytic, check.numeric)


@CORE_SETTINGS
@given(neuron_configs(kink_margin=1e-3))
def test_neuron_check_matches_autograd_and_a_textbook_difference(config: NeuronConfig):
    model = Neuron(config)
    params = model.initial_params()
    checks = gradient_check(model, params)
    check_both_sides(checks, neuron_gradient(config, params), neuron_loss(config), params)


@CORE_SETTINGS
@given(mlp_cases(kink_margin=1e-3))
def test_mlp_check_matches_autograd_and_a_textbook_difference(case):
    model, params = case
    checks = gradient_check(model, params)
    check_both_sides(checks, mlp_gradient(model, params), mlp_loss(model), params)


@CORE_SETTINGS
@given(neuron_configs(kink_margin=1e-3))
def test_planted_bug_drops_exactly_dy_dz_in_the_neuron(config: NeuronConfig):
    model = Neuron(config)
    params = model.initial_params()
    w, b = model.split(params)
    expected = oracle.neuron_expected(w, config.x, b, config.lr, config.activation, config.loss,
                                      config.target)  # fmt: skip
    bug = plant_bug(model, params)
    # Without dy/dz: dLoss/dW = dLoss/dy · X and dLoss/db = dLoss/dy.
    wrong = expected["dloss_dy"] * np.concatenate([config.x, [1.0] if b is not None else []])
    assert_close(bug.gradient, wrong, "gradient without dy/dz")
    assert bug.dropped == "dy/dz"
    assert_close(bug.dropped_value, expected["dy_dz"], "dy/dz")


@CORE_SETTINGS
@given(mlp_cases())
def test_planted_bug_drops_exactly_dy_dz2_in_the_network(case):
    model, params = case
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    e = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    bug = plant_bug(model, params)
    assert bug.dropped == "dy/dz2"
    assert_close(bug.dropped_value, e["dy_dz2"], "dy/dz2")
    # Every gradient of the network passes through dLoss/dz2 = dLoss/dy · dy/dz2 once: without
    # dy/dz2, each is the true one times dLoss/dy / dLoss/dz2, i.e. divided by dy/dz2.
    assert_close(np.asarray(bug.gradient) * e["dy_dz2"], mlp_gradient(model, params),
                 "gradient without dy/dz2, times dy/dz2")  # fmt: skip


@pytest.mark.parametrize("model", [
    Neuron(NeuronConfig()),
    Neuron(NeuronConfig(w=(0.5, -0.25), x=(2.0, 1.0), b=0.1, activation="tanh", loss="mse", target=0.2)),
    Mlp(MlpConfig(x=(1.0, 2.0), hidden=3, seed=0)),
    Mlp(MlpConfig(x=(0.5,), hidden=2, seed=4, activation="sigmoid", loss="bce", target=0.0)),
], ids=["seed neuron", "tanh mse with bias", "mlp tanh", "mlp sigmoid bce"])  # fmt: skip
def test_the_planted_bug_fails_and_the_true_gradient_passes(model):
    params = model.initial_params()
    assert all(check.passed for check in gradient_check(model, params))
    bug = plant_bug(model, params)
    failed = [c for c in gradient_check(model, params, analytic=bug.gradient) if not c.passed]
    assert failed and all(c.relative_error > 0.1 for c in failed)


def test_the_planted_bug_changes_nothing_where_dy_dz_is_1():
    # A linear neuron's slope is 1: leaving it out leaves the gradient as it was.
    model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), activation="linear", loss="mse", target=0.0))
    bug = plant_bug(model, model.initial_params())
    assert bug.dropped_value == 1.0
    assert bug.gradient == model.gradient(model.update(model.initial_params()))


@pytest.mark.parametrize("model", [
    Neuron(NeuronConfig()),
    Neuron(NeuronConfig(w=(0.5, -0.25), x=(2.0, 1.0), b=0.1, activation="tanh", loss="mse", target=0.2)),
    Mlp(MlpConfig(x=(1.0, 2.0), hidden=3, seed=0)),
], ids=["seed neuron", "tanh mse with bias", "mlp tanh"])  # fmt: skip
def test_too_small_an_epsilon_lets_rounding_win(model):
    params = model.initial_params()
    at_default = gradient_check(model, params, 1e-6)
    at_tiny = gradient_check(model, params, 1e-14)
    for default, tiny in zip(at_default, at_tiny):
        # Rounding in Loss (~1e-16 of it) divided by 2h grows as h shrinks: 1e-14 is far worse.
        assert tiny.relative_error > 100 * default.relative_error, (default, tiny)
    assert all(c.passed for c in at_default) and not all(c.passed for c in at_tiny)


@given(st.floats(-1e300, 1e300, allow_nan=False), st.floats(SMALLEST_EPSILON, 1.0))
def test_from_the_smallest_epsilon_up_p_plus_and_minus_the_step_differ_from_p(p, epsilon):
    # What the --eps floor promises: the two points never round back onto p (no 0 / 0).
    step = epsilon * max(1.0, abs(p))
    assert p + step != p and p - step != p


def test_below_the_smallest_epsilon_the_step_can_vanish():
    # Why the floor is there: just below it, 1 + ε rounds back to 1.
    assert 1.0 + SMALLEST_EPSILON / 2 == 1.0


def test_relative_error_and_the_pass_mark():
    assert relative_error(2.0, 1.0) == 0.5
    assert relative_error(-1.0, 1.0) == 2.0
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1e-13, 2e-13) == pytest.approx(1e-13)  # both tiny: absolute difference
    assert ParamCheck(0, 1.0, 1.0, PASS_BELOW * 0.99).passed
    assert not ParamCheck(0, 1.0, 1.0, PASS_BELOW).passed
    assert not ParamCheck(0, 1.0, math.nan, math.nan).passed
