"""Stalls, saturation and bouncing are explained where they happen, with the run's numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.curvature import power_iteration
from calc_tutor.core.diagnosis import BOUNCE_WINDOW, STALL_WINDOW, diagnose
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import parse_shown
from calc_tutor.core.session import Session

from .cases import CORE_SETTINGS, neuron_configs


def note_after(model, steps: int):
    session = Session(model)
    session.forward(steps)
    last = session.length
    records = [session.record(s) for s in range(max(1, last - BOUNCE_WINDOW + 1), last + 1)]
    return diagnose(model, records)


def numbers_in(text: str) -> list[float]:
    import re

    return [parse_shown(n) for n in re.findall(r"−?\d+(?:\.\d+)?(?:e[+−]\d+)?", text)]


def test_a_dead_relu_is_named():
    model = Neuron(NeuronConfig(w=(-0.5,), x=(2.0,), activation="relu", loss="mse", target=1.0))
    note = note_after(model, 3)
    assert note is not None and note.kind == "dead-relu"
    assert "dead ReLU: z = −1 < 0, so dy/dz = 0 and W cannot move" in note.text


def test_a_dead_relu_with_a_bias_says_both_are_frozen():
    model = Neuron(NeuronConfig(w=(-0.5,), x=(2.0,), b=-0.1, activation="relu", loss="mse"))
    assert "W and b cannot move" in note_after(model, 2).text


@pytest.mark.parametrize(("activation", "peak"), [("sigmoid", 0.25), ("tanh", 1.0)])
def test_a_saturated_unit_says_how_much_smaller_its_slope_is(activation, peak):
    model = Neuron(NeuronConfig(w=(4.0,), x=(2.0,), lr=0.01, activation=activation, loss="mse",
                                target=-1.0 if activation == "tanh" else 0.0))  # fmt: skip
    note = note_after(model, 1)
    record = model.update(model.initial_params())
    assert note is not None and note.kind == "saturated"
    ratio = peak / record.dy_dz
    assert any(math.isclose(n, ratio, rel_tol=1e-3) for n in numbers_in(note.text)), note.text


def test_saturation_is_not_blamed_when_bce_cancels_the_slope():
    # With bce, dLoss/dz = y − t: a saturated sigmoid on the wrong side still learns fast.
    model = Neuron(NeuronConfig(w=(4.0,), x=(2.0,), lr=0.01, loss="bce", target=0.0))
    assert note_after(model, 1) is None


def test_a_bouncing_loss_names_the_stable_limit():
    # The run: tanh, mse, t = 0.2, b = 0.1, α = 0.5 never converges.
    model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), b=0.1, lr=0.5, activation="tanh",
                                loss="mse", target=0.2))  # fmt: skip
    note = note_after(model, 2000)
    assert note is not None and note.kind == "bouncing"
    # At the bottom y = t, so d²Loss/dz² = 2·tanh′(z)² = 2(1 − t²)², and |v|² = X² + 1.
    limit = 2 / (2 * (1 - 0.2**2) ** 2 * (2.0**2 + 1))
    assert "α = 0.5 is above the stable limit 2/L″" in note.text
    assert any(math.isclose(n, limit, rel_tol=1e-3) for n in numbers_in(note.text)), note.text


def test_the_linear_neuron_bounces_at_its_limit():
    # mse after a linear unit: the error shrinks by (1 − 2αX²) a step; α = 1/(X²) bounces forever.
    model = Neuron(NeuronConfig(w=(0.0,), x=(2.0,), lr=0.25, activation="linear", loss="mse"))
    note = note_after(model, 40)
    assert note is not None and note.kind == "bouncing" and "2/L″ = 0.25" in note.text


@pytest.mark.parametrize("lr", [0.05, 0.2])
def test_a_run_that_converges_is_not_called_bouncing(lr):
    model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), b=0.1, lr=lr, activation="tanh",
                                loss="mse", target=0.2))  # fmt: skip
    note = note_after(model, 2000)
    assert note is None or note.kind != "bouncing"


def test_zero_inputs_are_named():
    model = Neuron(NeuronConfig(w=(0.5,), x=(0.0,), activation="linear", loss="mse"))
    assert note_after(model, 3).kind == "no-input"


def test_a_step_below_float_precision_is_named():
    model = Neuron(NeuronConfig(w=(1e17,), x=(1e-20,), lr=1e-3, activation="linear", loss="mse",
                                target=0.0))  # fmt: skip
    note = note_after(model, 3)
    assert note is not None and note.kind == "too-small"


def test_the_seed_neuron_learning_normally_has_nothing_to_explain():
    assert note_after(Neuron(NeuronConfig(lr=0.1)), 3) is None


@CORE_SETTINGS
@given(neuron_configs(z_limit=60.0), st.integers(STALL_WINDOW, 40))
def test_w_standing_still_is_never_left_unexplained(config, steps):
    model = Neuron(config)
    session = Session(model)
    session.forward(steps)
    for last in range(STALL_WINDOW, session.length + 1):
        records = [session.record(s) for s in range(last - STALL_WINDOW + 1, last + 1)]
        if all(model.params_of(r) == model.next_params(r) for r in records):
            assert diagnose(model, records) is not None, (config, last)


def test_network_curvature_is_the_largest_hessian_eigenvalue():
    model = Mlp(MlpConfig(x=(1.0, 2.0), hidden=3, loss="mse", target=0.3, activation="tanh"))
    params = np.array(model.initial_params())

    def gradient(p):
        return np.array(model.gradient(model.update(tuple(p))))

    n, h = len(params), 1e-5
    hessian = np.column_stack([
        (gradient(params + h * np.eye(n)[i]) - gradient(params - h * np.eye(n)[i])) / (2 * h)
        for i in range(n)
    ])  # fmt: skip
    largest = np.linalg.eigvalsh((hessian + hessian.T) / 2).max()
    assert model.curvature(tuple(params)) == pytest.approx(largest, rel=1e-4)


@pytest.mark.parametrize("bias", [None, 0.3])
def test_neuron_curvature_matches_power_iteration(bias):
    model = Neuron(NeuronConfig(w=(0.5, 1.0), x=(2.0, -1.0), b=bias, activation="tanh",
                                loss="mse", target=0.2))  # fmt: skip
    params = model.initial_params()
    numeric = power_iteration(lambda p: model.gradient(model.update(p)), params)
    exact = model.curvature(params)
    assert numeric == pytest.approx(max(exact, 0.0) if len(params) > 1 else exact, rel=1e-5)


# ---- why a run diverged --------------------------------------------------------------------


def diverged(**config):
    session = Session(Neuron(NeuronConfig(**config)))
    session.forward(200)
    assert session.divergence is not None, config
    return session.divergence


def test_huge_inputs_are_named_as_the_cause_not_alpha():
    reason = diverged(w=(1e300,), x=(1e300,), lr=0.1).reason
    assert "α" not in reason and "weights and inputs are too large" in reason


def test_a_huge_target_is_named_as_the_cause():
    reason = diverged(activation="linear", loss="mse", target=1e308, lr=0.1).reason
    assert "α" not in reason and "target" in reason


@pytest.mark.parametrize(
    "config",
    [
        {"activation": "linear", "loss": "mse", "target": 1.0, "lr": 0.5},  # bound 2/(2·X²) = 0.25
        {"activation": "linear", "loss": "mse", "target": 1.0, "lr": 2.0},
        {"activation": "linear", "loss": "mse", "target": 1.0, "b": 0.1, "lr": 0.3},
        {"activation": "linear", "loss": "mse", "target": 1.0, "lr": 1e305},  # a one-step jump
    ],
)
def test_the_advice_names_an_alpha_below_the_one_used_that_converges(config):
    reason = diverged(w=(0.0,), x=(2.0,), **config).reason
    assert reason.startswith("α too large")
    suggested = [n for n in numbers_in(reason.split(";")[-1])]
    assert suggested, reason
    alpha = suggested[0]
    assert alpha < config["lr"]
    if config["activation"] == "linear":
        assert alpha < 0.25  # below the stable limit 2/L″ = 2/(2·X²)
    # Tried from the same start, it converges: no divergence, the loss ends lower.
    session = Session(Neuron(NeuronConfig(w=(0.0,), x=(2.0,), **{**config, "lr": alpha})))
    session.forward(2000)
    assert session.divergence is None
    assert session.losses()[-1] < session.losses()[0]


def test_losses_near_the_float_limit_are_diagnosed_without_an_overflow():
    """Found by the fuzz: a dataset's mean loss at weights of −8e307, where each example's
    bce is near the float limit and their sum is past it."""
    from calc_tutor.core.datasets import BUILT_IN
    from calc_tutor.core.diagnosis import mean_loss
    from calc_tutor.core.on_dataset import OnDataset

    model = OnDataset(Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0, loss="bce",
                                          target=0.5)), BUILT_IN["xor"])  # fmt: skip
    huge = (-8.281677968266201e307,) * 3
    assert mean_loss(model, huge) == math.inf
    records = [model.update(huge, index) for index in range(4)]
    diagnose(model, records)  # must not raise
