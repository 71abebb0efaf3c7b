"""The slopes view: σ′, tanh′ and ReLU′ side by side, the update's z marked on each."""

from __future__ import annotations

import math

from autograd import grad

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_plain
from calc_tutor.core.session import Session
from calc_tutor.tui.plots import PLOT_VIEWS, plot_text

from ..core import oracle


def seed_after(steps: int, **config) -> Session:
    session = Session(Neuron(NeuronConfig(**{"w": (0.5,), "x": (2.0,), "lr": 0.1, **config})))
    session.forward(steps)
    return session


def test_the_view_is_one_of_the_cycle():
    assert "slopes" in PLOT_VIEWS


def test_the_title_gives_each_slope_at_the_updates_z():
    session = seed_after(3)
    z = session.record(3).z  # the update shown: the derivation's
    text = plot_text("slopes", session, 60, 20)
    title = text.splitlines()[0]
    for name, symbol in (("sigmoid", "σ′"), ("tanh", "tanh′"), ("relu", "ReLU′")):
        slope = float(grad(oracle.ACTIVATIONS[name])(z))
        assert f"{symbol} {fmt_plain(slope)}" in title, title
    assert f"z {fmt_plain(z)}" in title
    assert "s σ′" in text and "t tanh′" in text and "r ReLU′" in text  # the legend


def test_the_current_activation_joins_when_it_is_another():
    session = seed_after(1, activation="silu", loss="mse", target=0.5)
    text = plot_text("slopes", session, 60, 20)
    assert "u SiLU′" in text and "SiLU′ " in text.splitlines()[0]


def test_relus_step_is_not_drawn_as_a_slope_between_0_and_1():
    lines = plot_text("slopes", seed_after(1), 40, 18).splitlines()
    top = next(i for i, line in enumerate(lines) if line.lstrip().startswith("1┤"))
    bottom = next(i for i, line in enumerate(lines) if line.lstrip().startswith("0┤"))
    between = lines[top + 1 : bottom]
    assert between and not any("r" in line.split("│", 1)[-1] for line in between), "\n".join(lines)


def test_ascii_mode_is_ascii():
    text = plot_text("slopes", seed_after(2), 46, 24, ascii_only=True)
    assert text.isascii() and "sigma'" in text


def test_the_network_marks_hidden_unit_1():
    model = Mlp(MlpConfig(x=(1.0, 2.0), hidden=3, activation="tanh"))
    session = Session(model)
    session.forward(2)
    z1 = session.record(2).z1[0]
    title = plot_text("slopes", session, 70, 20).splitlines()[0]
    assert f"z1[1] {fmt_plain(z1)}" in title
    assert f"tanh′ {fmt_plain(1 - math.tanh(z1) ** 2)}" in title
