"""Saying why training looks the way it does: a stall, a saturated unit, a bouncing loss.

``diagnose`` reads the update being shown, with the ones just before it, and returns one short
sentence for the status line (and for trace's notes on stderr), or None when nothing surprising
is happening. Every sentence is computed from the numbers of that run: a dead ReLU names z, a
saturated unit says how many times smaller its slope is than at z = 0, a bouncing loss names
α against the stable limit 2/L″ from the curvature where the run bounces.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .activations import is_saturated
from .curvature import stable_limit
from .finite import mean
from .numbers import fmt_plain, fmt_value, parse_shown

BOUNCE_WINDOW = 20  # updates looked at for a loss that bounces instead of falling
BOUNCE_FLIPS = 6  # sign changes of dLoss/dW within the window that count as bouncing
STILL_FALLING = 0.9  # the newer half's mean loss below this share of the older half's: falling
SETTLED = 1e-10  # steps below this share of the parameters' size are rounding, not bouncing
LIMIT_MARGIN = 0.01  # α within 1% of the stable limit counts as equal to it
STALL_WINDOW = 10  # W unchanged for this many updates is never left unexplained
SEPARATION_EVERY = 100  # updates between two looks at the mean loss over a dataset
MEAN_LOSS_STALLED = 0.005  # the mean loss fell by less than this share since the last look
NEAR_CHANCE = 0.05  # within this share of ln 2, the loss of answering y = 0.5 every time
FLAT_GRADIENT = 0.1  # every slope of the mean loss below this: the run sits at its bottom


@dataclass(frozen=True)
class Note:
    kind: str  # "dead-relu", "no-input", "at-minimum", "no-slope", "too-small", "saturated",
    #            "bouncing", "stuck", "one-line"
    text: str
    short: str = ""  # for a status line with little room; "" when text is short already

    @property
    def brief(self) -> str:
        return self.short or self.text


def diagnose(model: Any, records: Sequence[Any]) -> Note | None:
    """What to say about ``records[-1]`` (the update shown), given up to BOUNCE_WINDOW updates
    before it under the same model (oldest first)."""
    if not records:
        return None
    record = records[-1]
    return (
        _standing_still(model, record)
        or _stuck(model, records)
        or _bouncing(model, records)
        or _one_line_is_not_enough(model, model.params_of(records[0]), model.next_params(record))
        or _saturated(model, record)
    )


class NoteWatch:
    """``diagnose`` along a stream of updates (trace), saying each kind of finding once, at the
    update where it is first seen.

    The checks of one update run at every step; the bouncing check, which looks at a window and
    may compute curvatures, once every BOUNCE_WINDOW updates.
    """

    def __init__(self, model: Any) -> None:
        self.model = model
        self.window: deque[Any] = deque(maxlen=BOUNCE_WINDOW)
        self.said: set[str] = set()  # the kinds of finding already reported: each is said once
        self.seen = 0
        self.looked_at: tuple[float, ...] | None = None  # the parameters at the last look

    def see(self, record: Any) -> Note | None:
        """A finding to report at this update, if it is new."""
        self.window.append(record)
        self.seen += 1
        model = self.model
        window = list(self.window)
        note = _standing_still(model, record) or _stuck(model, window)
        if note is None and self.seen % BOUNCE_WINDOW == 0:
            note = _bouncing(model, window)
        if self.seen % SEPARATION_EVERY == 0:
            now = model.next_params(record)
            if note is None and self.looked_at is not None:
                note = _one_line_is_not_enough(model, self.looked_at, now)
            self.looked_at = now
        note = note or _saturated(model, record)
        if note is None or note.kind in self.said:
            return None
        self.said.add(note.kind)
        return note


# ---- W does not move -----------------------------------------------------------------------


def _standing_still(model: Any, record: Any) -> Note | None:
    """Why this update leaves every weight where it was, if it does."""
    gradient = model.gradient(record)
    current = model.next_params(record)
    before = model.params_of(record)
    if any(math.isnan(g) for g in gradient) or current != before and any(gradient):
        return None
    return model.stall_note(record, gradient, before, current)


def network_still(model: Any, record: Any, gradient: tuple[float, ...], before: tuple[float, ...],
                  after: tuple[float, ...]) -> Note | None:  # fmt: skip
    """Why an update that moves nothing moves nothing, for a model with many units."""
    if not any(gradient):
        return Note("no-slope", "every slope is 0 here, so no weight can move")
    return _too_small(model, record, before, after)


def neuron_still(model: Any, r: Any, gradient: tuple[float, ...], before: tuple[float, ...],
                 after: tuple[float, ...]) -> Note | None:  # fmt: skip
    """The same for one neuron, whose single z can name the cause (a dead ReLU, X = 0, …)."""
    weights = "W and b" if r.b is not None else "W"
    if r.dy_dz == 0 and model.activation.name == "relu":
        where = "z = 0, where its slope counts as 0" if r.z == 0 else f"z = {fmt_plain(r.z)} < 0"
        return Note("dead-relu", f"dead ReLU: {where}, so dy/dz = 0 and {weights} cannot move",
                    f"dead ReLU: z {'=' if r.z == 0 else '<'} 0, so dy/dz = 0 and {weights} "
                    "cannot move")  # fmt: skip
    if all(v == 0 for v in r.dloss_dw) and all(xi == 0 for xi in r.x) and r.dloss_dz != 0:
        return None if r.b is not None else Note(
            "no-input", "X = 0, so dz/dW = 0 and W cannot move")  # the bias still learns
    if r.dloss_dy == 0:
        return Note("at-minimum", "the loss is at its minimum (dLoss/dy = 0): nothing moves",
                    "at the loss's minimum: nothing moves")  # fmt: skip
    if r.dy_dz == 0:
        return Note("no-slope", f"z = {fmt_plain(r.z)} is so far out that dy/dz rounds to 0: "
                                f"{weights} cannot move", f"dy/dz rounds to 0: {weights} cannot move")  # fmt: skip
    if before == after and any(gradient):
        return _too_small(model, r, before, after)
    return None


def _too_small(model: Any, record: Any, before: tuple[float, ...], after: tuple[float, ...]) -> Note:
    step = max(abs(model.config.lr * g) for g in model.gradient(record))
    return Note("too-small", f"the step α·dLoss/dW = {fmt_value(step)} is too small to change W "
                             "at the computer's precision (float64): W stays put",
                "the step is too small to change W")  # fmt: skip


def _stuck(model: Any, records: Sequence[Any]) -> Note | None:
    """W unchanged for STALL_WINDOW updates with nothing above to explain it (a safety net)."""
    recent = records[-STALL_WINDOW:]
    if len(recent) < STALL_WINDOW:
        return None
    if any(model.params_of(r) != model.next_params(r) for r in recent):
        return None
    return Note("stuck", f"W has not moved for {STALL_WINDOW} updates: its slope rounds away")


# ---- a loss that bounces -------------------------------------------------------------------


def _bouncing(model: Any, records: Sequence[Any]) -> Note | None:
    window = records[-BOUNCE_WINDOW:]
    if len(window) < BOUNCE_WINDOW or not model.losses_comparable:
        return None  # one example's loss and slope against the next's: no bounce to see
    losses = [r.loss for r in window]
    half = len(losses) // 2
    older, newer = sum(losses[:half]) / half, sum(losses[half:]) / (len(losses) - half)
    if not (math.isfinite(older) and math.isfinite(newer)) or newer < STILL_FALLING * older:
        return None
    slopes = [model.gradient(r)[0] for r in window]
    flips = _sign_flips(slopes)
    if flips < BOUNCE_FLIPS or _settled(model, window):
        return None
    limit = bounce_limit(model, [model.params_of(r) for r in window])
    lr = model.config.lr
    what = "bouncing: each step jumps past the bottom (dLoss/dW keeps flipping sign)"
    if limit is None:
        return Note("bouncing", f"{what} and the loss does not settle; try an α below "
                                f"{fmt_plain(lr)}", f"bouncing: try an α below {fmt_plain(lr)}")  # fmt: skip
    if lr > limit * (1 + LIMIT_MARGIN):
        relation, sign = "is above", ">"
    elif lr >= limit * (1 - LIMIT_MARGIN):
        relation, sign = "equals", "="
    else:
        relation, sign = "is just below", "<"
    return Note("bouncing", f"{what} and the loss does not settle; α = {fmt_plain(lr)} {relation} "
                            f"the stable limit 2/L″ = {fmt_plain(limit)} (L″: how sharply the loss "
                            "curves there)",
                f"bouncing: α = {fmt_plain(lr)} {sign} stable limit 2/L″ = {fmt_plain(limit)}")  # fmt: skip


def _sign_flips(slopes: Sequence[float]) -> int:
    """How often dLoss/dW changes sign from one update to the next: a bounce's mark."""
    return sum(1 for a, b in zip(slopes, slopes[1:]) if a * b < 0)


