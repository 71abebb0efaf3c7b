"""The numbers behind the plots: loss history, L(W) and y(z) curves, tangent lines.

Everything here is plain math on NumPy arrays; drawing the result is the terminal layer's job.
Plotting libraries break on non-finite values, on huge or tiny ranges and on ranges of zero
width, so every series leaves here finite, clipped to ±DISPLAY_LIMIT and split into runs around
any gaps; every window is wide enough for floats to resolve; and ``to_unit`` maps any range to
[0, 1], the only coordinates a plotting library is given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

DISPLAY_LIMIT = 1e307  # a range twice this wide, plus margins, is still a finite float
RANGE_MARGIN = 0.08  # the share of a range added on each side, so points never sit on the frame
FLAT_SHARE = 1e-12  # a series whose spread is below this share of its size is drawn as flat
MIN_HALF_SPAN = 1e-300  # a flat band around a tiny value is still wider than zero
RESOLVABLE_SHARE = 1e-6  # a window is at least this share of its centre wide on each side
LOSS_WINDOW_MARGIN = 0.3  # room around the current W and the next W, as a share of the step
WINDOW_Z_SPAN = 3.0  # how far z moves each side of the current W in the L(W) window
ACTIVATION_HALF_SPAN = 5.0  # y(z) shows at least z in [-5, 5]: the whole bend of σ and tanh
ACTIVATION_MAX_SPAN = 40.0  # beyond this the origin is too far away to be worth showing
VERTICAL_SLOPE = 1e6  # a tangent steeper than this in the unit box is drawn upright

Point = tuple[float, float]
Range = tuple[float, float]


# ---- the loss history ------------------------------------------------------------------------


def downsample_min_max(losses: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """The (step, loss) points worth drawing: at most two per bucket, its lowest and highest.

    Steps count from 1. A plot with ``buckets`` columns draws about as many points at history
    100,000 as at history 100, and a spike survives because each bucket keeps its extremes.
    Non-finite losses are left out. The history is only read through views: a fresh array the
    size of the history would cost more (in page faults) than the reductions themselves.
    """
    values = np.asarray(losses, dtype=np.float64)
    count, buckets = len(values), max(int(buckets), 1)
    finite = np.isfinite(values)
    if count <= 2 * buckets:
        kept = np.flatnonzero(finite)
        return kept + 1, values[kept]
    size = -(-count // buckets)  # ceiling: at most `buckets` buckets of `size` losses
    lowest = _bucket_extreme_indices(values, finite, size, np.argmin)
    highest = _bucket_extreme_indices(values, finite, size, np.argmax)
    kept = np.unique(np.concatenate([lowest, highest]))  # sorted: the points stay in step order
    kept = kept[finite[kept]]  # a bucket with no finite loss contributes nothing
    return kept + 1, values[kept]


def _bucket_extreme_indices(
    values: np.ndarray, finite: np.ndarray, size: int, pick: Any
) -> np.ndarray:
    """The index of each bucket's extreme finite value (``pick`` is np.argmin or np.argmax)."""
    whole = len(values) // size
    indices = pick(values[: whole * size].reshape(whole, size), axis=1) + np.arange(whole) * size
    if whole * size < len(values):  # the last, shorter bucket
        indices = np.append(indices, whole * size + pick(values[whole * size :]))
    # NaN wins both argmin and argmax, ±inf one of them: pick again, among the finite values,
    # in those few buckets (a diverged run has one such loss, at its end).
    for bucket in np.flatnonzero(~finite[indices]):
        start = bucket * size
        usable = np.flatnonzero(finite[start : start + size])
        if usable.size:
            indices[bucket] = start + usable[pick(values[start + usable])]
    return indices


# ---- ranges and lines ------------------------------------------------------------------------


def _displayable(value: float) -> bool:
    return math.isfinite(value) and abs(value) <= DISPLAY_LIMIT


