"""When a run has diverged, and what went wrong: one rule for the app's session and for trace.

Both feed a ``DivergenceWatch`` each update's loss in order, from the first update of a segment
(the launch, or an edit) on. The run has diverged at the first update where

- some quantity is not a finite number (``kind == "non-finite"``), or
- |loss| grew by more than ``GROWTH_FACTOR`` times the |loss| of ``GROWTH_WINDOW`` updates
  earlier (fewer near the segment's start; never measured against less than ``GROWTH_FLOOR``)
  (``kind == "growth"``). A jump from ~0 to 1e305 in one update counts, whatever the sign.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .diagnosis import divergence_reason

GROWTH_WINDOW = 20  # updates over which a loss that keeps growing counts as divergence
GROWTH_FACTOR = 1e6
GROWTH_FLOOR = 1e-3  # below this, growth is rounding noise, not divergence


@dataclass(frozen=True)
class Divergence:
    """The update where a run stopped, the sentence shown, and the facts behind it."""

    step: int
    reason: str
    kind: str  # "non-finite" or "growth"
    # The first quantity of the update that is not finite (a record field: "z", "loss",
    # "w_next", ...), or "loss" for growth.
    quantity: str
    # True when it is the segment's first update: nothing had been learned with α yet, so a
    # non-finite z, y or loss there comes from the starting values (W·X, the target), not α.
    # (A non-finite w_next there is still α times a finite gradient.)
    first_step_of_segment: bool
    loss_before: float | None  # growth: the loss ``span`` updates earlier; else the previous loss
    loss_after: float  # the loss of this update (may be inf or NaN)
    span: int  # updates from loss_before to loss_after (0 at the segment's first update)


# observe(step, loss, non_finite_quantity) → a Divergence at that step, or None.
Observe = Callable[[int, float, "str | None"], "Divergence | None"]


class DivergenceWatch:
    """Watches one segment's updates in order; ``observe`` is called once per update (hot)."""

    def __init__(self, model: Any, first_step: int, start: tuple[float, ...] | None = None) -> None:
        self.model = model
        self.first_step = first_step  # the step number of the segment's first update
        # Where the segment started: the reason tries a smaller α from there.
        self.start = tuple(start) if start is not None else model.initial_params()
        # The losses the rule can still look back to, the newest last.
        self._window: deque[float] = deque(maxlen=GROWTH_WINDOW + 1)
        self.observe: Observe = self._compile()

    def _compile(self) -> Observe:
        """The check as a closure over locals: a session calls it for every update it computes."""
        window, remember, diverged = self._window, self._window.append, self._diverged
        factor, floor = GROWTH_FACTOR, GROWTH_FLOOR

        def observe(step: int, loss: float, non_finite: str | None) -> Divergence | None:
            remember(loss)
            if non_finite is not None:
                return diverged(step, "non-finite", non_finite)
            before = abs(window[0])  # GROWTH_WINDOW updates back, or the segment's first
            if abs(loss) - before > factor * (before if before > floor else floor):
                return diverged(step, "growth", "loss")
            return None

        return observe

    def _diverged(self, step: int, kind: str, quantity: str) -> Divergence:
        window = self._window
        after = window[-1]
        if kind == "growth":
            before: float | None = window[0]
            span = len(window) - 1
        else:
            before = window[-2] if len(window) > 1 else None
            span = 1 if before is not None else 0
        first = step == self.first_step
        growth = None
        if kind == "growth" and before is not None:  # the factor the rule measured
            growth = (abs(after) - abs(before)) / max(abs(before), GROWTH_FLOOR)
        reason = divergence_reason(self.model, kind, quantity, first, before, after, span,
                                   self.start, growth)  # fmt: skip
        return Divergence(step, reason, kind, quantity, first, before, after, span)
