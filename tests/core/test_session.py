"""The training session: moving through history, replay, branches, undo, reset, divergence."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pytest

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import Session

from .cases import bits

SEED_NEURON = NeuronConfig()  # the source's example: σ, Loss = 1 − y, no bias
MODELS = {
    "seed neuron": lambda: Neuron(SEED_NEURON),
    "neuron with bias, 3 features": lambda: Neuron(NeuronConfig(
        w=(0.2, -0.4, 0.1), x=(1.0, 0.5, -2.0), b=0.3, lr=0.3, activation="tanh", loss="mse",
        target=-0.5)),
    "mlp": lambda: Mlp(MlpConfig(x=(0.5, -1.0), hidden=4, seed=3, activation="relu",
                                 loss="bce", target=0.2)),
}  # fmt: skip


def straight_line(model, steps: int):
    """The records and parameters of a plain loop of updates, with no session involved."""
    params, records, trajectory = model.initial_params(), [], [model.initial_params()]
    for _ in range(steps):
        record = model.update(params)
        params = model.next_params(record)
        records.append(record)
        trajectory.append(params)
    return records, trajectory


class History(NamedTuple):
    length: int
    losses: tuple
    params: list
    records: list


def snapshot(session: Session) -> History:
    """Everything a learner could see of the stored history, bit for bit."""
    return History(
        session.length,
        bits(tuple(session.losses().tolist())),
        [bits(session.params(i)) for i in range(session.length + 1)],
        [bits(session.record(s)) for s in range(1, session.length + 1)],
    )


def growing_neuron(factor: float) -> Neuron:
    """A linear neuron on mse with x = 1, t = 0: each update multiplies the loss by ``factor``.

    w ← w − α·2w = (1 − 2α)·w, so the loss w² grows by (1 − 2α)² = factor per update.
    """
    lr = (1 + math.sqrt(factor)) / 2
    return Neuron(NeuronConfig(w=(1.0,), x=(1.0,), lr=lr, activation="linear", loss="mse",
                               target=0.0))  # fmt: skip


def first_growth_stop(losses: list[float], window: int = 20, factor: float = 1e6) -> int | None:
    """The first step whose loss rose by more than 10⁶ times a loss up to ``window`` steps
    earlier (measured against at least 1e-3, so growth from near zero does not count)."""
    for k in range(1, len(losses)):
        earlier = losses[max(0, k - window) : k]
        if any(losses[k] - before > factor * max(abs(before), 1e-3) for before in earlier):
            return k + 1
    return None


# ---- moving ----------------------------------------------------------------------------------


def test_forward_back_and_goto_move_the_cursor_within_the_history():
    session = Session(Neuron(SEED_NEURON))
    assert (session.cursor, session.length) == (0, 0)
    assert session.forward(5) == 5 and (session.cursor, session.length) == (5, 5)
    assert session.back(2) == 2 and session.cursor == 3
    assert session.back(10) == 3 and session.cursor == 0  # never below 0
    session.goto(4)
    assert session.cursor == 4
    session.goto(99)
    assert session.cursor == 5  # goto stays inside the stored history
    session.goto(-3)
    assert session.cursor == 0
    assert session.forward(2) == 2 and session.length == 5  # stored steps are replayed
    assert session.forward(10) == 10 and (session.cursor, session.length) == (12, 12)


def test_params_and_records_outside_the_history_are_refused():
    session = Session(Neuron(SEED_NEURON))
    session.forward(3)
    for bad in (-1, 4):
        with pytest.raises(IndexError):
            session.params(bad)
    for bad in (0, 4):
        with pytest.raises(IndexError):
            session.record(bad)


@pytest.mark.parametrize("kind", MODELS)
def test_records_match_a_fresh_straight_line_loop(kind):
    session = Session(MODELS[kind]())
    session.forward(40)
    records, trajectory = straight_line(MODELS[kind](), 40)
    for step in range(1, 41):
        assert bits(session.record(step)) == bits(records[step - 1])
        assert bits(session.params(step)) == bits(trajectory[step])
    assert bits(tuple(session.losses().tolist())) == bits(tuple(r.loss for r in records))


@pytest.mark.parametrize("kind", MODELS)
def test_replaying_stored_steps_is_bit_identical_to_the_first_computation(kind):
    session = Session(MODELS[kind]())
    first = []
    for _ in range(25):
        first.append(bits(session.preview()))  # what the learner sees before applying it
        session.forward()
    stored_losses = session.losses().tolist()
    session.goto(0)
    for step in range(1, 26):
        session.forward()
        record = session.record(step)
        assert bits(record) == first[step - 1]
        # The loss and parameters stored during the first run are the replay's, to the bit.
        assert record.loss.hex() == stored_losses[step - 1].hex()
        assert bits(session.model.next_params(record)) == bits(session.params(step))


def test_preview_is_the_next_update_from_the_cursor():
    session = Session(Neuron(SEED_NEURON))
    session.forward(6)
    session.goto(2)
    assert bits(session.preview()) == bits(session.record(3))


def test_losses_has_one_value_per_stored_update():
    model = Neuron(SEED_NEURON)
    session = Session(model)
    assert len(session.losses()) == 0
    session.forward(30)
    losses = session.losses()
    records, _ = straight_line(Neuron(SEED_NEURON), 30)
    assert losses.dtype == np.float64 and len(losses) == 30
    assert losses.tolist() == [r.loss for r in records]
    assert all(a > b for a, b in zip(losses, losses[1:]))  # the seed neuron learns: L falls


# ---- branches, undo, reset -------------------------------------------------------------------


@pytest.mark.parametrize("kind", MODELS)
def test_branch_with_a_new_learning_rate_changes_the_future_not_the_past(kind):
    session = Session(MODELS[kind]())
    session.forward(10)
    before = snapshot(session)
    session.goto(4)
    start = session.params(4)
    old_model = session.model
    new_model = type(old_model)(replace(old_model.config, lr=old_model.config.lr / 10))
    session.branch(new_model, start)
    assert (session.cursor, session.length) == (4, 4)  # the old future is dropped
    session.forward(6)
    after = snapshot(session)
    # The past: parameters 0..4, records 1..4 and their losses are untouched.
    assert after.params[:5] == before.params[:5]
    assert after.records[:4] == before.records[:4]
    assert after.losses[:4] == before.losses[:4]
    # The future follows the new model from the same starting point.
    assert after.losses[4:] != before.losses[4:]
    assert session.model_at(4) is new_model and session.model_at(3) is old_model
    assert bits(session.record(5)) == bits(new_model.update(start))


def test_branch_with_new_weights_starts_from_them():
    session = Session(Neuron(SEED_NEURON))
    session.forward(8)
    session.goto(3)
    edited = Neuron(replace(SEED_NEURON, w=(-1.25,)))
    session.branch(edited, (-1.25,))
    assert session.params(3) == (-1.25,)
    session.forward(2)
    assert session.record(4).w == (-1.25,)
    assert bits(session.record(4)) == bits(edited.update((-1.25,)))


def test_branch_without_params_starts_from_the_models_initial_ones():
    session = Session(Neuron(SEED_NEURON))
    session.forward(5)
    edited = Neuron(replace(SEED_NEURON, w=(3.0,)))
    session.branch(edited)
    assert session.params(5) == (3.0,)


def test_branch_with_the_wrong_number_of_params_is_refused_and_changes_nothing():
    session = Session(Neuron(SEED_NEURON))
    session.forward(5)
    before = snapshot(session)
    with pytest.raises(ValueError):
        session.branch(Neuron(SEED_NEURON), (1.0, 2.0))
    assert snapshot(session) == before and not session.can_undo


@pytest.mark.parametrize("kind", MODELS)
def test_undo_restores_the_old_branch_exactly(kind):
    session = Session(MODELS[kind]())
    session.forward(10)
    session.goto(4)
    before = snapshot(session)
    old_model = session.model
    session.branch(type(old_model)(replace(old_model.config, lr=old_model.config.lr * 3)),
                   session.params(4))  # fmt: skip
    session.forward(15)
    assert snapshot(session) != before
    assert session.undo() is True
    assert snapshot(session) == before
    assert session.cursor == 4 and session.model is old_model
    # The restored branch carries on as it would have without the detour.
    session.forward(10)
    records, _ = straight_line(MODELS[kind](), 14)
    assert [bits(session.record(s)) for s in range(1, 15)] == [bits(r) for r in records]


def test_undo_steps_back_through_several_edits_in_turn():
    session = Session(Neuron(SEED_NEURON))
    session.forward(6)
    states = [snapshot(session)]
    for w in (0.1, 0.2, 0.3):
        session.back(1)
        session.branch(Neuron(replace(SEED_NEURON, w=(w,))))
        session.forward(4)
        states.append(snapshot(session))
    for expected in reversed(states[:-1]):
        assert session.undo() and snapshot(session) == expected
    assert session.undo() is False and not session.can_undo


def test_reset_returns_to_the_launch_state_and_undo_brings_the_history_back():
    model = Neuron(SEED_NEURON)
    session = Session(model)
    assert not session.can_undo and session.undo() is False
    session.forward(7)
    session.goto(3)
    before = snapshot(session)
    session.reset()
    assert (session.cursor, session.length) == (0, 0)
    assert session.params(0) == model.initial_params() and len(session.losses()) == 0
    session.forward(2)  # a fresh run from the launch state
    assert bits(session.record(2)) == bits(straight_line(Neuron(SEED_NEURON), 2)[0][1])
    assert session.undo() is True
    assert snapshot(session) == before and session.cursor == 3


def test_reset_restores_launch_params_given_to_the_session():
    model = Neuron(SEED_NEURON)
    session = Session(model, (1.5,))
    session.forward(3)
    session.branch(Neuron(replace(SEED_NEURON, lr=0.1)), (9.0,))
    session.reset()
    assert session.params(0) == (1.5,) and session.model is model


# ---- divergence ------------------------------------------------------------------------------


def test_fast_growth_stops_the_run_where_the_rule_says():
    model = growing_neuron(9.0)  # the loss grows 9× per update
    session = Session(model)
    moved = session.forward(100)
    losses = [r.loss for r in straight_line(growing_neuron(9.0), 100)[0]]
    expected = first_growth_stop(losses)
    assert expected is not None and expected < 20
    assert session.divergence is not None and session.divergence.step == expected
    assert moved == session.cursor == session.length == expected
    reason = session.divergence.reason
    assert "α" in reason and "grew" in reason


def test_growth_is_measured_over_up_to_twenty_steps():
    # 2.1× a step reaches 10⁶× within 20 steps; 1.9× a step (3.8·10⁵× in 20) never does,
    # although over 60 steps it grows 10¹⁶×: the rule looks at a 20-step window.
    fast, slow = Session(growing_neuron(2.1)), Session(growing_neuron(1.9))
    fast.forward(60)
    slow.forward(60)
    assert fast.divergence is not None and 19 <= fast.divergence.step <= 21
    fast_losses = fast.losses()
    step = fast.divergence.step
    assert fast_losses[step - 1] / fast_losses[max(0, step - 21)] > 1e6
    assert slow.divergence is None and slow.length == 60
    assert slow.losses()[-1] / slow.losses()[0] > 1e15


def test_a_converging_run_is_never_called_divergent():
    session = Session(Neuron(SEED_NEURON))
    assert session.forward(5000) == 5000 and session.divergence is None


def test_a_non_finite_value_stops_the_run_and_says_which():
    model = Neuron(NeuronConfig(w=(1.0,), x=(3.0,), lr=1e300, activation="linear", loss="mse",
                                target=0.0))  # fmt: skip
    session = Session(model)
    session.forward(50)
    divergence = session.divergence
    assert divergence is not None
    record = session.record(divergence.step)
    assert model.non_finite(record) is not None  # the stopping step really holds an inf/NaN
    assert "finite" in divergence.reason and "α" in divergence.reason
    # The steps before it were all finite.
    for step in range(1, divergence.step):
        assert model.non_finite(session.record(step)) is None


def test_forward_refuses_to_go_past_a_divergence():
    session = Session(growing_neuron(9.0))
    session.forward(100)
    stop = session.divergence.step
    assert session.at_divergence
    assert session.forward(10) == 0 and session.cursor == stop
    session.back(3)
    assert not session.at_divergence
    assert session.forward(10) == 3 and session.cursor == stop  # replays up to it, no further
    session.goto(stop + 5)
    assert session.cursor == stop


def test_branching_before_a_divergence_clears_it():
    session = Session(growing_neuron(9.0))
    session.forward(100)
    stop = session.divergence.step
    session.goto(stop - 2)
    calm = Neuron(replace(growing_neuron(9.0).config, lr=0.1))
    session.branch(calm, session.params(stop - 2))
    assert session.divergence is None
    assert session.forward(50) == 50
    assert session.undo() and session.divergence is not None and session.divergence.step == stop


def test_branching_at_the_divergence_lets_the_run_go_on():
    # The learner reads "α too large", lowers α right there, and carries on from new weights.
    session = Session(growing_neuron(9.0))
    session.forward(100)
    stop = session.divergence.step
    calm = Neuron(replace(growing_neuron(9.0).config, lr=0.1))
    session.branch(calm, (1.0,))
    assert session.forward(10) == 10
    assert session.cursor == stop + 10
    assert session.undo() and session.divergence.step == stop and session.forward(5) == 0
