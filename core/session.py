"""A training session: every update kept, any step revisited, edits as undoable branches.

The history stores the loss of every update and the parameter trajectory in flat float64
arrays (16 bytes an update for the seed neuron); a step's chain-rule factors are recomputed
from its starting parameters when it is shown, with the same code that computed it first, so
they are the same numbers to the last bit.

Steps count from 1: step ``s`` is the update from the parameters at index ``s − 1`` to those at
index ``s``. The cursor is how many updates the learner has applied (0 to ``length``).
An edit starts a new *segment* at the cursor: a model (config) and parameters that apply from
there on.

Memory stays bounded (``HistoryLimits``):
- a segment is a view of the first updates of a *track* (one model's run from one start, only
  ever grown at its end), so a branch made after stepping back shares the steps before it, and
  an undo snapshot is a tuple of views: nothing is copied;
- a track keeps parameter rows only at checkpoints (every ``every`` updates, doubled when rows
  outgrow their budget) and recomputes the rows between by replaying from the nearest one:
  updates are deterministic, so a replayed row is bit-identical to the first computation;
- the undo stack keeps the latest ``undo`` entries; when the stored losses of every branch
  undo can reach pass ``updates``, the oldest entries go first, and a run that alone would
  pass it stops there (``full_note`` says so).
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .divergence import Divergence, DivergenceWatch

if TYPE_CHECKING:
    import numpy as np

    from .activations import Activation
    from .derivation import Derivation
    from .diagnosis import Note
    from .graph import Graph
    from .forms import Field, Read
    from .losses import Loss
    from .model_view import ActivationView, DiagramLayer

__all__ = ["Divergence", "HistoryLimits", "Model", "Session"]

FLOAT_BYTES = 8


@dataclass(frozen=True)
class HistoryLimits:
    """What a session may keep. The defaults hold a 10⁷-update run (the longest ``--steps``)
    with room for edits, in at most 96 MB of losses and 64 MB of parameter rows."""

    updates: int = 12_000_000  # losses of all reachable branches: 8 bytes each, never thinned
    row_bytes: int = 64 * 2**20  # parameter rows of all reachable branches, thinned to fit
    undo: int = 100  # undo entries; the oldest is dropped first


class Model(Protocol):
    """What a session, trace and the app's views ask of a model; Neuron and Mlp both provide it.

    Nothing outside a model asks which model it is: a new model implements these, and every
    view, the derivation and the diagnosis work with it unchanged. ``step`` is the model's own
    immutable record of one update (it has at least ``loss``); parameters travel as one flat
    tuple, in the order ``param_names()`` names them.
    """

    kind: str  # the name a learner types (--model), never a branch to take
    title: str  # as a sentence names it: "one neuron", "the two-layer network"
    config: Any  # the validated config it was made from (config.x, config.lr, …)
    n_params: int
    activation: Activation  # the activation the learner chose
    loss: Loss
    activation_symbols: tuple[str, str, str]  # the y(z) view's names for z, y and dy/dz
    draws_one_line: bool  # whether the boundary between its output's classes is a straight line
    losses_comparable: bool  # False when consecutive updates descend different examples' losses

    # ---- training (the session's hot loop uses update, next_params and non_finite) ----------
    def initial_params(self) -> tuple[float, ...]: ...
    # ``index`` is the update's number − 1: a model trained on a dataset picks its example
    # from it; a model with one example ignores it.
    def update(self, params: tuple[float, ...], index: int = 0) -> Any: ...
    def next_params(self, step: Any) -> tuple[float, ...]: ...
    def non_finite(self, step: Any) -> str | None: ...
    def params_of(self, step: Any) -> tuple[float, ...]: ...
    def split(self, params: tuple[float, ...]) -> tuple[Any, ...]: ...
    def gradient(self, step: Any) -> tuple[float, ...]: ...
    def forward_loss(self, params: tuple[float, ...], index: int = 0) -> float: ...  # update index's loss
    def each_example(self) -> tuple[Model, ...]: ...  # itself once per example (X, t) it learns
    def replaced(self, **changes: Any) -> Model: ...  # the same model, some settings changed
    def dy_dx(self, step: Any) -> tuple[float, ...]: ...
    def curvature(self, params: tuple[float, ...]) -> float: ...
    def curvature_at_minimum(self) -> float | None: ...

    # ---- what a learner reads -----------------------------------------------------------
    def param_names(self) -> tuple[str, ...]: ...
    def param_parts(self, params: tuple[float, ...]) -> dict[str, Any]: ...
    def gradient_without_output_slope(self, step: Any) -> tuple[tuple[float, ...], str, float]: ...
    def param_groups(
        self, params: tuple[float, ...]
    ) -> tuple[tuple[str, tuple[float, ...]], ...]: ...  # fmt: skip
    def summary(self) -> list[tuple[str, str]]: ...
    def derivation(self, step: Any, number: int) -> Derivation: ...
    def graph(self, step: Any) -> Graph: ...  # the update as a computation graph (graph.py)
    def varied_weight(self) -> tuple[str, str]: ...
    def activation_view(self, step: Any) -> ActivationView: ...

    # ---- what the diagnosis asks --------------------------------------------------------
    def stall_note(self, step: Any, gradient: tuple[float, ...], before: tuple[float, ...],
                   after: tuple[float, ...]) -> Note | None: ...  # fmt: skip
    def slowing_slopes(self, step: Any) -> tuple[tuple[float, ...], str]: ...

    # ---- what the layers' views and the inputs panel ask ---------------------------------
    layer_weights: tuple[str, ...]  # the weights of each layer, input side first
    def diagram(self, step: Any) -> tuple[DiagramLayer, ...]: ...
    def form(self, params: tuple[float, ...]) -> tuple[Field, ...]: ...
    @classmethod
    def from_form(cls, read: Read, previous: Any, params: tuple[float, ...]
                  ) -> tuple[Model, tuple[float, ...]]: ...  # fmt: skip
    def as_kind(self, kind: type) -> Model: ...  # the same settings in another kind of model


class _Track:
    """One model's updates from one starting point, at parameter index ``start`` on.

    Only ever grown at its end, so any number of segments can show a prefix of it.
    Row ``c`` of ``rows`` holds the parameters at local index ``c·every``.
    """

    def __init__(self, start: int, model: Model, params: tuple[float, ...]) -> None:
        self.start = start
        self.model = model
        self.losses = array("d")  # the loss of each update
        self.rows = array("d", params)
        self.every = 1
        self.end_params = tuple(params)  # the parameters after the last update
        self.watch = DivergenceWatch(model, start + 1, params)

    @property
    def length(self) -> int:
        return len(self.losses)

    @property
    def row_bytes(self) -> int:
        return len(self.rows) * FLOAT_BYTES

    def row(self, local: int) -> tuple[float, ...]:
        """The parameters after ``local`` of this track's updates (0 ≤ local ≤ length)."""
        if local == self.length:
            return self.end_params
        width, checkpoint = self.model.n_params, local // self.every
        offset = checkpoint * width
        params = tuple(self.rows[offset : offset + width])
        update, next_params = self.model.update, self.model.next_params
        first = self.start + checkpoint * self.every  # the replayed updates' own indices
        for index in range(first, self.start + local):
            params = next_params(update(params, index))
        return params

    def thin(self) -> None:
        """Keep every other checkpoint: half the rows, twice the replay."""
        import numpy as np  # only long runs get here: the app's first frame does not wait for it

        width, kept = self.model.n_params, (len(self.rows) // self.model.n_params + 1) // 2
        rows = np.frombuffer(self.rows, dtype=np.float64).reshape(-1, width)
        rows[:kept] = rows[::2]  # in place, so thinning never needs the old rows twice over
        del rows  # the array cannot shrink while NumPy still looks at it
        del self.rows[kept * width :]
        self.every *= 2

    def grow(self, count: int) -> Divergence | None:
        """Compute ``count`` more updates, stopping at a divergence: the hot loop."""
        model = self.model
        update, next_params, non_finite = model.update, model.next_params, model.non_finite
        observe, record_loss, record_row = self.watch.observe, self.losses.append, self.rows.extend
        every = self.every
        until_checkpoint = every - self.length % every
        params, divergence = self.end_params, None
        first = self.start + self.length + 1
        for step in range(first, first + count):
            record = update(params, step - 1)  # the update's index picks a dataset's example
            params = next_params(record)
            loss = record.loss
            record_loss(loss)
            until_checkpoint -= 1
            if not until_checkpoint:
                record_row(params)
                until_checkpoint = every
            divergence = observe(step, loss, non_finite(record))
            if divergence is not None:
                break
        self.end_params = params
        return divergence


@dataclass(frozen=True)
class _Segment:
    """The first ``count`` updates of ``track``, and the parameters they end at."""

    track: _Track
    count: int
    end_params: tuple[float, ...]

    @property
    def start(self) -> int:
        return self.track.start

    @property
    def model(self) -> Model:
        return self.track.model

    @property
    def end(self) -> int:
        """The index of this segment's last parameter row."""
        return self.track.start + self.count

    def row(self, index: int) -> tuple[float, ...]:
        local = index - self.track.start
        return self.end_params if local == self.count else self.track.row(local)

    def prefix(self, index: int) -> _Segment:
        """The same updates up to parameter index ``index``: a view, nothing copied."""
        return _Segment(self.track, index - self.track.start, self.row(index))

    @staticmethod
    def whole(track: _Track) -> _Segment:
        return _Segment(track, track.length, track.end_params)


@dataclass(frozen=True)
class _Snapshot:
    segments: tuple[_Segment, ...]
    cursor: int
    divergence: Divergence | None


class Session:
    def __init__(
        self,
        model: Model,
        params: tuple[float, ...] | None = None,
        limits: HistoryLimits = HistoryLimits(),
    ) -> None:
        self._launch = (model, params if params is not None else model.initial_params())
        self.limits = limits
        self._undo: deque[_Snapshot] = deque(maxlen=limits.undo)
        # Set when the last forward() stopped at limits.updates; the words are the app's to show.
        self.full_note: str | None = None
        self._start(*self._launch)

    def _start(self, model: Model, params: tuple[float, ...]) -> None:
        self._segments = [_Segment.whole(_Track(0, model, params))]
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
        return self.model_at(step - 1).update(self.params(step - 1), step - 1)

    def preview(self) -> Any:
        """The record of the update the cursor would apply next (it need not be stored yet)."""
        return self.model.update(self.params(self.cursor), self.cursor)

    def losses(self) -> np.ndarray:
        """The loss of every stored update, step 1 first (a copy: the history may grow)."""
        import numpy as np  # only plots need it: the app's first frame does not wait for it

        # Slicing copies into a fresh array, so no NumPy view pins the growing one.
        parts = [
            np.frombuffer(s.track.losses[: s.count], dtype=np.float64)
            for s in self._segments
            if s.count
        ]
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else np.empty(0)

    @property
    def at_divergence(self) -> bool:
        return self.divergence is not None and self.cursor >= self.divergence.step

    # ---- moving --------------------------------------------------------------------------

    def forward(self, count: int = 1) -> int:
        """Apply up to ``count`` updates from the cursor; returns how many were applied.

        Stored steps are replayed; new ones are computed. A diverged step is the last one;
        a run that reaches ``limits.updates`` stops there and sets ``full_note``.
        """
        self.full_note = None
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
        """Compute ``count`` new updates at the end of the history, within the limits."""
        segment = self._segments[-1]
        track = segment.track
        # Only the newest segment of a branch grows, and it always shows its whole track
        # (truncated views are always followed by a new segment): appending keeps every view valid.
        assert segment.count == track.length
        count = self._make_room(track, count)
        divergence = track.grow(count)
        self._segments[-1] = _Segment.whole(track)
        if divergence is not None:
            self.divergence = divergence

    # ---- memory --------------------------------------------------------------------------

    def _reachable_tracks(self) -> list[_Track]:
        """Every track the current state or an undo entry shows, once each."""
        tracks: dict[int, _Track] = {}
        for segments in [self._segments, *(snapshot.segments for snapshot in self._undo)]:
            for segment in segments:
                tracks[id(segment.track)] = segment.track
        return list(tracks.values())

    def _make_room(self, track: _Track, count: int) -> int:
        """How many of ``count`` new updates of ``track`` fit; drops old undo entries and
        thins parameter rows to make room."""
        limits = self.limits
        tracks = self._reachable_tracks()
        stored = sum(t.length for t in tracks)
        if stored + count > limits.updates:
            own = sum({id(s.track): s.track.length for s in self._segments}.values())
            # Undo entries that hold other branches go first, oldest first, if that helps.
            while self._undo and own + count <= limits.updates < stored + count:
                self._undo.popleft()
                tracks = self._reachable_tracks()
                stored = sum(t.length for t in tracks)
            if stored + count > limits.updates:
                count = max(0, limits.updates - stored)
                self.full_note = (
                    f"history full: a session keeps at most {limits.updates:,} updates; "
                    "reset to start a new run"
                )
        width = track.model.n_params * FLOAT_BYTES

        def row_bytes(t: _Track) -> int:
            """Its rows' bytes once ``count`` more updates of ``track`` are stored."""
            if t is not track:
                return t.row_bytes
            return t.row_bytes + (t.length % t.every + count) // t.every * width

        while sum(map(row_bytes, tracks)) > limits.row_bytes:
            largest = max(tracks, key=row_bytes)
            if row_bytes(largest) <= width:
                break  # one row each is the least there can be
            largest.thin()
        return count

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
        kept = self._segments[:index]
        if self._segments[index].start < self.cursor:  # else it would hold no update
            kept.append(self._segments[index].prefix(self.cursor))
        self._segments = kept + [_Segment.whole(_Track(self.cursor, model, start_params))]
        # Also at the diverged step itself: the new branch starts from new parameters there.
        if self.divergence and self.divergence.step >= self.cursor:
            self.divergence = None

    def restart(self, model: Model) -> None:
        """Start again with ``model`` as if launched with it (a lesson's page): no history, and
        reset() comes back here; undo() brings the history back."""
        self._snapshot()
        self._launch = (model, model.initial_params())
        self._start(*self._launch)

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
