"""The dataset views: the mean loss per step and the decision map, at every size, in ASCII, and
with inputs far from the origin."""

from __future__ import annotations

import math
import re

import pytest

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.datasets import BUILT_IN, Dataset
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import parse_shown
from calc_tutor.core.on_dataset import OnDataset
from calc_tutor.core.session import Session
from calc_tutor.tui.plots import plot_text

NUMBER = r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?"


def learning(dataset: Dataset, steps: int, batch: bool = False, network: bool = False) -> Session:
    n = dataset.features
    base = (Mlp(MlpConfig(x=(0.0,) * n, lr=0.1, loss="bce", target=0.5)) if network else
            Neuron(NeuronConfig(w=(0.5,) * n, x=(0.0,) * n, b=0.0, lr=0.1, loss="bce", target=0.5)))  # fmt: skip
    session = Session(OnDataset(base, dataset, batch))
    session.forward(steps)
    return session


@pytest.mark.parametrize("batch", [False, True], ids=["one-example", "batch"])
@pytest.mark.parametrize("size", [(30, 9), (46, 27), (80, 24)])
def test_the_mean_loss_is_the_mean_of_the_examples_losses_at_the_update_shown(size, batch):
    session = learning(BUILT_IN["and"], 40, batch)
    text = plot_text("mean-loss", session, *size, step=17)
    lines = text.split("\n")
    assert len(lines) == size[1] and all(len(line) <= size[0] for line in lines)
    assert "┌" in text and "┘" in text
    params = session.params(16)
    expected = sum(m.forward_loss(params) for m in session.model.each_example()) / 4
    shown = parse_shown(re.search(rf"mean loss(?: over 4 examples)? ({NUMBER})", text).group(1))
    assert math.isclose(shown, expected, rel_tol=1e-3)


def test_the_mean_loss_in_ascii_is_ascii():
    text = plot_text("mean-loss", learning(BUILT_IN["or"], 20), 40, 14, ascii_only=True)
    assert text.isascii() and "+" in text and "@" in text


@pytest.mark.parametrize("size", [(20, 6), (30, 9), (46, 27), (80, 40)])
def test_the_map_marks_every_example_inside_the_panel(size):
    session = learning(BUILT_IN["xor"], 8, network=True)
    text = plot_text("decision", session, *size)
    lines = text.split("\n")
    assert len(lines) == size[1] and all(len(line) <= size[0] for line in lines)
    body = "\n".join(lines[1:-1]) if size[1] >= 12 else "\n".join(lines[1:])
    assert body.count("0") + body.count("1") >= 4 - (size[1] < 9)  # 4 corners (2 may share a row)


def test_the_maps_shades_follow_y():
    """An untrained neuron with W = (0.5, 0.5), b = 0: y = σ(X1/2 + X2/2) rises to the top right."""
    text = plot_text("decision", learning(BUILT_IN["and"], 0), 30, 9, ascii_only=True)
    rows = text.split("\n")[1:]
    shades = " .:+#"
    top_right, bottom_left = rows[0][-1], rows[-1][0]
    assert shades.index(top_right) > shades.index(bottom_left)
    assert text.isascii()


def test_inputs_far_from_the_origin_still_draw_a_map():
    far = Dataset("far", ((1e300, -1e300), (-1e300, 1e300)), (0.0, 1.0))
    text = plot_text("decision", learning(far, 2), 30, 9)
    assert len(text.split("\n")) == 9


@pytest.mark.parametrize(("loss", "expected"), [("bce", math.log(2)), ("mse", 0.25)])
def test_the_mean_loss_view_gives_the_score_of_answering_one_half_for_its_own_loss(loss, expected):
    """On 0/1 targets, y = 0.5 everywhere scores ln 2 with bce and 0.25 with mse: the label
    must not name ln 2 for a loss where it means nothing."""
    base = Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0, lr=0.1, loss=loss, target=0.5))
    session = Session(OnDataset(base, BUILT_IN["xor"]))
    session.forward(5)
    text = plot_text("mean-loss", session, 80, 24)
    shown = re.search(rf"answering y = 0\.5 for every example scores ({NUMBER})", text).group(1)
    assert math.isclose(parse_shown(shown), expected, rel_tol=1e-3)
    assert "ln 2" not in text


def test_the_mean_loss_view_near_the_float_limit_says_so_instead_of_raising():
    """Found in review: each example's bce near the float limit, their sum past it."""
    base = Neuron(NeuronConfig(w=(-8e307, -8e307), x=(0.0, 0.0), b=-8e307, loss="bce", target=0.5))
    text = " ".join(plot_text("mean-loss", Session(OnDataset(base, BUILT_IN["xor"])), 40, 12).split())
    assert "not a finite number" in text
