"""What the divergence test sees, and the facts it records for the learner's message."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.divergence import DivergenceWatch
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import Session

SEED = NeuronConfig()


def watch_losses(losses: list[float]):
    """Feed a DivergenceWatch these losses as a segment's updates from step 1; the first verdict."""
    observe = DivergenceWatch(Neuron(SEED), first_step=1).observe
    for step, loss in enumerate(losses, start=1):
        verdict = observe(step, loss, None)
        if verdict is not None:
            return verdict
    return None


def test_a_loss_jumping_from_zero_to_minus_4e305_in_one_update_is_divergence():
    # The losses of `--activation linear --lr 1e305 --steps 2` (Loss = 1 − y): growth is on |loss|.
    verdict = watch_losses([0.0, -4e305])
    assert verdict is not None and verdict.step == 2
    assert (verdict.kind, verdict.quantity, verdict.span) == ("growth", "loss", 1)
    assert (verdict.loss_before, verdict.loss_after) == (0.0, -4e305)
    assert not verdict.first_step_of_segment


def test_a_loss_falling_or_bouncing_in_a_small_range_is_not_divergence():
    assert watch_losses([0.7, 0.5, 0.3, 0.6, 0.2, 1e-9, 0.0, 0.4] * 10) is None
    assert watch_losses([-1.0, -0.5, -2.0, -0.1]) is None  # tanh with Loss = 1 − y can go below 0


def test_a_jump_to_a_huge_finite_loss_in_one_update_stops_the_session_there():
    # Linear, mse, t = 0: loss 1e-20 at step 1, then W ← W − 1e150·2e-10 makes it ~4e280.
    model = Neuron(NeuronConfig(w=(1e-10,), x=(1.0,), lr=1e150, activation="linear", loss="mse",
                                target=0.0))  # fmt: skip
    session = Session(model)
    assert session.forward(10) == 2
    divergence = session.divergence
    assert divergence is not None and divergence.step == 2
    assert (divergence.kind, divergence.quantity, divergence.span) == ("growth", "loss", 1)
    assert divergence.loss_before == session.losses()[0] and divergence.loss_after > 1e280
    assert not divergence.first_step_of_segment  # α made that jump, not the starting values
    assert divergence.reason  # worded elsewhere; it must exist


@pytest.mark.parametrize(
    ("config", "quantity"),
    [
        (replace(SEED, w=(1e300,), x=(1e300,)), "z"),  # W·X overflows before any step
        (replace(SEED, loss="mse", target=1e308), "loss"),  # (y − t)² overflows
    ],
)
def test_a_first_update_that_is_already_not_finite_is_blamed_on_the_starting_values(config, quantity):
    session = Session(Neuron(config))
    assert session.forward(10) == 1
    divergence = session.divergence
    assert divergence is not None and divergence.step == 1
    assert (divergence.kind, divergence.quantity) == ("non-finite", quantity)
    assert divergence.first_step_of_segment and divergence.loss_before is None
    assert divergence.span == 0


def test_an_edit_that_overflows_is_the_first_step_of_its_segment():
    session = Session(Neuron(SEED))
    session.forward(5)
    overflowing = Neuron(replace(SEED, w=(1e300,), x=(1e300,)))
    session.branch(overflowing)
    assert session.forward(10) == 1
    divergence = session.divergence
    assert divergence.step == 6 and divergence.quantity == "z" and divergence.first_step_of_segment


def test_a_non_finite_update_after_good_ones_records_the_loss_before_it():
    model = Neuron(NeuronConfig(w=(1.0,), x=(3.0,), lr=1e300, activation="linear", loss="mse",
                                target=0.0))  # fmt: skip
    session = Session(model)
    session.forward(50)
    divergence = session.divergence
    assert divergence.kind == "non-finite" and not divergence.first_step_of_segment
    losses = session.losses()
    assert divergence.loss_before == losses[divergence.step - 2]
    assert divergence.loss_after == losses[divergence.step - 1] or math.isnan(divergence.loss_after)
    assert divergence.span == 1
