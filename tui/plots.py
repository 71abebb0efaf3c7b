"""The plot panel's pictures, drawn with plotext as colourless text.

Each view draws one update of the session (the one the derivation shows, unless told another)
as exactly ``height`` lines of at most ``width`` cells; the widget around it adds colour. The
numbers come from ``core.curves``; this module only chooses glyphs, ticks and labels and lays
them out. plotext only ever sees coordinates in [0, 1] (``curves.to_unit``) and our own tick
labels: its range arithmetic divides by zero, overflows or allocates without bound when handed
huge, tiny or equal numbers. plotext keeps one global figure, so every call clears it first.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from calc_tutor.core.attribution import attribute
from calc_tutor.core.numbers import fmt_plain
from calc_tutor.core.session import Session
from calc_tutor.core.slopes import slope_curves

from .ascii import to_ascii
from .now import example_of, shown_step, update_start

if TYPE_CHECKING:
    import numpy as np
    import plotext as plt

    from calc_tutor.core import curves

# The order 'v' cycles.
PLOT_VIEWS: tuple[str, ...] = (
    "loss", "loss-vs-w", "activation", "slopes", "network", "layers", "mean-loss", "decision",
    "attribution",
)
# The panel's border titles: at most 20 cells, what a 26-cell side column shows beside its frame.
PLOT_TITLES: dict[str, str] = {
    "loss": "Loss per step",
    "mean-loss": "Mean loss per step",
    "loss-vs-w": "Loss as W varies",
    "activation": "Activation y(z)",
    "slopes": "Slopes side by side",
    "network": "The network",
    "layers": "Gradient per layer",
    "decision": "Decision map",
    "attribution": "Which input moves y",
}
# What attribution tells and what it does not, under its bars when there is room.
# The most needed first: as many as fit are shown, each whole.
ATTRIBUTION_NOTES = (
    "occlusion: y with the input set to 0, minus y; negative means the input pushed y up.",
    "It is local: on a flat (saturated) curve the slopes are near 0, yet setting an input to 0 "
    "can still change y a lot.",
    "dLoss/dX (in the derivation) is not attribution: it is the slope of the loss, not of y.",
    "dy/dX: how much y moves when you nudge that input a little. X·dy/dX: that slope times "
    "the input.",
)
ATTRIBUTION_ROWS = (("dy/dX", "dy_dx"), ("X·dy/dX", "gradient_x_input"), ("occlusion", "occlusion"))
# Each activation's curve in the slopes view is drawn with a letter, so they read apart
# without colour (and in ASCII): the legend says which is which.
SLOPE_LETTERS = {"sigmoid": "s", "tanh": "t", "relu": "r", "leaky-relu": "l", "linear": "n",
                 "softplus": "p", "silu": "u"}  # fmt: skip
JUMP = 0.5  # a change of slope this large between neighbouring samples is a step, not a curve
SLOPE_SYMBOLS = {"sigmoid": "σ′", "tanh": "tanh′", "relu": "ReLU′", "leaky-relu": "leaky′",
                 "linear": "linear′", "softplus": "softplus′", "silu": "SiLU′"}  # fmt: skip

# Below this plotext draws a frame with no room inside it: show a message instead.
MIN_WIDTH = 20
MIN_HEIGHT = 6
# A title row and an x-label row are added only from these heights: a short plot needs its rows.
TITLE_FROM_HEIGHT = 8
XLABEL_FROM_HEIGHT = 12
CELLS_PER_X_TICK = 12  # room for a label such as "-0.25" and the gap after it
ROWS_PER_Y_TICK = 3
STEP_RANGE_MARGIN = 0.04  # keeps the first and last update off the frame
STEP_RANGE_MIN_MARGIN = 0.5  # a short history still gets room either side of its points

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# plotext's frame, ticks and lines in plain ASCII, one character for one (widths stay put).
_ASCII_FRAME = str.maketrans({
    "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
    "┼": "+", "┬": "+", "┴": "+", "├": "+", "┤": "+",
})  # fmt: skip


@dataclass(frozen=True)
class Glyphs:
    """What each element is drawn with; the ASCII set needs no braille or box-drawing font."""

    curve: str  # a plotext marker name or a single character
    point: str  # where the update starts
    landing: str  # where the update moves it
    arrow: str
    # The tangent, one character a cell, chosen by its steepness: flat, rising, falling, upright.
    tangent: tuple[str, str, str, str]
    bar: str = "█"  # a signed bar's cells
    shades: str = " ░▒▓█"  # a value from 0 to 1, lightest first


UNICODE_GLYPHS = Glyphs(
    curve="braille", point="●", landing="○", arrow="→", tangent=("─", "╱", "╲", "│")
)
ASCII_GLYPHS = Glyphs(curve="*", point="@", landing="O", arrow="->", tangent=("-", "/", "\\", "|"),
                     bar="#", shades=" .:+#")  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """A drawn plot body and the labels to put around it, longest first (the first that fits
    is used)."""

    body: str
    titles: list[str]
    xlabels: list[str]


@dataclass(frozen=True)
class Message:
    """Something to say instead of a plot."""

    text: str


@dataclass
class Chart:
    """What a view draws, in its own numbers; ``draw_chart`` maps it to the unit box."""

    x_range: curves.Range
    y_range: curves.Range
    integer_x: bool = False
    lines: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    line_markers: list[str] = field(default_factory=list)  # per line; the curve glyph if absent
    points: list[tuple[curves.Point, str]] = field(default_factory=list)  # later ones on top
    tangent: tuple[curves.Point, curves.Point] | None = None  # in the unit box
    # Where the update moves the first point: kept a cell apart from it, so a step smaller
    # than a cell still shows which way W went (the title gives the number).
    landing: tuple[curves.Point, str] | None = None
    y_ticks: list[float] | None = None  # instead of round values: e.g. a lone loss's own value
    y_labels: list[str] | None = None  # the y ticks' labels, when not their own values


Drawer = Callable[[Session, int, int, int, Glyphs], "Figure | Message"]


def plot_text(
    view: str,
    session: Session,
    width: int,
    height: int,
    ascii_only: bool = False,
    step: int | None = None,
) -> str:
    """The ``view`` of update ``step`` of ``session``: ``height`` lines of at most ``width`` cells.

    ``step`` counts from 1 and may be ``session.length + 1``, the update not applied yet; None
    means the update the derivation shows (see ``now.shown_step``). Never raises for a size, a
    step, an empty history or any number in the session: what cannot be drawn becomes a short
    message, padded to the size.
    """
    if view not in PLOT_VIEWS:
        raise ValueError(f"unknown plot view {view!r}; choose one of: {', '.join(PLOT_VIEWS)}")
    width, height = max(int(width), 0), max(int(height), 0)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return message_text(_too_small_message(width, height), width, height)
    shown = plotted_step(step, session)
    has_title, has_xlabel = height >= TITLE_FROM_HEIGHT, height >= XLABEL_FROM_HEIGHT
    body_height = height - has_title - has_xlabel
    glyphs = ASCII_GLYPHS if ascii_only else UNICODE_GLYPHS
    drawn = _DRAWERS[view](session, shown, width, body_height, glyphs)
    if isinstance(drawn, Message):
        return message_text(_plain(drawn.text, ascii_only), width, height)
    lines = _fit(_plain(drawn.body, ascii_only), width, body_height).split("\n")
    if has_title:
        lines.insert(0, _first_fitting(drawn.titles, width, ascii_only).center(width))
    if has_xlabel:
        lines.append(_first_fitting(drawn.xlabels, width, ascii_only).center(width))
    return "\n".join(lines)


def load_plotting() -> None:
    """Import numpy, plotext and the curves: about 80 ms, paid by the first plot that is drawn
    rather than by startup (the app calls this in the background once its first frame is up)."""
    global np, plt, curves
    import numpy as np
    import plotext as plt

    from calc_tutor.core import curves


def plotted_step(step: int | None, session: Session) -> int:
    """The update a plot shows, 1 to ``length + 1`` (that one not applied yet).

    None means the update the derivation shows when nothing is looked ahead at.
    """
    wanted = shown_step(session.cursor, False, False) if step is None else int(step)
    return max(1, min(wanted, session.length + 1))


# ---- the three views -------------------------------------------------------------------------


def _draw_loss(
    session: Session, step: int, width: int, height: int, glyphs: Glyphs
) -> Figure | Message:
    """Every stored update's loss (taken before it), and the shown update's marked; an update
    not applied yet adds its own loss as the last point."""
    if session.length == 0:  # said in words: the first frame then needs no plotting library
        return Message(_before_any_update(session))
    load_plotting()
    losses = session.losses()
    if step > session.length:  # the next update: its loss is computed, not stored yet
        model, params = update_start(session, step)
        current = float(model.update(params, step - 1).loss)
        losses = np.append(losses, current)
    else:
        current = float(losses[step - 1])
    steps, values = curves.downsample_min_max(losses, buckets=width)
    if len(values) == 0:
        return Message(f"the loss before update {step} is not a finite number: nothing to plot")
    last = len(losses)
    chart = Chart(step_range(1, last), curves.padded_range(values), integer_x=True)
    chart.lines.append((steps.astype(np.float64), values))
    if values.min() == values.max():  # one loss (or all equal): a gridline of its own value
        chart.y_ticks = [float(values[0])]
    if math.isfinite(current):
        chart.points.append(((float(step), current), glyphs.point))
    body = draw_chart(chart, width, height, glyphs)
    return Figure(body, _loss_titles(step, session.length, current, glyphs), _LOSS_XLABELS)


def _before_any_update(session: Session) -> str:
    model, params = update_start(session, 1)
    loss = model.update(params, 0).loss
    known = f"The loss before update 1 is {fmt_plain(loss)}. " if math.isfinite(loss) else ""
    return f"No update applied yet. {known}Press n to apply one."


_LOSS_XLABELS = ["update (each loss is taken before it)", "update"]


def step_range(first: int, last: int) -> curves.Range:
    """Updates ``first`` to ``last``, with a little room at both ends."""
    pad = max((last - first) * STEP_RANGE_MARGIN, STEP_RANGE_MIN_MARGIN)
    return (first - pad, last + pad)


def _loss_titles(step: int, length: int, current: float, glyphs: Glyphs) -> list[str]:
    if not math.isfinite(current):
        return [f"the loss before update {step} is not finite", f"update {step}: no finite loss"]
    loss, point = fmt_plain(current), glyphs.point
    where = f"update {step} of {length}" if step <= length else f"next update ({step})"
    return [
        f"{point} {where}: loss before it {loss}",
        f"{point} loss before update {step}: {loss}",
        f"{point} before update {step}: {loss}",
        f"{point} loss before: {loss}",
        f"before: {loss}",
    ]


def _draw_loss_vs_w(
    session: Session, step: int, width: int, height: int, glyphs: Glyphs
) -> Figure | Message:
    load_plotting()
    model, params = update_start(session, step)
    curve = curves.loss_curve(model, params, points=2 * width, index=step - 1)
    if curve is None:
        return Message(f"W or the loss is not a finite number at update {step}: nothing to draw")
    name, held = curves.varied_weight(model)
    body = _draw_tangent_curve(curve, width, height, glyphs)
    point, weight, slope = glyphs.point, fmt_plain(curve.point[0]), fmt_plain(curve.slope)
    landing = ""
    if curve.landing is not None:
        landing = f" {glyphs.arrow} {glyphs.landing} {fmt_plain(curve.landing[0])}"
    titles = [
        f"{point} {name} {weight}, dLoss/d{name} {slope}{landing}",
        f"{point} {name} {weight}, dLoss/d{name} {slope}",
        f"{point} dLoss/d{name} {slope}",
        f"slope {slope}",
    ]
    xlabels = [f"{name} ({held})", name] if held else [name]
    return Figure(body, titles, xlabels)


def _draw_activation(
    session: Session, step: int, width: int, height: int, glyphs: Glyphs
) -> Figure | Message:
    load_plotting()
    model, params = update_start(session, step)
    curve = curves.activation_curve(model, params, points=2 * width, index=step - 1)
    if curve is None:
        return Message(f"z is not a finite number at update {step}: nothing to draw")
    body = _draw_tangent_curve(curve, width, height, glyphs)
    z_name, y_name, slope_name = curves.activation_symbols(model)
    point, (z, y), slope = glyphs.point, map(fmt_plain, curve.point), fmt_plain(curve.slope)
    titles = [
        f"{point} {z_name} {z}, {y_name} {y}, {slope_name} {slope}",
        f"{point} {z_name} {z}, {slope_name} {slope}",
        f"{point} {slope_name} {slope}",
        f"slope {slope}",
    ]
    return Figure(body, titles, [curves.activation_label(model), z_name])


def _draw_tangent_curve(curve: curves.TangentCurve, width: int, height: int, glyphs: Glyphs) -> str:
    """The curve, the tangent in the cells it leaves blank, the landing point and the point
    where the update starts (on top)."""
    chart = Chart(curve.x_range, curve.y_range, tangent=curves.unit_tangent(curve))
    chart.lines.extend(curves.finite_runs(curve.xs, curve.ys))
    chart.points.append((curve.point, glyphs.point))
    if curve.landing is not None and curve.landing[0] != curve.point[0]:
        chart.landing = (curve.landing, glyphs.landing)
    return draw_chart(chart, width, height, glyphs)


def _draw_slopes(
    session: Session, step: int, width: int, height: int, glyphs: Glyphs
) -> Figure | Message:
    """σ′, tanh′ and ReLU′ (and the current activation's) against z, each a letter, with the
    update's z marked on every curve: the current activation's point on top."""
    load_plotting()
    model, params = update_start(session, step)
    state = curves.activation_curve(model, params, points=2, index=step - 1)
    if state is None:
        return Message(f"z is not a finite number at update {step}: nothing to draw")
    z, current = state.point[0], model.activation.name
    compared = slope_curves(current, z, points=2 * width)
    lows = [min(c.slopes) for c in compared] + [0.0]
    highs = [max(c.slopes) for c in compared] + [1.0]
    chart = Chart((compared[0].zs[0], compared[0].zs[-1]), curves.padded_range([*lows, *highs]))
    for curve in compared:
        zs, slopes = np.array(curve.zs), np.array(curve.slopes)
        # A step (ReLU′ at 0) is two runs: joined, it would draw slopes the function never has.
        for run in np.split(np.arange(len(zs)), np.flatnonzero(np.abs(np.diff(slopes)) > JUMP) + 1):
            chart.lines.append((zs[run], slopes[run]))
            chart.line_markers.append(SLOPE_LETTERS[curve.name])
    others = [c for c in compared if c.name != current]
    mine = next(c for c in compared if c.name == current)
    chart.points += [((z, c.at_z), glyphs.landing) for c in others] + [((z, mine.at_z), glyphs.point)]
    body = draw_chart(chart, width, height, glyphs)
    z_name = curves.activation_symbols(model)[0]
    values = [f"{SLOPE_SYMBOLS[c.name]} {fmt_plain(c.at_z)}" for c in compared]
    legend = "  ".join(f"{SLOPE_LETTERS[c.name]} {SLOPE_SYMBOLS[c.name]}" for c in compared)
    # Shorter titles keep the current activation's slope to four digits the longest.
    short = [f"{SLOPE_SYMBOLS[c.name]} {fmt_plain(c.at_z, 4 if c is mine else 2)}" for c in compared]
    shortest = [f"{SLOPE_SYMBOLS[c.name]} {fmt_plain(c.at_z, 2)}" for c in compared]
    titles = [f"{z_name} {fmt_plain(z)}: " + ", ".join(values), ", ".join(values), " ".join(short),
              " ".join(shortest), f"{SLOPE_SYMBOLS[current]} {fmt_plain(mine.at_z)}"]
    return Figure(body, titles, [f"{z_name}   {legend}", legend, z_name])


def _draw_attribution(
    session: Session, step: int, width: int, height: int, glyphs: Glyphs
) -> Figure | Message:
    """Per input: dy/dXᵢ, Xᵢ·dy/dXᵢ and occlusion as signed bars, at the parameters the
    shown update leaves (the preview's: where it starts), then what the numbers mean."""
    landed = min(step, session.length)
    model, params = update_start(session, landed + 1)
    model = example_of(model, step)  # on a dataset: the shown update's example
    rows: list[str] = []
    attributions = attribute(model, params)
    values = [getattr(a, name) for a in attributions for _, name in ATTRIBUTION_ROWS]
    if not all(math.isfinite(v) for v in values):
        return Message("the slopes are not finite numbers here: nothing to draw")
    scale = max((abs(v) for v in values), default=0.0) or 1.0
    label_width = max(len(label) for label, _ in ATTRIBUTION_ROWS) + 1
    number_width = max(len(fmt_plain(v)) for v in values) + 1
    room = max(width - label_width - number_width - 3, 4)
    half = room // 2
    for a in attributions:
        rows.append(f"X{a.feature} = {fmt_plain(a.x)}")
        for label, name in ATTRIBUTION_ROWS:
            value = getattr(a, name)
            cells = round(abs(value) / scale * half)
            left = (glyphs.bar * cells).rjust(half) if value < 0 else " " * half
            right = (glyphs.bar * cells).ljust(half) if value > 0 else " " * half
            rows.append(f" {label:<{label_width}}{fmt_plain(value):>{number_width}} {left}|{right}")
    rows.append("")
    for note in ATTRIBUTION_NOTES:
        lines = textwrap.wrap(note, width)
        if len(rows) + len(lines) > height:
            break
        rows += lines
    where = f"after update {landed}" if landed >= 1 else "at the start"
    y = fmt_plain(model.update(params).y)
    titles = [f"{model.activation.name}: y = {y} {where}", f"y = {y} {where}", f"y {where}"]
    return Figure("\n".join(rows), titles, [])


_DRAWERS: dict[str, Drawer] = {
    "loss": _draw_loss, "loss-vs-w": _draw_loss_vs_w, "activation": _draw_activation,
    "slopes": _draw_slopes, "attribution": _draw_attribution,
}  # fmt: skip


# ---- the chart: the unit box, axes and the tangent -------------------------------------------


def draw_chart(chart: Chart, width: int, height: int, glyphs: Glyphs) -> str:
    """``chart`` in a ``width`` × ``height`` frame: plotext draws the frame, ticks and curves,
    every coordinate first mapped to [0, 1]; the tangent and the points are ours (Canvas).
    Points outside the ranges are kept on the frame's edge."""
    plt.clf()
    plt.limit_size(False, False)  # the panel, not the terminal plotext imagines, sets the size
    plt.plotsize(width, height)
    plt.theme("clear")  # no colours: the widget colours the text
    for index, (xs, ys) in enumerate(chart.lines):
        us, vs = _in_box(xs, chart.x_range), _in_box(ys, chart.y_range)
        keep = np.isfinite(us) & np.isfinite(vs)
        marker = chart.line_markers[index] if index < len(chart.line_markers) else glyphs.curve
        if keep.any():
            plt.plot(us[keep], vs[keep], marker=marker)
    plt.xlim(0, 1)
    plt.ylim(0, 1)
    columns = max(2, width // CELLS_PER_X_TICK)
    plt.xticks(*axis_ticks(chart.x_range, columns, integer=chart.integer_x))
    if chart.y_ticks is not None:
        y_positions = curves.to_unit(chart.y_ticks, chart.y_range).tolist()
        plt.yticks(y_positions, chart.y_labels or tick_labels(chart.y_ticks))
    else:
        plt.yticks(*axis_ticks(chart.y_range, max(2, height // ROWS_PER_Y_TICK)))
    canvas = Canvas(_ANSI.sub("", plt.build()))
    if not canvas.usable:
        return canvas.text()
    if chart.tangent is not None:
        canvas.line(chart.tangent, glyphs.tangent)
    cells = [_cell_of(canvas, chart, point) for point, _ in chart.points]
    if chart.landing is not None and cells and cells[0] is not None:
        landing = _cell_of(canvas, chart, chart.landing[0])
        if landing is not None:
            if landing[0] == cells[0][0]:
                moved_right = chart.landing[0][0] > chart.points[0][0][0]
                landing = (min(max(landing[0] + (1 if moved_right else -1), 0),
                               canvas.columns - 1), landing[1])  # fmt: skip
            canvas.put(*landing, chart.landing[1])
    for cell, (_, marker) in zip(cells, chart.points):
        if cell is not None:
            canvas.put(*cell, marker)
    return canvas.text()


def _cell_of(canvas: Canvas, chart: Chart, point: curves.Point) -> tuple[int, int] | None:
    u, v = _in_box([point[0]], chart.x_range)[0], _in_box([point[1]], chart.y_range)[0]
    return canvas.cell(u, v) if math.isfinite(u) and math.isfinite(v) else None


def _in_box(values: object, value_range: curves.Range) -> np.ndarray:
    """``values`` in unit coordinates, clipped to the box (NaN stays NaN: a gap)."""
    return np.clip(curves.to_unit(values, value_range), 0.0, 1.0)


def axis_ticks(value_range: curves.Range, count: int, integer: bool = False) -> tuple[list, list]:
    """Tick positions in the unit box and their labels: round values inside the range, as many
    as fit in ``count`` + 1 whose labels can be told apart (down to one)."""
    for wanted in range(max(count, 1), 0, -1):
        ticks = nice_ticks(*value_range, wanted, integer=integer)
        labels = tick_labels(ticks, integer=integer)
        positions = curves.to_unit(ticks, value_range).tolist()
        if ticks and len(set(labels)) == len(labels) and all(map(math.isfinite, positions)):
            return positions, labels
    middle = value_range[0] / 2 + value_range[1] / 2  # no round value is readable here
    return [0.5], tick_labels([middle])


def nice_ticks(low: float, high: float, count: int, integer: bool = False) -> list[float]:
    """As many round values (1, 2 or 5 times a power of ten) inside [low, high] as fit in
    ``count`` + 1, so labels neither crowd nor thin out to one. Empty when none is round."""
    span = high / 2 - low / 2  # halved: finite for any two finite bounds
    if not (math.isfinite(low) and math.isfinite(high) and span > 0):
        return []
    power = math.floor(math.log10(span) + math.log10(2 / max(count, 1)))
    steps = [m * _power_of_ten(e) for e in (power - 1, power, power + 1) for m in (1, 2, 5)]
    steps = [step for step in steps if 0 < step < math.inf and (step >= 1 or not integer)]
    for step in steps or [1.0]:
        ticks = _ticks_with_step(low, high, step)
        if 0 < len(ticks) <= count + 1:
            return ticks
    return []


def _power_of_ten(exponent: int) -> float:
    """10 to ``exponent`` as a float: inf or 0 past the float range, never an OverflowError."""
    return float(f"1e{exponent}")


MAX_TICKS = 1000  # a step that would give more ticks than this is not tried at all


def _ticks_with_step(low: float, high: float, step: float) -> list[float]:
    """The multiples of ``step`` inside [low, high], each computed as k × step (so 0 is 0)."""
    first, last = low / step, high / step
    if not (math.isfinite(first) and math.isfinite(last)) or last - first > MAX_TICKS:
        return []
    multiples = range(math.ceil(first), math.floor(last) + 1)
    return [k * step for k in multiples if low <= k * step <= high]


def tick_labels(ticks: list[float], integer: bool = False) -> list[str]:
    """Each tick as the core writes numbers (whole numbers on an integer axis)."""
    if integer:
        return [str(int(tick)) for tick in ticks]
    return [fmt_plain(tick) for tick in ticks]


class Canvas:
    """The inside of a frame plotext has built, to draw on by unit-box coordinates.

    Our own marks go here rather than through plotext, so the tangent and the point it touches
    are placed by the same arithmetic: the line always runs through its point.
    """

    def __init__(self, body: str) -> None:
        self.grid = [list(row) for row in body.split("\n")]
        frame = _frame(body.split("\n"))
        top, bottom, left, right = frame if frame is not None else (0, 0, 0, 0)
        self.bottom, self.left = bottom, left
        self.rows, self.columns = bottom - top - 1, right - left - 1

    @property
    def usable(self) -> bool:
        return self.rows >= 1 and self.columns >= 2

    def cell(self, u: float, v: float) -> tuple[int, int]:
        """(column, row counted from the bottom) of a unit-box point, inside the frame."""
        column = math.floor(min(max(u, 0.0), 1.0) * (self.columns - 1) + 0.5)
        row = math.floor(min(max(v, 0.0), 1.0) * (self.rows - 1) + 0.5)
        return column, row

    def put(self, column: int, row: int, glyph: str, only_if_blank: bool = False) -> None:
        line = self.grid[self.bottom - 1 - row]
        if not only_if_blank or line[self.left + 1 + column] == " ":
            line[self.left + 1 + column] = glyph

    def line(self, segment: tuple[curves.Point, curves.Point], glyphs: tuple[str, ...]) -> None:
        """``segment`` in the blank cells, one character a cell chosen by how steep it looks."""
        (u0, v0), (u1, v1) = sorted(segment)
        # Rows climbed per column: a visual 45° is about half a row, terminal cells being tall.
        run = (u1 - u0) * (self.columns - 1)
        climb = (v1 - v0) * (self.rows - 1) / run if run > 0 else math.inf
        flat, rising, falling, upright = glyphs
        glyph = (
            flat if abs(climb) < FLAT_CLIMB
            else upright if abs(climb) > UPRIGHT_CLIMB
            else rising if climb > 0 else falling
        )  # fmt: skip
        first, last = self.cell(u0, v0)[0], self.cell(u1, v1)[0]
        for column in range(first, last + 1):
            # The part of the segment inside this column, as rows counted from the bottom.
            if u1 > u0:
                start = max(u0, (column - 0.5) / (self.columns - 1))
                end = min(u1, (column + 0.5) / (self.columns - 1))
                ends = [v0 + (v1 - v0) * (u - u0) / (u1 - u0) for u in (start, end)]
            else:
                ends = [v0, v1]
            low, high = sorted(self.cell(0.0, v)[1] for v in ends)
            for row in range(low, high + 1):
                self.put(column, row, glyph, only_if_blank=True)

    def text(self) -> str:
        return "\n".join("".join(row) for row in self.grid)


FLAT_CLIMB = 0.3  # below this many rows a column a line is drawn flat
UPRIGHT_CLIMB = 2.0  # above this, upright


def _frame(rows: list[str]) -> tuple[int, int, int, int] | None:
    """(top row, bottom row, left column, right column) of plotext's frame, if it drew one."""
    top = next((i for i, row in enumerate(rows) if "┌" in row), None)
    if top is None:
        return None
    left, right = rows[top].index("┌"), rows[top].rfind("┐")
    bottom = next((i for i in range(top + 1, len(rows)) if rows[i][left : left + 1] == "└"), None)
    if bottom is None or right <= left:
        return None
    return top, bottom, left, right


# ---- from plotext's canvas to the panel's text -----------------------------------------------


def _plain(text: str, ascii_only: bool) -> str:
    """Text without escape codes, and in ASCII when the font may lack the rest."""
    text = _ANSI.sub("", text)
    return to_ascii(text.translate(_ASCII_FRAME)) if ascii_only else text


def _fit(text: str, width: int, height: int) -> str:
    """Exactly ``height`` lines of exactly ``width`` cells (plotext ends with an extra newline)."""
    lines = text.split("\n")[:height]
    lines += [""] * (height - len(lines))
    return "\n".join(line[:width].ljust(width) for line in lines)


def _first_fitting(options: list[str], width: int, ascii_only: bool) -> str:
    """The first option that fits with a space each side (after any ASCII spelling), or nothing."""
    spelled = (_plain(option, ascii_only) for option in options)
    return next((option for option in spelled if len(option) <= width - 2), "")


def _too_small_message(width: int, height: int) -> str:
    """The longest of the hints that fits without breaking a word; blank in a sliver."""
    hints = (f"enlarge to see the plot (at least {MIN_WIDTH}x{MIN_HEIGHT})", "enlarge", "")
    return next(hint for hint in hints if _fits_unbroken(hint, width, height))


def _fits_unbroken(message: str, width: int, height: int) -> bool:
    if not message:
        return True
    lines = textwrap.wrap(message, max(width, 1), break_long_words=False)
    return width > 0 and len(lines) <= height and all(len(line) <= width for line in lines)


def message_text(message: str, width: int, height: int) -> str:
    """``message`` wrapped and centred in a blank area of the given size."""
    if width <= 0:
        return "\n".join([""] * height)
    wrapped = (textwrap.wrap(message, width) or [""])[:height]
    top = (height - len(wrapped)) // 2
    lines = [""] * top + wrapped + [""] * (height - top - len(wrapped))
    return "\n".join(line.center(width) for line in lines)


# Views in modules of their own, which use the pieces above: imported last.
from .plot_data import draw_decision_map, draw_mean_loss  # noqa: E402
from .plot_layers import draw_layer_gradients, draw_network  # noqa: E402

_DRAWERS |= {"network": draw_network, "layers": draw_layer_gradients,
             "mean-loss": draw_mean_loss, "decision": draw_decision_map}  # fmt: skip
