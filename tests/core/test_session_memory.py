"""Bounded session memory: branches share their past, undo has a bound, rows are thinned.

Bounds are measured with tracemalloc around the session's own allocations, with wide margins.
"""

from __future__ import annotations

import tracemalloc
from dataclasses import replace

import pytest

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import HistoryLimits, Session

from .cases import bits

SEED = NeuronConfig()
WIDE = NeuronConfig(w=(0.01,) * 64, x=tuple((i % 5 - 2) / 2 for i in range(64)), lr=0.05,
                    loss="mse", target=0.3)  # fmt: skip


def traced(action) -> int:
    """Bytes still allocated after ``action()`` that were not before it."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        action()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def edit_after_stepping_back(session: Session, lr: float) -> None:
    """What the app does for `b` and then an edit of α."""
    session.back(1)
    session.branch(Neuron(replace(SEED, lr=lr)), session.params(session.cursor))


def test_twenty_edits_after_stepping_back_share_the_history_instead_of_copying_it():
    session = Session(Neuron(SEED))
    session.forward(200_000)  # 3.2 MB of history: a copy per edit would add 64 MB
    grown = traced(lambda: [edit_after_stepping_back(session, 0.1 + k / 100) for k in range(20)])
    assert grown < 200_000  # measured ~20 KB: a few small objects per edit
    assert session.length == 200_000 - 20
    for _ in range(20):
        assert session.undo()
    assert session.length == 200_000 and not session.can_undo


def test_the_undo_stack_keeps_the_latest_entries():
    session = Session(Neuron(SEED), limits=HistoryLimits(undo=5))
    session.forward(3)
    for k in range(8):  # edit k starts from W = k
        session.branch(Neuron(replace(SEED, w=(float(k),))))
        session.forward(1)
    undone = 0
    while session.undo():
        undone += 1
    assert undone == 5
    assert session.params(session.cursor - 1) == (2.0,)  # edits 0, 1 and 2 went first
    assert HistoryLimits().undo == 100


def test_a_wide_neuron_keeps_its_rows_under_the_budget_and_replays_the_rest_bit_for_bit():
    model = Neuron(WIDE)
    budget = 2**19
    session = Session(model, limits=HistoryLimits(row_bytes=budget))
    steps = 6_000  # every row would take 6,000 × 64 × 8 = 3.1 MB
    grown = traced(lambda: session.forward(steps))
    assert grown < budget + steps * 8 * 1.25 + 200_000
    params, checked = model.initial_params(), 0
    for index in range(steps + 1):
        if index % 37 == 0 or index >= steps - 3:  # checkpoints and rows between them
            assert bits(session.params(index)) == bits(params)
            checked += 1
        params = model.next_params(model.update(params))
    assert checked > 150


def test_thinning_reaches_the_rows_of_older_branches_too():
    model = Neuron(WIDE)
    budget = 2**18
    session = Session(model, limits=HistoryLimits(row_bytes=budget))

    def runs() -> None:
        session.forward(2_000)  # 1 MB of rows unthinned
        session.reset()
        session.forward(2_000)

    grown = traced(runs)
    assert grown < budget + 4_000 * 8 * 1.25 + 200_000
    kept = session.params(1_234)
    assert session.undo() and bits(session.params(1_234)) == bits(kept)  # same launch, same run


def test_a_run_that_would_pass_the_update_limit_stops_there_and_says_so():
    session = Session(Neuron(SEED), limits=HistoryLimits(updates=1_000))
    assert session.forward(1_500) == 1_000 and session.full_note is not None
    assert "1,000" in session.full_note
    assert session.forward(5) == 0 and session.full_note is not None
    session.back(1)
    assert session.forward(1) == 1 and session.full_note is None  # replaying costs nothing


def test_old_undo_entries_make_room_for_a_new_run_oldest_first():
    session = Session(Neuron(SEED), limits=HistoryLimits(updates=1_000))
    session.forward(600)
    session.reset()
    session.forward(300)  # 900 stored: the first run is still reachable by undo
    assert session.can_undo
    session.reset()
    assert session.forward(500) == 500  # the 600-update run went; the 300-update one stays
    assert session.full_note is None
    assert session.undo() and session.length == 300 and not session.can_undo


@pytest.mark.parametrize("steps", [1, 7, 64])
def test_thinned_rows_at_a_branch_point_keep_the_past_exact(steps):
    model = Neuron(WIDE)
    session = Session(model, limits=HistoryLimits(row_bytes=16_384))
    session.forward(500)
    session.goto(500 - steps)
    before = [bits(session.params(i)) for i in range(0, 501 - steps)]
    session.branch(Neuron(replace(WIDE, lr=0.01)), session.params(session.cursor))
    session.forward(100)
    assert [bits(session.params(i)) for i in range(0, 501 - steps)] == before
