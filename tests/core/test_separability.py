"""Whether one straight line can split a dataset's 0s from its 1s: proven either way, or None."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.datasets import BUILT_IN, Dataset
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.on_dataset import OnDataset
from calc_tutor.core.separability import line_separates

from .test_on_dataset import run_notes


def separates(inputs, targets):
    return line_separates(tuple(map(tuple, inputs)), tuple(targets))


def test_the_gates():
    for name, expected in (("and", True), ("or", True), ("xor", False)):
        gate = BUILT_IN[name]
        assert separates(gate.inputs, gate.targets) is expected, name


def test_a_thin_gap_is_still_found():
    # The 0s at X1 = 0, the 1s at X1 = 0.02: a line fits between, 0.01 from each.
    assert separates([(0, 0), (0.02, 0), (0, 1), (0.02, 1)], [0, 1, 0, 1]) is True


def test_a_one_inside_a_triangle_of_zeros_is_not_claimed_either_way():
    # Not separable, but no 0-0 segment crosses a 1-1 one (there is a single 1): not proven.
    assert separates([(0, 0), (4, 0), (0, 4), (1, 1)], [0, 0, 0, 1]) is None


def test_the_same_point_with_both_targets_cannot_be_split():
    assert separates([(1, 2), (1, 2), (3, 3)], [0, 1, 1]) is False


@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=2, max_size=12),
       st.floats(-3, 3), st.floats(-3, 3), st.floats(-2, 2))
def test_points_labelled_by_a_line_are_never_called_inseparable(points, a, b, c):
    """Whatever the points, labels given by a line a·x1 + b·x2 + c > 0 are separable: the
    answer may be True or None (a gap too thin to find), never False."""
    targets = [1.0 if a * x1 + b * x2 + c > 0 else 0.0 for x1, x2 in points]
    if len(set(targets)) < 2 or any(math.isclose(a * x1 + b * x2 + c, 0, abs_tol=1e-6)
                                    for x1, x2 in points):  # fmt: skip
        return
    assert separates(points, targets) is not False


def test_a_slow_neuron_on_separable_data_is_not_told_it_cannot():
    """Near ln 2 with small slopes, on data a line does split (0.02 apart): no claim."""
    thin = Dataset("thin", ((0.0, 0.0), (0.02, 0.0), (0.0, 1.0), (0.02, 1.0)), (0.0, 1.0, 0.0, 1.0))
    model = OnDataset(Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0, loss="bce",
                                          lr=0.1)), thin)  # fmt: skip
    notes, _ = run_notes(model, 2000)
    assert "one-line" not in [n.kind for n in notes]