def _settled(model: Any, window: Sequence[Any]) -> bool:
    """Steps down at rounding size: a run that has converged jitters in its last bits."""
    lr = model.config.lr
    for record in window:
        scale = max(1.0, max(abs(p) for p in model.params_of(record)))
        if max(abs(lr * g) for g in model.gradient(record)) > SETTLED * scale:
            return False
    return True


def bounce_limit(model: Any, visited: Sequence[tuple[float, ...]]) -> float | None:
    """2/L″ for the sharpest curvature the run meets: at the points it visited, and at the
    bottom of the loss that it bounces around (where the model can find it)."""
    curvatures = [model.curvature(params) for params in visited]
    bottom = model.curvature_at_minimum()
    if bottom is not None:
        curvatures.append(bottom)
    finite = [c for c in curvatures if math.isfinite(c)]
    return stable_limit(max(finite)) if finite else None


# ---- a dataset one straight line cannot split -----------------------------------------------


def _one_line_is_not_enough(model: Any, before: tuple[float, ...],
                            after: tuple[float, ...]) -> Note | None:  # fmt: skip
    """A neuron whose mean bce loss over 0/1 targets has stopped near ln 2 with every slope of
    the mean loss small: said when no straight line can separate the classes (proven, as for
    xor), never when one can (the neuron is then only slow), and as a question when neither is
    known (core.separability)."""
    if not model.draws_one_line or model.loss.name != "bce":
        return None
    examples = model.each_example()
    targets = {example.config.target for example in examples}
    if targets != {0.0, 1.0}:
        return None
    loss, chance = mean_loss(model, after), math.log(2)
    if abs(loss - chance) > NEAR_CHANCE * chance:
        return None  # far from ln 2: no need for the loss before (a pass over every example)
    if loss < mean_loss(model, before) * (1 - MEAN_LOSS_STALLED):
        return None
    slopes = [example.gradient(example.update(after)) for example in examples]
    if max(abs(mean(column)) for column in zip(*slopes)) >= FLAT_GRADIENT:
        return None
    from .separability import line_separates  # with numpy: loaded only when this is asked

    separable = line_separates(tuple(example.config.x for example in examples),
                               tuple(example.config.target for example in examples))  # fmt: skip
    if separable:
        return None  # a line exists: the neuron is only slow here, and may yet find it
    stuck = (f"the mean loss has stayed at {fmt_plain(loss)}, near ln 2 = {fmt_plain(chance)}, "
             "the loss of answering y = 0.5 for every example")  # fmt: skip
    if separable is False:
        return Note("one-line", f"{stuck}: one neuron splits the inputs with a single straight "
                                "line, W·X + b = 0, and no straight line puts these examples' 0s "
                                "and 1s on opposite sides",
                    "mean loss ≈ ln 2 (y = 0.5 always): no line splits these 0s and 1s")  # fmt: skip
    return Note("one-line", f"{stuck}; one neuron splits the inputs with a single straight line, "
                            "W·X + b = 0: if no such line puts these 0s and 1s on opposite sides, "
                            "it can do no better",
                "mean loss ≈ ln 2 (y = 0.5 always): is there a line that splits the 0s and 1s?")  # fmt: skip


