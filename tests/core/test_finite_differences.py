"""Central finite differences agree with the analytic gradient, for both models.

Two checks: the engine's own gradient_check, and a central difference written here, so a
fault shared by the checker and the models cannot hide. Near a ReLU kink a difference
straddles the corner, so the random cases keep z at least 1e-3 away from it.
"""

from __future__ import annotations

import math

from hypothesis import given

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.gradcheck import gradient_check, relative_error
from calc_tutor.core.neuron import Neuron

from .cases import CORE_SETTINGS, mlp_cases, neuron_configs

STEP = 1e-5


def central_difference(loss_of, params: tuple[float, ...]) -> list[float]:
    """dLoss/dp ≈ (L(p + h) − L(p − h)) / 2h, one parameter at a time."""
    slopes = []
    for i, p in enumerate(params):
        h = STEP * (1.0 + abs(p))
        up = params[:i] + (p + h,) + params[i + 1 :]
        down = params[:i] + (p - h,) + params[i + 1 :]
        slopes.append((loss_of(up) - loss_of(down)) / (2 * h))
    return slopes


def assert_agrees(analytic: float, numeric: float, what: str) -> None:
    # Truncation (~h²) and rounding (~ε·L/h) both sit far below this; a wrong factor does not.
    assert abs(analytic - numeric) <= 1e-6 * max(1.0, abs(analytic)), (what, analytic, numeric)


def check_model(model, params) -> None:
    analytic = model.gradient(model.update(params))
    checks = gradient_check(model, params)
    assert [c.index for c in checks] == list(range(len(params)))
    for check in checks:
        assert check.analytic == analytic[check.index]
        assert_agrees(check.analytic, check.numeric, f"gradient_check[{check.index}]")
        assert check.relative_error == relative_error(check.analytic, check.numeric)
    numeric = central_difference(model.forward_loss, params)
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        assert_agrees(a, n, f"central difference[{i}]")


@CORE_SETTINGS
@given(neuron_configs(kink_margin=1e-3))
def test_neuron_gradient_agrees_with_finite_differences(config: NeuronConfig):
    model = Neuron(config)
    check_model(model, model.initial_params())


@CORE_SETTINGS
@given(mlp_cases(kink_margin=1e-3))
def test_mlp_gradient_agrees_with_finite_differences(case):
    model, params = case
    check_model(model, params)


def test_forward_loss_is_the_records_loss():
    # The finite differences probe forward_loss; it must be the loss the learner is shown.
    model = Neuron(NeuronConfig(w=(0.3, -0.7), x=(1.5, 2.0), b=0.1, activation="tanh",
                                loss="mse", target=0.25))  # fmt: skip
    params = model.initial_params()
    z = 0.3 * 1.5 - 0.7 * 2.0 + 0.1
    assert math.isclose(model.forward_loss(params), (math.tanh(z) - 0.25) ** 2, rel_tol=1e-14)


class _HalvedGradient:
    """A model whose backward pass is off by a factor of 2: the checker must say so."""

    def __init__(self, model):
        self._model = model

    def update(self, params, index=0):
        return self._model.update(params, index)

    def forward_loss(self, params, index=0):
        return self._model.forward_loss(params, index)

    def gradient(self, record):
        return tuple(g / 2 for g in self._model.gradient(record))


def test_gradient_check_flags_a_wrong_gradient():
    model = Neuron(NeuronConfig(w=(0.5, -1.0), x=(2.0, 1.0), b=0.2))
    checks = gradient_check(_HalvedGradient(model), model.initial_params())
    assert all(c.relative_error > 0.4 for c in checks)  # |g/2 − g| / |g| = 0.5


def test_gradient_check_scales_its_step_for_large_weights():
    # A fixed ε of 1e-6 would vanish in rounding next to a weight of 1e8.
    model = Neuron(NeuronConfig(w=(1e8,), x=(1e-8,), activation="tanh", loss="mse", target=0.0))
    for check in gradient_check(model, model.initial_params()):
        assert_agrees(check.analytic, check.numeric, "large weight")
        assert check.relative_error < 1e-6
