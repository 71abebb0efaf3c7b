"""A training session: every update kept, any step revisited, edits as undoable branches.

The history stores only the parameter trajectory and the loss of each update, in flat float64
arrays (16 bytes an update for the seed neuron); a step's chain-rule factors are recomputed
from its starting parameters when it is shown, with the same code that computed it first, so
they are the same numbers to the last bit.

Steps count from 1: step ``s`` is the update from the parameters at index ``s − 1`` to those at
index ``s``. The cursor is how many updates the learner has applied (0 to ``length``).
An edit starts a new *segment* at the cursor: a model (config) and parameters that apply from
there on. Segments own their arrays, so an undo simply puts the old list of segments back.
"""

from __future__ import annotations

import bisect
import math
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .numbers import fmt_value

if TYPE_CHECKING:
    import numpy as np

GROWTH_WINDOW = 20  # updates over which a loss that keeps growing counts as divergence
GROWTH_FACTOR = 1e6
GROWTH_FLOOR = 1e-3  # below this, growth is rounding noise, not divergence


class Model(Protocol):
    """What a session needs of a model; Neuron and Mlp both provide it."""

    kind: str
    config: Any
    n_params: int

    def initial_params(self) -> tuple[float, ...]: ...
    def update(self, params: tuple[float, ...]) -> Any: ...
    def next_params(self, step: Any) -> tuple[float, ...]: ...
    def non_finite(self, step: Any) -> str | None: ...


@dataclass(frozen=True)
class Divergence:
    step: int
    reason: str


@dataclass
class _Segment:
    """Updates from parameter index ``start`` on, under one model."""

    start: int
    model: Model
    params: array = field(default_factory=lambda: array("d"))  # rows of n_params, from start
    losses: array = field(default_factory=lambda: array("d"))  # loss of each update

    @property
    def end(self) -> int:
        """The index of this segment's last parameter row."""
        return self.start + len(self.losses)

    def row(self, index: int) -> tuple[float, ...]:
        width = self.model.n_params
        offset = (index - self.start) * width
        return tuple(self.params[offset : offset + width])

    def truncated(self, index: int) -> _Segment:
        """A copy ending at parameter row ``index`` (the original stays, for undo)."""
        kept = index - self.start
        return _Segment(
            self.start, self.model, self.params[: (kept + 1) * self.model.n_params],
            self.losses[:kept],
        )  # fmt: skip


@dataclass(frozen=True)
class _Snapshot:
    segments: tuple[_Segment, ...]
    cursor: int
    divergence: Divergence | None