# ---- a saturated unit ----------------------------------------------------------------------


def _saturated(model: Any, record: Any) -> Note | None:
    slopes, name = model.slowing_slopes(record)
    activation = model.activation
    peak = activation.max_slope
    if peak is None or not slopes:
        return None
    worst = min(range(len(slopes)), key=lambda j: abs(slopes[j]))
    slope = abs(slopes[worst])
    if slope == 0 or not is_saturated(activation, slope):
        return None
    unit = f"hidden unit {worst + 1}" if len(slopes) > 1 else f"the {activation.name} unit"
    z_name = name.split("/d")[-1]
    ratio = fmt_plain(peak / slope, 2)
    return Note("saturated", f"{unit} is saturated: {name} = {fmt_plain(slope)} is "
                             f"{fmt_plain(peak / slope)}× smaller than at {z_name} = 0, so it "
                             "learns slowly",
                f"saturated: {name} is {ratio}× below its peak")  # fmt: skip



# ---- why a run diverged, and what would converge -------------------------------------------

ADVICE_STEPS = 1000  # updates a suggested α is tried for, from the run's own start
ADVICE_TRIES = 12  # halvings of α tried before giving up on a number
FORWARD_QUANTITIES = ("z", "y", "loss", "z1", "h", "z2")
ALPHA_TOO_LARGE = "α too large"
TARGET_TOO_LARGE = 1e150  # (y − t)² overflows float64 beyond about this |t|


def blames_alpha(divergence: Any) -> bool:
    """Whether a smaller α is the cure (not smaller starting values or a smaller target)."""
    return divergence.reason.startswith(ALPHA_TOO_LARGE)


