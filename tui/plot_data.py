"""Two views of what a model learns from its examples: the mean loss over them per step, and the
decision map (the output over the input square, with the examples marked).

On a dataset each update learns from one example, so the loss per step jumps from example to
example; the mean over every example shows whether the model as a whole is learning. The map is
what TensorFlow Playground draws as its background: for two inputs, y at every point of the
input square, as shades, with each example's target where it lies.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from calc_tutor.core.diagnosis import mean_loss
from calc_tutor.core.numbers import fmt_plain

from .now import run_bounds, update_start

if TYPE_CHECKING:
    from calc_tutor.core.session import Session

    from .plots import Figure, Glyphs, Message

# Mean losses computed for one picture, at most: each costs one update per example.
MEAN_LOSS_BUDGET = 50_000
EXAMPLE_MARKS = {0.0: "0", 1.0: "1"}  # a target that is neither is marked with the point glyph


def draw_mean_loss(
    session: Session, step: int, width: int, height: int, glyphs: Glyphs
) -> Figure | Message:
    from . import plots
    from .plots import Chart, Figure, Message

    model, params = update_start(session, step)
    examples = len(model.each_example())
    if examples == 1:
        return Message("One example: the Loss per step view already shows its loss. Start with "
                       "--data (and, or, xor or a CSV file) to see the mean over many.")  # fmt: skip
    plots.load_plotting()
    np = plots.np
    first, last = run_bounds(session, step)
    count = max(2, min(last - first + 1, 2 * width, MEAN_LOSS_BUDGET // examples))
    steps = sorted({int(round(s)) for s in np.linspace(first, last, count)} | {step})
    means = np.array([mean_loss(model, session.params(s - 1)) if s <= session.length + 1
                      else math.nan for s in steps])  # fmt: skip
    current = mean_loss(model, params)
    keep = np.isfinite(means)
    if not keep.any():
        return Message(f"the mean loss before update {step} is not a finite number")
    chart = Chart(plots.step_range(first, last), plots.curves.padded_range(means[keep]),
                  integer_x=True, lines=[(np.array(steps, dtype=np.float64)[keep], means[keep])])  # fmt: skip
    if math.isfinite(current):
        chart.points.append(((float(step), current), glyphs.point))
    body = plots.draw_chart(chart, width, height, glyphs)
    mean, chance = fmt_plain(current), fmt_plain(_half_everywhere(model))
    titles = [f"{glyphs.point} before update {step}: mean loss over {examples} examples {mean}",
              f"{glyphs.point} before update {step}: mean loss {mean}",
              f"{glyphs.point} mean loss {mean} (y = 0.5 always: {chance})",
              f"{glyphs.point} mean loss {mean}", mean]  # fmt: skip
    xlabels = [f"update (answering y = 0.5 for every example scores {chance})", "update"]
    return Figure(body, titles, xlabels)


def _half_everywhere(model: Any) -> float:
    """The mean loss of answering y = 0.5 (z = 0) for every example: ln 2 for bce on 0/1."""
    targets = [example.config.target for example in model.each_example()]
    value = model.loss.value
    return math.fsum(value(0.0, 0.5, 0.5, 0.5 - t, t) for t in targets) / len(targets)


def draw_decision_map(
    session: Session, step: int, width: int, height: int, glyphs: Glyphs
) -> Figure | Message:
    from . import plots
    from .plots import Figure, Message

    model, params = update_start(session, step)
    examples = model.each_example()
    inputs = [m.config.x for m in examples]
    if len(inputs[0]) != 2:
        return Message(f"The decision map needs two inputs; this model has {len(inputs[0])}.")
    plots.load_plotting()
    curves = plots.curves
    (low1, high1), (low2, high2) = (_span([x[i] for x in inputs], curves) for i in (0, 1))
    rows = max(height, 1)
    base = examples[0]
    cells: list[list[str]] = []
    for row in range(rows):
        x2 = _between(high2, low2, (row + 0.5) / rows)  # the top row is the largest X2
        line = []
        for column in range(width):
            x1 = _between(low1, high1, (column + 0.5) / width)
            line.append(_shade(base.replaced(x=(x1, x2)).update(params).y, glyphs.shades))
        cells.append(line)
    for example in examples:
        (u1, u2) = (curves.to_unit([value], span)[0]
                    for value, span in zip(example.config.x, ((low1, high1), (low2, high2))))  # fmt: skip
        if math.isfinite(u1) and math.isfinite(u2):
            column = min(max(int(u1 * width), 0), width - 1)
            row = min(max(int((1 - u2) * rows), 0), rows - 1)
            cells[row][column] = EXAMPLE_MARKS.get(example.config.target, glyphs.point)
    body = "\n".join("".join(line) for line in cells)
    dark = glyphs.shades[-1]
    titles = [f"y before update {step}: blank 0 … {dark} 1; digits: each example's t",
              f"shade: y, blank 0 … {dark} 1; digits: targets t",
              "shade: y 0…1 · digits: targets t", "shade: y · digits: t"]  # fmt: skip
    ranges = (f"X1 {fmt_plain(low1)} to {fmt_plain(high1)} across, "
              f"X2 {fmt_plain(low2)} to {fmt_plain(high2)} up")  # fmt: skip
    return Figure(body, titles, [ranges, "X1 across, X2 up"])


def _span(values: list[float], curves: Any) -> tuple[float, float]:
    """The values' range with a quarter of its width (at least 0.5) either side, wide enough
    for floats to tell its points apart."""
    low, high = min(values), max(values)
    margin = max((high / 2 - low / 2) / 2, 0.5)  # halved first: no overflow near the float limit
    return curves.resolvable(low - margin, high + margin, low / 2 + high / 2)


def _between(start: float, end: float, share: float) -> float:
    """The point ``share`` of the way from ``start`` to ``end`` (without overflowing)."""
    return start + share * 2 * (end / 2 - start / 2)


def _shade(y: float, shades: str) -> str:
    """y in [0, 1] as one of ``shades``, lightest first; beyond the ends, the ends."""
    if not math.isfinite(y):
        return "?"
    level = min(max(y, 0.0), 1.0)
    return shades[min(int(level * len(shades)), len(shades) - 1)]
