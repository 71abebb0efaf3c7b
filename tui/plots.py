"""The plot panel's pictures, drawn with plotext as colourless text.

Each view turns the session's state at its cursor into exactly ``height`` lines of at most
``width`` cells; the widget around it adds colour. The numbers come from ``core.curves``; this
module only chooses glyphs, ticks and labels and lays them out. plotext keeps one global figure,
so every call clears it first.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calc_tutor.core.numbers import fmt_plain
from calc_tutor.core.session import Session

if TYPE_CHECKING:
    import numpy as np
    import plotext as plt

    from calc_tutor.core import curves

PLOT_VIEWS: tuple[str, ...] = ("loss", "loss-vs-w", "activation")  # the order 'v' cycles
PLOT_TITLES: dict[str, str] = {
    "loss": "Loss per step",
    "loss-vs-w": "Loss as a function of W",
    "activation": "Activation y(z) and its tangent",
}

# Below this plotext draws a frame with no room inside it: show a message instead.
MIN_WIDTH = 20
MIN_HEIGHT = 6
# A title row and an x-label row are added only from these heights: a short plot needs its rows.
TITLE_FROM_HEIGHT = 8
XLABEL_FROM_HEIGHT = 12
CELLS_PER_X_TICK = 12  # room for a label such as "-0.25" and the gap after it
ROWS_PER_Y_TICK = 3
STEP_RANGE_MARGIN = 0.04  # keeps a current-step line at either end off the frame

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# plotext's frame, ticks and lines in plain ASCII, one character for one (widths stay put).
_ASCII_FRAME = str.maketrans({
    "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
    "┼": "+", "┬": "+", "┴": "+", "├": "+", "┤": "+",
})  # fmt: skip
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Glyphs:
    """What each element is drawn with; the ASCII set needs no braille or box-drawing font."""

    curve: str  # a plotext marker name or a single character
    tangent: str
    point: str  # the current state
    landing: str  # where the update moves it
    arrow: str


UNICODE_GLYPHS = Glyphs(curve="braille", tangent="·", point="●", landing="○", arrow="→")
ASCII_GLYPHS = Glyphs(curve="*", tangent=".", point="@", landing="O", arrow="->")


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


Drawer = Callable[[Session, int, int, Glyphs], "Figure | Message"]


def plot_text(
    view: str, session: Session, width: int, height: int, ascii_only: bool = False
) -> str:
    """The ``view`` of ``session`` at its cursor: ``height`` lines, each at most ``width`` cells.

    Never raises for a size, an empty history or a diverged run: what cannot be drawn becomes
    a short message, padded to the size.
    """
    if view not in PLOT_VIEWS:
        raise ValueError(f"unknown plot view {view!r}; choose one of: {', '.join(PLOT_VIEWS)}")
    width, height = max(int(width), 0), max(int(height), 0)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return message_text(_too_small_message(width, height), width, height)
    has_title, has_xlabel = height >= TITLE_FROM_HEIGHT, height >= XLABEL_FROM_HEIGHT
    body_height = height - has_title - has_xlabel
    glyphs = ASCII_GLYPHS if ascii_only else UNICODE_GLYPHS
    drawn = _DRAWERS[view](session, width, body_height, glyphs)
    if isinstance(drawn, Message):
        return message_text(drawn.text, width, height)
    lines = _fit(_plain(drawn.body, ascii_only), width, body_height).split("\n")
    if has_title:
        lines.insert(0, _first_fitting(drawn.titles, width).center(width))
    if has_xlabel:
        lines.append(_first_fitting(drawn.xlabels, width).center(width))
    return _plain("\n".join(lines), ascii_only)  # the labels too: a name could carry a symbol


def load_plotting() -> None:
    """Import numpy, plotext and the curves: about 80 ms, paid by the first plot that is drawn
    rather than by startup (the app calls this in the background once its first frame is up)."""
    global np, plt, curves
    import numpy as np
    import plotext as plt

    from calc_tutor.core import curves


# ---- the three views -------------------------------------------------------------------------


def _draw_loss(session: Session, width: int, height: int, glyphs: Glyphs) -> Figure | Message:
    if session.length == 0:
        return Message("no updates yet: press n")
    load_plotting()
    losses = session.losses()
    steps, values = curves.downsample_min_max(losses, buckets=width)
    if len(values) == 0:
        return Message("no finite loss to plot: the run diverged")
    cursor = session.cursor
    y_range = curves.padded_range(values)
    _start_figure(width, height)
    plt.plot(steps, values, marker=glyphs.curve)
    plt.vertical_line(cursor)  # the current step, a line across the whole height
    current = float(losses[cursor - 1]) if cursor >= 1 else math.nan
    if math.isfinite(current):
        plt.scatter([cursor], [float(np.clip(current, *y_range))], marker=glyphs.point)
    _axes(_step_range(session.length), y_range, width, height, integer_x=True)
    return Figure(plt.build(), _loss_titles(session, current, glyphs), ["step"])


def _step_range(length: int) -> curves.Range:
    """Steps 0 to ``length``, with a little room at both ends."""
    pad = max(length, 1) * STEP_RANGE_MARGIN
    return (-pad, max(length, 1) + pad)


def _loss_titles(session: Session, current: float, glyphs: Glyphs) -> list[str]:
    cursor, length = session.cursor, session.length
    if not math.isfinite(current):
        reason = "before the first update" if cursor == 0 else "loss not finite"
        return [f"step {cursor} of {length}: {reason}", f"step {cursor} of {length}"]
    loss = fmt_plain(current)
    return [
        f"{glyphs.point} step {cursor} of {length}, loss {loss}",
        f"{glyphs.point} step {cursor}, loss {loss}",
        f"step {cursor}: {loss}",
    ]


def _draw_loss_vs_w(session: Session, width: int, height: int, glyphs: Glyphs) -> Figure | Message:
    load_plotting()
    model = session.model
    curve = curves.loss_curve(model, session.params(session.cursor), points=2 * width)
    if curve is None:
        return Message("W or the loss is not a finite number here: go back a step")
    name, held = curves.varied_weight(model)
    body = _draw_tangent_curve(curve, width, height, glyphs)
    point, weight, slope = glyphs.point, fmt_plain(curve.point[0]), fmt_plain(curve.slope)
    landing = ""
    if curve.landing is not None:
        landing = f" {glyphs.arrow} {glyphs.landing} {fmt_plain(curve.landing[0])}"
    titles = [
        f"{point} {name} {weight}, dLoss/d{name} {slope}{landing}",
        f"{point} {name} {weight}, slope {slope}{landing}",
        f"{point} {weight}, slope {slope}{landing}",
        f"{point} {weight}, slope {slope}",
    ]
    xlabels = [f"{name} ({held})", name] if held else [name]
    return Figure(body, titles, xlabels)


def _draw_activation(session: Session, width: int, height: int, glyphs: Glyphs) -> Figure | Message:
    load_plotting()
    model = session.model
    curve = curves.activation_curve(model, session.params(session.cursor), points=2 * width)
    if curve is None:
        return Message("z is not a finite number here: go back a step")
    body = _draw_tangent_curve(curve, width, height, glyphs)
    z_name, y_name, slope_name = curves.activation_symbols(model)
    point, (z, y), slope = glyphs.point, map(fmt_plain, curve.point), fmt_plain(curve.slope)
    titles = [
        f"{point} {z_name} {z}, {y_name} {y}, {slope_name} {slope}",
        f"{point} {z_name} {z}, slope {slope}",
        f"{point} {z}, slope {slope}",
    ]
    return Figure(body, titles, [curves.activation_label(model), z_name])


def _draw_tangent_curve(curve: curves.TangentCurve, width: int, height: int, glyphs: Glyphs) -> str:
    """The tangent, the curve, the landing point and the current point, in that order: where
    they share a cell the later one shows, and the curve matters more than its tangent."""
    _start_figure(width, height)
    if curve.tangent is not None:
        (x_start, y_start), (x_end, y_end) = curve.tangent
        # A point a column: plotext joins two far-apart points with a line that drifts a row.
        xs, ys = np.linspace(x_start, x_end, width), np.linspace(y_start, y_end, width)
        plt.plot(xs, ys, marker=glyphs.tangent)
    for xs, ys in curves.finite_runs(curve.xs, curve.ys):
        plt.plot(xs, ys, marker=glyphs.curve)
    if curve.landing is not None:
        plt.scatter([curve.landing[0]], [curve.landing[1]], marker=glyphs.landing)
    plt.scatter([curve.point[0]], [curve.point[1]], marker=glyphs.point)
    _axes(curve.x_range, curve.y_range, width, height, integer_x=False)
    return plt.build()


_DRAWERS: dict[str, Drawer] = {
    "loss": _draw_loss, "loss-vs-w": _draw_loss_vs_w, "activation": _draw_activation,
}  # fmt: skip


# ---- the figure: size and axes ---------------------------------------------------------------


def _start_figure(width: int, height: int) -> None:
    plt.clf()
    plt.limit_size(False, False)  # the panel, not the terminal plotext imagines, sets the size
    plt.plotsize(width, height)
    plt.theme("clear")  # no colours: the widget colours the text


def _axes(
    x_range: curves.Range, y_range: curves.Range, width: int, height: int, integer_x: bool
) -> None:
    """Fixed limits and our own tick labels (plotext's own run up to 15 digits a label)."""
    plt.xlim(*x_range)
    plt.ylim(*y_range)
    x_ticks = nice_ticks(*x_range, max(2, width // CELLS_PER_X_TICK), integer=integer_x)
    y_ticks = nice_ticks(*y_range, max(2, height // ROWS_PER_Y_TICK))
    plt.xticks(x_ticks, tick_labels(x_ticks))
    plt.yticks(y_ticks, tick_labels(y_ticks))


def nice_ticks(low: float, high: float, count: int, integer: bool = False) -> list[float]:
    """As many round values (1, 2 or 5 times a power of ten) inside [low, high] as fit in
    ``count`` + 1, so labels neither crowd nor thin out to one."""
    span = high - low
    if not (math.isfinite(span) and span > 0):
        return [low]
    power = math.floor(math.log10(span / max(count, 1)))
    steps = [m * 10.0**e for e in (power - 1, power, power + 1) for m in (1, 2, 5)]
    if integer:
        steps = [step for step in steps if step >= 1] or [1.0]
    for step in steps:
        ticks = _ticks_with_step(low, high, step)
        if len(ticks) <= count + 1:
            return ticks or [low]
    return _ticks_with_step(low, high, steps[-1]) or [low]


def _ticks_with_step(low: float, high: float, step: float) -> list[float]:
    first = math.ceil(low / step) * step
    count = int((high - first) / step + 1e-9) + 1
    return [first + i * step for i in range(max(count, 0)) if low <= first + i * step <= high]


def tick_labels(ticks: list[float]) -> list[str]:
    """Short labels with as many decimals as the tick spacing needs, and no "-0"."""
    magnitude = max(abs(tick) for tick in ticks)
    step = min((b - a for a, b in zip(ticks, ticks[1:])), default=magnitude) or 1.0
    if magnitude >= 1e6 or 0 < magnitude < 1e-3:
        return [_without_minus_zero(f"{tick:.2g}") for tick in ticks]
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return [_without_minus_zero(f"{tick:.{decimals}f}") for tick in ticks]


def _without_minus_zero(label: str) -> str:
    return label.lstrip("-") if float(label) == 0 else label


# ---- from plotext's canvas to the panel's text -----------------------------------------------


def _plain(text: str, ascii_only: bool) -> str:
    """Text without escape codes, and in ASCII when the font may lack the rest."""
    text = _ANSI.sub("", text)
    if ascii_only:
        text = _NON_ASCII.sub("?", text.translate(_ASCII_FRAME))  # "?" exposes a glyph we missed
    return text


def _fit(text: str, width: int, height: int) -> str:
    """Exactly ``height`` lines of exactly ``width`` cells (plotext ends with an extra newline)."""
    lines = text.split("\n")[:height]
    lines += [""] * (height - len(lines))
    return "\n".join(line[:width].ljust(width) for line in lines)


def _first_fitting(options: list[str], width: int) -> str:
    """The first option that fits with a space each side, or nothing."""
    return next((option for option in options if len(option) <= width - 2), "")


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