def divergence_reason(model: Any, cause: str, quantity: str, first_step: bool,
                      before: float | None, after: float, span: int,
                      start: tuple[float, ...], growth: float | None = None) -> str:  # fmt: skip
    """The sentence that says why a run stopped, naming its real cause.

    A forward value that is not finite at a segment's first update comes from the starting
    values (W·X, the target), not from α: nothing has been learned yet. Otherwise α is too
    large, and the advice names an α that, tried from the same start, converges.
    """
    config = model.config
    saturated = quantity == "dloss_dy" and model.loss.needs_0_1_output
    if saturated and first_step:
        return ("the sigmoid is saturated on the wrong side: y is so close to the wrong end that "
                "1 − y (or y) is below the smallest float64, and dLoss/dy = −t/y + (1 − t)/(1 − y) "
                "cannot be computed; start from smaller weights")  # fmt: skip
    if cause == "non-finite" and first_step and quantity in FORWARD_QUANTITIES:
        if quantity in ("z", "z1", "z2"):
            return (f"{quantity} is beyond float64's range (±1.8e308) at the start: the weights "
                    "and inputs are too large; start from smaller ones")  # fmt: skip
        if abs(config.target) > TARGET_TOO_LARGE:
            return (f"the target t = {fmt_value(config.target)} is too large: (y − t)² is beyond "
                    "float64's range; choose a smaller target")  # fmt: skip
        return ("the loss is beyond float64's range at the start (y is too far from t): start "
                "from smaller values")  # fmt: skip
    if cause == "growth" and before is not None and growth is not None:
        what = (f"the loss grew {fmt_value(growth)}× in {span} steps "
                f"(from {fmt_value(before)} to {fmt_value(after)})")  # fmt: skip
    elif saturated:
        what = "a step took y so close to 0 or 1 that dLoss/dy cannot be computed in float64"
    else:
        what = f"{_label(quantity)} is no longer a finite number"
    return f"{ALPHA_TOO_LARGE}: {what}; {_advice(model, start)}"


def _label(name: str) -> str:
    """A record field as a learner reads it: ``dloss_dw`` → ``dLoss/dw``, ``w_next`` → ``the new W``."""
    if name == "loss":
        return "the loss"
    if name.endswith("_next"):
        return f"the new {name.removesuffix('_next').replace('w', 'W', name == 'w_next')}"
    return name.replace("dloss", "dLoss").replace("_", "/")


def _advice(model: Any, start: tuple[float, ...]) -> str:
    lr = model.config.lr
    rate = converging_rate(model, start)
    if rate is None:
        return f"lower α well below {fmt_plain(lr)}"
    return f"α = {fmt_plain(rate)} converges from the same start"


def converging_rate(model: Any, start: tuple[float, ...]) -> float | None:
    """An α below the run's own that converges from ``start``, checked by running it: first
    just under the stable limit 2/L″ where the curvature gives one, then halving."""
    lr = model.config.lr
    curvatures = [c for c in (model.curvature(start), model.curvature_at_minimum())
                  if c is not None and math.isfinite(c)]  # fmt: skip
    limit = stable_limit(max(curvatures)) if curvatures else None
    candidate = min(0.9 * limit, lr / 2) if limit is not None else lr / 10
    candidate = parse_shown(fmt_plain(candidate, 2))  # two digits: a number a learner can type
    for _ in range(ADVICE_TRIES):
        if candidate <= 0 or not math.isfinite(candidate):
            return None
        trial = model.replaced(lr=candidate)
        if _converges(trial, start):
            return candidate
        candidate = parse_shown(fmt_plain(candidate / 2, 2))
    return None


def _converges(model: Any, start: tuple[float, ...]) -> bool:
    """From ``start``, ADVICE_STEPS updates stay finite, end below the first loss, and stop
    bouncing."""
    params = start
    slopes: list[float] = []
    for index in range(ADVICE_STEPS):
        record = model.update(params, index)
        if model.non_finite(record) is not None:
            return False
        slopes.append(model.gradient(record)[0])
        params = model.next_params(record)
    first, last = mean_loss(model, start), mean_loss(model, params)
    recent = slopes[-BOUNCE_WINDOW:]
    # Slopes of different examples differ in sign without any bounce.
    flips = _sign_flips(recent) if model.losses_comparable else 0
    settled = all(abs(s) <= SETTLED for s in recent)
    return math.isfinite(last) and last <= first and (flips < BOUNCE_FLIPS or settled)


def mean_loss(model: Any, params: tuple[float, ...]) -> float:
    """The mean loss over every example the model learns (its one X and t, or a dataset)."""
    return mean(example.forward_loss(params) for example in model.each_example())