def clip_for_display(values: np.ndarray) -> np.ndarray:
    """Finite values clipped to ±DISPLAY_LIMIT; infinities and NaN become NaN (gaps)."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(values), np.clip(values, -DISPLAY_LIMIT, DISPLAY_LIMIT), np.nan)


def padded_range(values: Sequence[float] | np.ndarray, margin: float = RANGE_MARGIN) -> Range:
    """A range around the finite values, with a margin and never of zero width.

    A flat series (one point, or equal values) gets a band of ±10% around itself, so ticks
    close to its value can be read: a band that is wide for its size would leave the point
    between two distant gridlines.
    """
    finite = clip_for_display(np.asarray(values, dtype=np.float64))
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return (-1.0, 1.0)
    low, high = float(finite.min()), float(finite.max())
    if high - low <= max(FLAT_SHARE * max(abs(low), abs(high)), MIN_HALF_SPAN):
        middle = (low + high) / 2
        half = max(abs(middle) * 0.1, MIN_HALF_SPAN) if middle != 0 else 0.5
        low, high = middle - half, middle + half
    pad = (high - low) * margin
    return (max(low - pad, -DISPLAY_LIMIT), min(high + pad, DISPLAY_LIMIT))


def resolvable(low: float, high: float, center: float) -> Range:
    """``(low, high)`` widened, if needed, so that floats can tell its points apart.

    Near W = 1e17 a window of ±3 rounds to a single number (the gap between floats there is
    16): the window is opened to at least a millionth of ``center``'s size each side, which
    shows the (flat) curve at that scale honestly. Never narrower than ±MIN_HALF_SPAN.
    """
    half = max(RESOLVABLE_SHARE * abs(center), MIN_HALF_SPAN)
    low, high = min(low, center - half), max(high, center + half)
    return (max(low, -DISPLAY_LIMIT), min(high, DISPLAY_LIMIT))


def to_unit(values: np.ndarray | Sequence[float], value_range: Range) -> np.ndarray:
    """``values`` mapped so that ``value_range`` becomes [0, 1]: the only numbers a plotting
    library sees, so its own range arithmetic never meets a huge, tiny or equal pair.

    Both sides are halved first, so the difference of two floats of opposite sign near the
    float maximum stays finite. Values outside the range map outside [0, 1].
    """
    low, high = value_range
    span = high / 2 - low / 2
    with np.errstate(all="ignore"):
        if span == 0:  # a range a few subnormals wide: halving loses it, and nothing overflows
            return (np.asarray(values, dtype=np.float64) - low) / (high - low)
        return (np.asarray(values, dtype=np.float64) / 2 - low / 2) / span


def tangent_segment(
    point: Point, slope: float, x_range: Range, y_range: Range
) -> tuple[Point, Point] | None:
    """The part of the line through ``point`` with ``slope`` that lies inside the box.

    None when the slope is not finite or the line misses the box. Its two ends are exact points
    of the line, so the segment's own slope is ``slope``.
    """
    x0, y0 = point
    if not (math.isfinite(slope) and math.isfinite(x0) and math.isfinite(y0)):
        return None
    (x_low, x_high), (y_low, y_high) = x_range, y_range
    if slope == 0:
        if not y_low <= y0 <= y_high:
            return None
        start, end = x_low, x_high
    else:
        with np.errstate(over="ignore"):
            at_low, at_high = x0 + (y_low - y0) / slope, x0 + (y_high - y0) / slope
        start, end = max(x_low, min(at_low, at_high)), min(x_high, max(at_low, at_high))
    if not start < end:
        return None
    return ((start, y0 + slope * (start - x0)), (end, y0 + slope * (end - x0)))


def finite_runs(xs: np.ndarray, ys: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The curve split at every non-finite value, so no line is drawn across a gap."""
    ys = clip_for_display(ys)
    finite = np.isfinite(ys)
    edges = np.flatnonzero(np.diff(np.concatenate([[False], finite, [False]]).astype(np.int8)))
    return [(xs[start:stop], ys[start:stop]) for start, stop in zip(edges[::2], edges[1::2])]


# ---- curves with a tangent -------------------------------------------------------------------


@dataclass(frozen=True)
class TangentCurve:
    """A curve, the point where a tangent touches it, and the box to draw them in."""

    xs: np.ndarray
    ys: np.ndarray  # NaN where the function is not finite
    point: Point  # (x, f(x)) at the current state
    slope: float  # f'(x) as the model's record gives it
    x_range: Range
    y_range: Range
    landing: Point | None = None  # where the update moves the point (the L(W) curve only)


def loss_curve(
    model: Any, params: tuple[float, ...], points: int, index: int = 0
) -> TangentCurve | None:
    """L(W) as the first weight varies, the other parameters held, with the tangent at W.

    The slope is dLoss/dW from the model's own record (for the two-layer model, dLoss/dW1[1,1]):
    the first flat parameter is the first weight in both models. The landing point is where
    W − α·dLoss/dW falls on the same curve. None when the current state is not finite.
    ``index`` is the update's (from 0): on a dataset it picks the loss that update descends.
    """
    record = model.update(params, index)
    weight, loss = params[0], record.loss
    slope = model.gradient(record)[0]
    if not (_displayable(weight) and _displayable(loss)):
        return None
    next_weight = model.next_params(record)[0]
    window = weight_window(weight, next_weight, _weight_scale(model))
    xs = np.linspace(*window, max(points, 2))
    ys = clip_for_display(np.array([model.forward_loss(_with_first(params, w), index) for w in xs]))
    landing = _landing(model, params, next_weight, index)
    shown = [loss] + ([landing[1]] if landing else [])
    return _with_tangent(xs, ys, (weight, loss), slope, window, shown, landing)


