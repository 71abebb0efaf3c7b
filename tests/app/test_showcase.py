"""The README's large screenshot shows a run that teaches something: a loss that converges."""

from __future__ import annotations

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import Session
from tests.look.states import STATES


def test_the_wide_showcase_converges_within_its_updates() -> None:
    (showcase,) = [state for state in STATES if state.name.endswith("-converging")]
    session = Session(Neuron(NeuronConfig(**showcase.config)))
    session.forward(len(showcase.keys))
    losses = list(session.losses())
    assert losses[-1] < 1e-3 * losses[0]  # converged, not bouncing
    late = losses[len(losses) // 2 :]
    assert max(late) < 1e-2 * losses[0]
