"""The attribution view: per input, dy/dX, X·dy/dX and occlusion as signed bars, with the
numbers checked against autograd and a forward pass with the input set to 0."""

from __future__ import annotations

import autograd.numpy as anp
import pytest
from autograd import grad

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_plain
from calc_tutor.core.session import Session
from calc_tutor.tui.plots import plot_text

from ..app.conftest import SIZE, make_app, region_text
from ..core import oracle

CONFIG = {"w": (0.5, -1.0), "x": (1.0, 2.0), "b": 0.2, "lr": 0.1, "activation": "tanh",
          "loss": "mse", "target": 0.3}  # fmt: skip


def textbook_y(w, x, b):
    return oracle.ACTIVATIONS["tanh"](anp.dot(w, x) + b)


@pytest.mark.parametrize("steps", [0, 3])
def test_each_bar_is_labelled_with_the_right_number(steps):
    session = Session(Neuron(NeuronConfig(**CONFIG)))
    session.forward(steps)
    w, b = session.model.split(session.params(session.cursor))  # the parameters now
    x = anp.array(CONFIG["x"])
    dy_dx = grad(lambda xs: textbook_y(anp.array(w), xs, b))(x)
    text = plot_text("attribution", session, 46, 24)
    y_now = float(textbook_y(anp.array(w), x, b))
    for i, xi in enumerate(CONFIG["x"]):
        occluded = x.copy()
        occluded[i] = 0.0
        occlusion = float(textbook_y(anp.array(w), occluded, b)) - y_now
        block = text.split(f"X{i + 1} = ")[1]
        for label, value in (("dy/dX", dy_dx[i]), ("X·dy/dX", xi * dy_dx[i]),
                             ("occlusion", occlusion)):  # fmt: skip
            row = next(line for line in block.splitlines() if line.strip().startswith(label))
            assert fmt_plain(float(value)) in row, (label, row)
            bar = row.split("|")
            assert ("█" in bar[1]) == (value > 0) and ("█" in bar[0]) == (value < 0), row
    words = " ".join(text.split())
    assert "It is local" in words and "is not attribution: it is the slope of the loss" in words
    assert "negative means the input pushed y up" in words


def test_ascii_bars_are_ascii():
    session = Session(Neuron(NeuronConfig(**CONFIG)))
    assert plot_text("attribution", session, 46, 24, ascii_only=True).isascii()


async def test_the_a_key_shows_attribution():
    app = make_app(**CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "a")
        await pilot.pause()
        assert app.main.view == "attribution"
        assert "X1 = 1" in region_text(app, "#plot")