def _landing(
    model: Any, params: tuple[float, ...], next_weight: float, index: int
) -> Point | None:
    """(W − α·dLoss/dW, its loss with the other parameters held), or None if not finite."""
    if not _displayable(next_weight):
        return None
    landing_loss = model.forward_loss(_with_first(params, next_weight), index)
    if not _displayable(landing_loss):
        return None
    return (next_weight, landing_loss)


def weight_window(weight: float, next_weight: float, scale: float) -> Range:
    """A W range holding the current W, the next W and a useful stretch of the curve.

    ``scale`` is how far W must move for the curve to change shape (z by a few units); the
    window is at least that wide each side, and wider when the update's step is bigger.
    """
    low, high = weight, weight
    if _displayable(next_weight):
        low, high = min(weight, next_weight), max(weight, next_weight)
    margin = max((high - low) * LOSS_WINDOW_MARGIN, scale)
    return resolvable(low - margin, high + margin, weight)


def _weight_scale(model: Any) -> float:
    """How far the first weight moves z by WINDOW_Z_SPAN: that weight multiplies the input X1."""
    x1 = abs(model.config.x[0])
    return WINDOW_Z_SPAN / x1 if x1 > 1e-9 else WINDOW_Z_SPAN  # X1 = 0: L(W) is flat anyway


def _with_first(params: tuple[float, ...], value: float) -> tuple[float, ...]:
    return (float(value),) + tuple(params[1:])


def varied_weight(model: Any) -> tuple[str, str]:
    """The name of the weight L(W) varies, and what is held while it does ("" if nothing)."""
    return model.varied_weight()


def activation_curve(
    model: Any, params: tuple[float, ...], points: int, index: int = 0
) -> TangentCurve | None:
    """y(z) of the model's activation around the current z, with the tangent (slope dy/dz).

    For the two-layer model this is the hidden activation of unit 1, h[1] = act(z1[1]): the
    output is always a sigmoid, the hidden activation is the one the learner chooses.
    """
    view = model.activation_view(model.update(params, index))
    z, y = view.z, view.y
    if not (_displayable(z) and _displayable(y)):
        return None
    window = activation_window(z)
    xs = np.linspace(*window, max(points, 2))
    ys = clip_for_display(np.array([view.activation.value(float(v)) for v in xs]))
    return _with_tangent(xs, ys, (z, y), view.slope, window, [y], None)


def activation_symbols(model: Any) -> tuple[str, str, str]:
    """How the y(z) view names its input, its output and its slope."""
    return model.activation_symbols


def activation_label(model: Any) -> str:
    """What the y(z) view shows, e.g. ``y = sigmoid(z)`` or ``h[1] = tanh(z1[1])``."""
    z_name, y_name, _ = activation_symbols(model)
    return f"{y_name} = {model.activation.name}({z_name})"


def activation_window(z: float) -> Range:
    """A z range holding the current z and, unless it is far away, the origin's bend."""
    low = min(-ACTIVATION_HALF_SPAN, z - ACTIVATION_HALF_SPAN / 2)
    high = max(ACTIVATION_HALF_SPAN, z + ACTIVATION_HALF_SPAN / 2)
    if high - low > ACTIVATION_MAX_SPAN:
        low, high = z - ACTIVATION_HALF_SPAN, z + ACTIVATION_HALF_SPAN
    return resolvable(low, high, z)


def _with_tangent(
    xs: np.ndarray, ys: np.ndarray, point: Point, slope: float, x_range: Range,
    shown: list[float], landing: Point | None,
) -> TangentCurve:  # fmt: skip
    y_range = padded_range(np.concatenate([ys, np.asarray(shown, dtype=np.float64)]))
    return TangentCurve(xs, ys, point, slope, x_range, y_range, landing)


def unit_tangent(curve: TangentCurve) -> tuple[Point, Point] | None:
    """The tangent at ``curve.point`` in the unit box, where the curve's x and y ranges both
    become [0, 1] (see to_unit); None when the slope is not finite or the line misses the box.

    Its slope there is ``slope`` times the ratio of the ranges' widths; a line steeper than
    VERTICAL_SLOPE is drawn upright, as it looks at any size a terminal has.
    """
    (x_low, x_high), (y_low, y_high) = curve.x_range, curve.y_range
    u = float(to_unit([curve.point[0]], curve.x_range)[0])
    v = float(to_unit([curve.point[1]], curve.y_range)[0])
    if not (math.isfinite(curve.slope) and math.isfinite(u) and math.isfinite(v)):
        return None
    x_half, y_half = x_high / 2 - x_low / 2, y_high / 2 - y_low / 2
    with np.errstate(all="ignore"):  # a ratio past the float range is simply a steep line
        unit_slope = float(np.float64(curve.slope) * x_half / y_half)
    if abs(unit_slope) > VERTICAL_SLOPE:
        return ((u, 0.0), (u, 1.0)) if 0 <= u <= 1 else None
    return tangent_segment((u, v), unit_slope, (0.0, 1.0), (0.0, 1.0))
