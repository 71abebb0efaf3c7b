"""The derivation's rows at every width: a line stating data (which example an update learns
from) is wrapped, never shortened like a formula (``X = [0, 1], t = 1`` read as ``X = 1``)."""

from __future__ import annotations

import pytest
from rich.style import Style

from calc_tutor.core.datasets import load_dataset
from calc_tutor.core.derivation import derive
from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.on_dataset import OnDataset
from calc_tutor.tui.widgets.derivation_layout import NO_FOLD, Styles, derivation_items

PLAIN = Styles(*(Style(),) * 7)


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("width", range(16, 90, 3))
def test_the_example_line_keeps_its_data_at_every_width(width: int, ascii_only: bool) -> None:
    model = OnDataset(Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0, loss="bce",
                                          target=0.5)), load_dataset("and"))  # fmt: skip
    step = 2  # example 2: X = (0, 1), t = 0
    derivation = derive(model, model.update(model.initial_params(), step - 1), step)
    items = derivation_items(derivation, len(derivation.lines), 0, "> ", ascii_only, NO_FOLD)
    example = next(item for item in items if item.kind == "line" and item.line.data)
    text = " ".join(" ".join(row.plain.split()) for row in example.rows(width, PLAIN))
    assert "X = [0, 1], t = 0" in text, text