class Session:
    def __init__(self, model: Model, params: tuple[float, ...] | None = None) -> None:
        self._launch = (model, params if params is not None else model.initial_params())
        self._undo: list[_Snapshot] = []
        self._start(*self._launch)

    def _start(self, model: Model, params: tuple[float, ...]) -> None:
        self._segments = [_Segment(0, model, array("d", params))]
        self.cursor = 0
        self.divergence: Divergence | None = None

    # ---- reading the history -------------------------------------------------------------

    @property
    def length(self) -> int:
        """How many updates are stored (the cursor may be anywhere from 0 to this)."""
        return self._segments[-1].end

    def _segment_for(self, index: int) -> _Segment:
        """The segment whose model applies to the update starting at parameter ``index``."""
        starts = [segment.start for segment in self._segments]
        return self._segments[bisect.bisect_right(starts, index) - 1]

    def model_at(self, index: int) -> Model:
        return self._segment_for(index).model

    @property
    def model(self) -> Model:
        """The model that the next update from the cursor uses."""
        return self.model_at(self.cursor)

    def params(self, index: int) -> tuple[float, ...]:
        """The parameters after ``index`` updates."""
        if not 0 <= index <= self.length:
            raise IndexError(f"parameter index {index} outside 0..{self.length}")
        return self._segment_for(index).row(index)

    def record(self, step: int) -> Any:
        """Step ``step``'s full record of factors, recomputed from its starting parameters."""
        if not 1 <= step <= self.length:
            raise IndexError(f"step {step} outside 1..{self.length}")
        return self.model_at(step - 1).update(self.params(step - 1))

    def preview(self) -> Any:
        """The record of the update the cursor would apply next (it need not be stored yet)."""
        return self.model.update(self.params(self.cursor))

    def losses(self) -> np.ndarray:
        """The loss of every stored update, step 1 first."""
        import numpy as np  # only plots need it: the app's first frame does not wait for it

        parts = [np.frombuffer(s.losses, dtype=np.float64) for s in self._segments if s.losses]
        return np.concatenate(parts) if parts else np.empty(0)

    @property
    def at_divergence(self) -> bool:
        return self.divergence is not None and self.cursor >= self.divergence.step

    # ---- moving --------------------------------------------------------------------------

    def forward(self, count: int = 1) -> int:
        """Apply up to ``count`` updates from the cursor; returns how many were applied.

        Stored steps are replayed; new ones are computed. A diverged step is the last one.
        """
        limit = self.divergence.step if self.divergence else math.inf
        target = int(min(self.cursor + max(count, 0), limit))
        if target > self.length:
            self._extend(target - self.length)
            target = min(target, self.length)
        moved = target - self.cursor
        self.cursor = target
        return moved

    def back(self, count: int = 1) -> int:
        moved = min(max(count, 0), self.cursor)
        self.cursor -= moved
        return moved

    def goto(self, step: int) -> None:
        self.cursor = max(0, min(step, self.length))

    def _extend(self, count: int) -> None:
        """Compute ``count`` new updates at the end of the history: the hot loop."""
        segment = self._segments[-1]
        model = segment.model
        update, next_params, non_finite = model.update, model.next_params, model.non_finite
        losses, trajectory = segment.losses, segment.params
        record_loss, record_params = losses.append, trajectory.extend
        params = segment.row(segment.end)
        for _ in range(count):
            step = update(params)
            params = next_params(step)
            loss = step.loss
            record_loss(loss)
            record_params(params)
            bad = non_finite(step)
            if bad is not None:
                self.divergence = Divergence(segment.end, _non_finite_reason(model, bad))
                return
            # Growth over the last GROWTH_WINDOW updates (fewer near a segment's start).
            before = losses[-GROWTH_WINDOW - 1] if len(losses) > GROWTH_WINDOW else losses[0]
            scale = abs(before)
            if loss - before > GROWTH_FACTOR * (scale if scale > GROWTH_FLOOR else GROWTH_FLOOR):
                span = min(len(losses) - 1, GROWTH_WINDOW)
                self.divergence = Divergence(segment.end, _growth_reason(model, before, loss, span))
                return

    # ---- changing course -----------------------------------------------------------------

    def _snapshot(self) -> None:
        self._undo.append(_Snapshot(tuple(self._segments), self.cursor, self.divergence))

    def branch(self, model: Model, params: tuple[float, ...] | None = None) -> None:
        """From the cursor on, train ``model`` (from ``params``, by default its initial ones).

        The steps after the cursor are dropped from this branch; undo() brings them back.
        """
        start_params = params if params is not None else model.initial_params()
        if len(start_params) != model.n_params:
            raise ValueError(f"{len(start_params)} parameters given, the model has {model.n_params}")
        self._snapshot()
        index = self._segments.index(self._segment_for(self.cursor))
        kept = self._segments[:index] + [self._segments[index].truncated(self.cursor)]
        if kept[-1].start == self.cursor:
            kept.pop()  # a segment that would hold no update: the new one replaces it
        self._segments = kept + [_Segment(self.cursor, model, array("d", start_params))]
        # Also at the diverged step itself: the new branch starts from new parameters there.
        if self.divergence and self.divergence.step >= self.cursor:
            self.divergence = None

    def reset(self) -> None:
        """Back to the launch state, with no history; undo() brings the history back."""
        self._snapshot()
        self._start(*self._launch)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> bool:
        """Undo the last branch or reset; False when there is nothing to undo."""
        if not self._undo:
            return False
        snapshot = self._undo.pop()
        self._segments = list(snapshot.segments)
        self.cursor, self.divergence = snapshot.cursor, snapshot.divergence
        return True


def _label(name: str) -> str:
    """A record field as a learner reads it: ``dloss_dw`` → ``dLoss/dw``, ``w_next`` → ``the new w``."""
    if name == "loss":
        return "the loss"
    if name.endswith("_next"):
        return f"the new {name.removesuffix('_next')}"
    return name.replace("dloss", "dLoss").replace("_", "/")


def _non_finite_reason(model: Model, name: str) -> str:
    if name == "loss" and model.config.loss == "bce":
        return (
            "the loss became infinite: y rounded to exactly 0 or 1, where ln(y) or ln(1 − y) "
            "is −∞; start from smaller weights or a smaller α"
        )
    return f"α too large: {_label(name)} is no longer a finite number; lower α and try again"


def _growth_reason(model: Model, before: float, after: float, span: int) -> str:
    ratio = (after - before) / max(abs(before), GROWTH_FLOOR)
    return (
        f"α too large: the loss grew {fmt_value(ratio)}× in {span} steps "
        f"(from {fmt_value(before)} to {fmt_value(after)}); try an α below {fmt_value(model.config.lr)}"
    )
