"""The session against a naive reference, over random sequences of moves, edits and undos.

The reference keeps plain Python lists and copies everything for undo: too slow for real
use, simple enough to be obviously right. Any order of forward, back, goto, branch, reset and
undo must leave the two agreeing on every stored parameter, loss and record.

The session shares the past between branches and undo entries instead of copying it; a second
machine runs it with a tiny row budget (parameter rows thinned to checkpoints and replayed) and
a short undo stack (the reference drops its oldest entries the same way).
"""

from __future__ import annotations

import copy
from dataclasses import replace

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import HistoryLimits, Session

from .cases import bits

LAUNCH = NeuronConfig(w=(0.5, -0.3), x=(2.0, 1.0), b=0.1, lr=0.5)  # converges: never diverges


class Reference:
    """params[i]: the parameters after i updates; models[i]: the model of update i + 1."""

    def __init__(self, model: Neuron) -> None:
        self.launch = model
        self.params = [model.initial_params()]
        self.models: list[Neuron] = []
        self.tail = model  # the model of any update computed from here on
        self.cursor = 0

    def forward(self, count: int) -> None:
        target = self.cursor + count
        while len(self.models) < target:
            record = self.tail.update(self.params[-1])
            self.params.append(self.tail.next_params(record))
            self.models.append(self.tail)
        self.cursor = target


class SessionMachine(RuleBasedStateMachine):
    limits = HistoryLimits()

    def __init__(self) -> None:
        super().__init__()
        model = Neuron(LAUNCH)
        self.session = Session(model, limits=self.limits)
        self.reference = Reference(model)
        self.undo_stack: list[Reference] = []

    @rule(count=st.integers(0, 12))
    def forward(self, count):
        assert self.session.forward(count) == count  # no divergence here: every move happens
        self.reference.forward(count)

    @rule(count=st.integers(0, 12))
    def back(self, count):
        moved = self.session.back(count)
        assert moved == min(count, self.reference.cursor)
        self.reference.cursor -= moved

    @rule(step=st.integers(-3, 40))
    def goto(self, step):
        self.session.goto(step)
        self.reference.cursor = max(0, min(step, len(self.reference.models)))

    @rule(lr=st.sampled_from([0.05, 0.5, 1.5]), nudge=st.sampled_from([None, 0.25, -1.0]))
    def branch(self, lr, nudge):
        ref = self.reference
        self.remember(_copy(ref))
        model = Neuron(replace(LAUNCH, lr=lr))
        start = ref.params[ref.cursor]
        if nudge is not None:  # an edited weight, as well as a new α
            start = (start[0] + nudge,) + start[1:]
        self.session.branch(model, start)
        ref.params = ref.params[: ref.cursor] + [start]
        ref.models = ref.models[: ref.cursor]
        ref.tail = model

    @rule()
    def reset(self):
        self.remember(_copy(self.reference))
        self.session.reset()
        self.reference = Reference(self.reference.launch)

    def remember(self, reference: Reference) -> None:
        self.undo_stack = (self.undo_stack + [reference])[-self.limits.undo :]

    @rule()
    def undo(self):
        assert self.session.undo() is bool(self.undo_stack)
        if self.undo_stack:
            self.reference = self.undo_stack.pop()

    @invariant()
    def agree(self):
        s, ref = self.session, self.reference
        assert (s.cursor, s.length) == (ref.cursor, len(ref.models))
        assert s.can_undo is bool(self.undo_stack)
        assert [bits(s.params(i)) for i in range(s.length + 1)] == [bits(p) for p in ref.params]
        expected = [m.update(p) for m, p in zip(ref.models, ref.params)]
        assert bits(tuple(s.losses().tolist())) == bits(tuple(r.loss for r in expected))
        assert [bits(s.record(i + 1)) for i in range(s.length)] == [bits(r) for r in expected]
        assert s.model is (ref.models[ref.cursor] if ref.cursor < len(ref.models) else ref.tail)


def _copy(reference: Reference) -> Reference:
    clone = copy.copy(reference)
    clone.params, clone.models = list(reference.params), list(reference.models)
    return clone


class ThinSessionMachine(SessionMachine):
    # Rows of 3 parameters: 240 bytes hold 10 rows in all, so checkpoints spread out quickly.
    limits = HistoryLimits(row_bytes=240, undo=4)

    @invariant()
    def rows_fit_the_budget(self):
        tracks = {id(s.track): s.track for s in self.session._segments}
        for snapshot in self.session._undo:
            tracks.update({id(s.track): s.track for s in snapshot.segments})
        # Thinning happens as a run grows; a branch or reset made since adds its one starting row.
        row = 3 * 8
        assert sum(t.row_bytes for t in tracks.values()) <= self.limits.row_bytes + row * len(tracks)


SessionMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=30, deadline=None)
ThinSessionMachine.TestCase.settings = SessionMachine.TestCase.settings
test_session_matches_the_reference_under_any_sequence = SessionMachine.TestCase
test_thinned_bounded_session_matches_the_reference = ThinSessionMachine.TestCase
