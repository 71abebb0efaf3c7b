"""The one update every panel speaks of ("now"), and what it changed.

The derivation, the plots and the status line all ask here which update is shown, so after any
key they agree: update ``cursor`` (the last one applied), or ``cursor + 1`` when the learner is
looking ahead at it (at the start, after an edit, during a walk-through).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calc_tutor.core.derivation import Derivation, derive
from calc_tutor.core.diagnosis import BOUNCE_WINDOW, Note, diagnose
from calc_tutor.core.numbers import fmt_plain
from calc_tutor.core.session import Model, Session


def shown_step(cursor: int, walking: bool, previewing: bool) -> int:
    """The number of the update on show (counting from 1)."""
    return cursor + 1 if walking or previewing or cursor == 0 else cursor


def update_start(session: Session, step: int) -> tuple[Model, tuple[float, ...]]:
    """The model and the parameters update ``step`` starts from (1 ≤ step ≤ length + 1)."""
    return session.model_at(step - 1), session.params(step - 1)


def run_bounds(session: Session, step: int) -> tuple[int, int]:
    """The first and last update of the run that holds update ``step``: the updates one model
    made (an edit or a switch of model starts a new run). Found by bisection: a run's updates
    are contiguous, and a history may hold millions."""
    model = session.model_at(step - 1)
    last_stored = session.length

    def same(update: int) -> bool:
        return session.model_at(update - 1) is model

    low, high = 1, step  # the first update of the run lies in [low, high]
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if same(middle) else (middle + 1, high)
    first = low
    low, high = step, max(step, last_stored)  # the last lies in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if same(middle) else (low, middle - 1)
    return first, low


def step_record(session: Session, step: int) -> tuple[Model, Any]:
    """The model and record of update ``step``: a stored one, or the next from the last."""
    model, params = update_start(session, step)
    return model, model.update(params, step - 1)  # its index picks a dataset's example


def next_derivation(session: Session) -> Derivation:
    """The lines of the update the cursor would apply next: the one a walk-through walks."""
    return derive(session.model, session.preview(), session.cursor + 1)


def example_of(model: Model, step: int) -> Model:
    """The model whose X and t update ``step`` learns from: on a dataset, that update's example
    (for a batch update, example ``step − 1`` mod n); otherwise ``model`` itself."""
    examples = model.each_example()
    return examples[(step - 1) % len(examples)]


@dataclass(frozen=True)
class Move:
    """One group of parameters (``W``, ``b``, ``W1``, …) before and after an update."""

    name: str
    before: tuple[float, ...]
    after: tuple[float, ...]


@dataclass(frozen=True)
class Change:
    """Update ``step`` as the status line tells it: the parameters and the loss, before and after."""

    step: int
    ahead: bool  # not applied yet: the next update, shown before it is taken
    moves: tuple[Move, ...]  # in the model's order of its parameters
    loss: float  # at the parameters the update starts from
    loss_next: float  # at the parameters it lands on, under the same model


def recent_records(session: Session, step: int, count: int) -> tuple[Model, list[Any]]:
    """The model of update ``step`` and the records of up to ``count`` updates ending with it,
    oldest first, all under that same model (an edit starts a new run)."""
    model, record = step_record(session, step)
    records = [record]
    earlier = min(step - 1, session.length)
    while earlier >= 1 and len(records) < count and session.model_at(earlier - 1) is model:
        records.append(session.record(earlier))
        earlier -= 1
    return model, records[::-1]


def explanation(session: Session, step: int) -> Note | None:
    """What is surprising about update ``step``: a stall, a saturated unit, a bouncing loss."""
    return diagnose(*recent_records(session, step, BOUNCE_WINDOW))


def change_of(session: Session, step: int) -> Change:
    model, record = step_record(session, step)
    after = model.next_params(record)
    groups = zip(model.param_groups(model.params_of(record)), model.param_groups(after))
    moves = tuple(Move(name, before, landed) for (name, before), (_, landed) in groups)
    return Change(step, step > session.cursor, moves, record.loss, model.update(after, step - 1).loss)


def params_text(values: tuple[float, ...] | float) -> str:
    """Parameters as short as a title needs them: ``0.5772``, ``[0.542, -0.229]``."""
    if isinstance(values, tuple) and len(values) == 1:
        values = values[0]
    if isinstance(values, tuple):
        return "[" + ", ".join(map(fmt_plain, values)) + "]"
    return fmt_plain(values)


def shift_text(name: str, before: tuple[float, ...] | float, after: tuple[float, ...] | float) -> str:
    """``W 0.5772 → 0.6136``."""
    return f"{name} {params_text(before)} → {params_text(after)}"
