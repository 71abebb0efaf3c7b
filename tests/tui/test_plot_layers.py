"""The network diagram and the gradient-per-layer view: the numbers each shows are the update's,
they fit the panel, and a run's bounds are found right across edits and model switches."""

from __future__ import annotations

import math
import re

import pytest

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.layers import gradient_sizes
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import parse_shown
from calc_tutor.core.session import Session
from calc_tutor.tui.now import run_bounds, step_record
from calc_tutor.tui.plot_layers import diagram_rows
from calc_tutor.tui.plots import plot_text

NUMBER = r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?"


def network(steps: int = 5, **config) -> Session:
    session = Session(Mlp(MlpConfig(**{"x": (1.0, 2.0), **config})))
    session.forward(steps)
    return session


@pytest.mark.parametrize("digits", [4, 3, 2])
@pytest.mark.parametrize("with_weights", [True, False])
def test_each_unit_shows_its_own_error_signal_on_its_own_row(digits, with_weights):
    session = network(hidden=4)
    model, record = step_record(session, 3)
    layers = model.diagram(record)
    rows = diagram_rows(layers, digits, with_weights)
    assert len(rows) == 1 + 4  # a header, then one row per hidden unit
    for layer in layers[1:]:
        for unit in layer.units:
            (row,) = [r for r in rows[1:] if re.search(rf"\b{unit.name} ", r)]
            shown = re.search(rf"\b{unit.name} ({NUMBER})", row).group(1)
            assert math.isclose(parse_shown(shown), unit.error, rel_tol=10 ** (1 - digits))
    assert ("W1" in rows[0]) == with_weights and ("w2" in rows[0]) == with_weights


def test_the_weights_stand_between_the_layers_they_join():
    session = network(hidden=3)
    model, record = step_record(session, 1)
    rows = diagram_rows(model.diagram(record), 4, True)
    w1, w2 = record.w1, record.w2
    for j in range(3):  # unit j's row: its incoming W1 row, then its outgoing w2 weight
        row = next(r for r in rows if f"h{j + 1} " in r)
        before, after = row.split(f"h{j + 1} ")
        incoming = [parse_shown(t) for t in re.findall(NUMBER, before.split("→")[-1])]
        assert incoming == pytest.approx(list(w1[j]), rel=1e-3)
        outgoing = parse_shown(re.findall(NUMBER, after)[1])  # after dLoss/dz1: w2[j]
        assert outgoing == pytest.approx(w2[j], rel=1e-3)


@pytest.mark.parametrize("size", [(30, 9), (26, 9), (48, 18), (60, 30)])
@pytest.mark.parametrize("make", [
    lambda: network(), lambda: network(hidden=6, x=(1.0, -2.0, 0.5)),
    lambda: Session(Neuron(NeuronConfig(w=(0.5, -0.25), x=(1.0, 2.0)))),
], ids=["mlp", "wide-mlp", "neuron"])  # fmt: skip
def test_the_diagram_fits_the_panel_or_says_what_to_do(size, make):
    width, height = size
    text = plot_text("network", make(), width, height)
    lines = text.split("\n")
    assert len(lines) == height and all(len(line) <= width for line in lines)
    assert "→" in text or "widen" in text


def test_a_non_finite_update_draws_no_diagram():
    session = Session(Neuron(NeuronConfig(w=(1e300,), x=(1e300,), lr=1.0, loss="mse",
                                          activation="linear")))  # fmt: skip
    text = " ".join(plot_text("network", session, 40, 12, step=1).split())
    assert "not finite" in text


def test_the_gradient_view_names_each_layers_size_at_the_update_shown():
    session = network(steps=40, activation="sigmoid")
    text = plot_text("layers", session, 70, 20, step=25)
    model, record = step_record(session, 25)
    for name, size in gradient_sizes(model, record):
        shown = re.search(rf"\|dLoss/d{name}\| ({NUMBER})", text).group(1)
        assert math.isclose(parse_shown(shown), size, rel_tol=1e-3)
    assert "1 |dLoss/dW1|" in text and "2 |dLoss/dw2|" in text  # the legend names the lines


def test_a_zero_gradient_everywhere_is_said_not_plotted():
    # Every weight 0 with ReLU: h = 0, so dLoss/dw2 = 0, and w2 = 0 stops dLoss/dW1 too.
    session = Session(Mlp(MlpConfig(activation="relu")))
    zero = tuple(0.0 for _ in range(session.model.n_params))
    session.branch(session.model, zero)
    session.forward(3)
    assert "nothing to plot" in " ".join(plot_text("layers", session, 40, 12).split())


def test_run_bounds_match_a_scan_across_edits_and_switches():
    session = Session(Neuron(NeuronConfig()))
    session.forward(7)
    session.back(3)
    session.branch(Mlp(MlpConfig()))  # a switch at update 5: a new run
    session.forward(9)
    session.back(2)
    session.branch(Mlp(MlpConfig(lr=0.1)))  # an edit at update 12: another run
    session.forward(4)
    for step in range(1, session.length + 1):
        model = session.model_at(step - 1)
        same = [s for s in range(1, session.length + 1) if session.model_at(s - 1) is model]
        assert run_bounds(session, step) == (min(same), max(same)), step
