"""Two views of the layers: the network as a diagram, and each layer's gradient over the steps.

The diagram comes from the model (``model.diagram``): each column a layer, each unit with its
error signal dLoss/dz, each weight with its value, for the update shown. The gradient view
plots |dLoss/dW| per layer (``core.layers``) on a log scale, so a hidden layer whose slopes are
near 0 shows its gradient far below the output layer's.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from calc_tutor.core.layers import gradient_sizes
from calc_tutor.core.numbers import fmt_plain

from .now import run_bounds, step_record

if TYPE_CHECKING:
    from calc_tutor.core.model_view import DiagramLayer
    from calc_tutor.core.session import Session

    from .plots import Figure, Glyphs, Message

GAP = " "  # between a cell and its connector
# (weights shown, digits per number), richest first: the first layout that fits is drawn. The
# units' dLoss/dz with 3 digits matter more than weights with 2.
LAYOUTS = ((True, 4), (True, 3), (False, 4), (False, 3), (False, 2), (False, 1))


# ---- the diagram -----------------------------------------------------------------------------


def draw_network(
    session: Session, step: int, width: int, height: int, glyphs: Glyphs
) -> Figure | Message:
    from .plots import Figure, Message

    model, record = step_record(session, step)
    layers = model.diagram(record)
    values = [u.value for layer in layers for u in layer.units]
    values += [u.error for layer in layers for u in layer.units if u.error is not None]
    values += [w for layer in layers for row in layer.weights for w in row]
    if not all(math.isfinite(v) for v in values):
        return Message(f"update {step} has numbers that are not finite: no diagram")
    for with_weights, digits in LAYOUTS:
        rows = diagram_rows(layers, digits, with_weights)
        if max(len(row) for row in rows) <= width and len(rows) <= height:
            legend = _legend(layers, with_weights)
            top = [""] * ((height - len(rows)) // 2)  # centred: the panel is taller than it
            titles = _network_titles(step, session, model)
            return Figure("\n".join(top + rows), titles, legend)
    return Message("widen the terminal to see the network (or press v for the next view)")


def _network_titles(step: int, session: Session, model: Any) -> list[str]:
    where = f"update {step}" if step <= session.length else f"next update ({step})"
    examples = len(model.each_example())
    if examples > 1 and model.losses_comparable:  # a batch: the diagram is its first example's
        where = f"example 1 of {examples} ({where} averages all {examples})"
    return [f"each unit's dLoss/dz, {where}", f"dLoss/dz, {where}", "numbers: dLoss/dz"]


def _legend(layers: tuple[DiagramLayer, ...], with_weights: bool) -> list[str]:
    names = ", ".join(layer.weights_name for layer in layers if layer.weights_name)
    if with_weights:
        return [f"X: the inputs · {names}: the weights · beside each unit: its dLoss/dz",
                f"{names}: weights · units: dLoss/dz", "units: dLoss/dz"]  # fmt: skip
    return ["beside each unit: its dLoss/dz · a wider panel shows the weights",
            "beside each unit: its dLoss/dz", "units: dLoss/dz"]  # fmt: skip


def diagram_rows(layers: tuple[DiagramLayer, ...], digits: int, with_weights: bool) -> list[str]:
    """The diagram as text rows: a header of column names, then one row per unit position.

    Columns alternate layer, weights, layer, … A layer of several units shows each unit's
    incoming weights on that unit's row; a layer of one unit (the output) shows them on the rows
    of the units feeding it, one weight each. Connectors join the columns: all-to-all ones
    bracket the rows they span."""
    height = max(len(layer.units) for layer in layers)
    columns: list[tuple[str, list[str]]] = []  # (header, cell per row)
    joins: list[str] = []  # "rows" (row to row) or "fan" (all to all), between columns
    previous_rows = _placed([_unit_cell(u, digits) for u in layers[0].units], height)
    columns.append((layers[0].title, previous_rows))
    for layer in layers[1:]:
        units = _placed([_unit_cell(u, digits) for u in layer.units], height)
        if with_weights:
            if len(layer.units) == 1:  # one weight per feeding unit, on its row
                feeding = [i for i, cell in enumerate(previous_rows) if cell]
                cells = [""] * height
                for row, weight in zip(feeding, layer.weights[0]):
                    cells[row] = _number(weight, digits)
                columns.append((layer.weights_name, cells))
                joins += ["rows", "fan"]
            else:  # each unit's incoming weights, on the unit's row
                rows = [",".join(_number(w, digits) for w in ws) for ws in layer.weights]
                columns.append((layer.weights_name, _placed(rows, height)))
                joins += ["fan", "rows"]
        else:
            joins.append("fan")
        columns.append((layer.title, units))
        previous_rows = units
    return _lay_out(columns, joins, height)


def _unit_cell(unit, digits: int) -> str:  # noqa: ANN001
    if unit.error is None:
        return f"{unit.name} {_number(unit.value, digits)}"
    return f"{unit.name} {_number(unit.error, digits)}"


def _number(value: float, digits: int) -> str:
    return fmt_plain(value, digits)


def _placed(cells: list[str], height: int) -> list[str]:
    """``cells`` centred in ``height`` rows."""
    top = (height - len(cells)) // 2
    return [""] * top + cells + [""] * (height - top - len(cells))


def _lay_out(columns: list[tuple[str, list[str]]], joins: list[str], height: int) -> list[str]:
    widths = [max(len(header), *(len(c) for c in cells)) for header, cells in columns]
    header = ""
    rows = [""] * height
    for index, ((title, cells), width) in enumerate(zip(columns, widths)):
        if index:
            left, right = columns[index - 1][1], cells
            connector = _connector(left, right, joins[index - 1])
            header += " " * 3
            rows = [row + c for row, c in zip(rows, connector)]
        header += title.ljust(width)
        rows = [row + cell.ljust(width) for row, cell in zip(rows, cells)]
    return [header.rstrip()] + [row.rstrip() for row in rows]


def _connector(left: list[str], right: list[str], join: str) -> list[str]:
    """Three cells per row between two columns: ``─→`` row to row, or a bracket for all to all."""
    height = len(left)
    if join == "rows":
        return [" ─ " if a and b else "   " for a, b in zip(left, right)]
    used = [i for i in range(height) if left[i] or right[i]]
    top, bottom = min(used), max(used)
    out = []
    for i in range(height):
        a, b = bool(left[i]), bool(right[i])
        stub_in, stub_out = ("─" if a else " "), ("→" if b else " ")
        if not top <= i <= bottom:
            out.append("   ")
            continue
        if top == bottom:
            middle = "─"
        elif i == top:
            middle = "┬" if a and b else "┐" if a else "┌"
        elif i == bottom:
            middle = "┴" if a and b else "┘" if a else "└"
        else:
            middle = "┼" if a and b else "┤" if a else "├" if b else "│"
        out.append(stub_in + middle + stub_out)
    return out


# ---- the gradient per layer over the steps ---------------------------------------------------


def draw_layer_gradients(
    session: Session, step: int, width: int, height: int, glyphs: Glyphs
) -> Figure | Message:
    from . import plots
    from .plots import Chart, Figure, Message

    plots.load_plotting()
    np = plots.np
    model, _record = step_record(session, step)
    first, last = run_bounds(session, step)
    count = min(last - first + 1, 2 * width)
    steps = sorted({int(round(s)) for s in np.linspace(first, last, count)})
    sizes = [gradient_sizes(*step_record(session, s)) for s in steps]
    names = [name for name, _ in sizes[0]]
    chart_lines = []
    logs: list[float] = []
    for index, name in enumerate(names):
        values = np.array([row[index][1] for row in sizes])
        with np.errstate(divide="ignore", invalid="ignore"):
            log = np.where(values > 0, np.log10(values), np.nan)
        keep = np.isfinite(log)
        chart_lines.append((np.array(steps, dtype=np.float64)[keep], log[keep]))
        logs += log[keep].tolist()
    if not logs:
        return Message("every layer's gradient is 0 (or not finite) here: nothing to plot on a log scale")
    low, high = min(logs), max(logs)
    markers = [str(i) for i in range(1, len(names) + 1)]  # the layer's number, input side first
    y_range = plots.curves.padded_range(np.array([low, high]))
    # A log scale, labelled with the sizes themselves (0.1, 0.032, 0.01), not their logarithms.
    exponents = plots.nice_ticks(*y_range, max(2, height // plots.ROWS_PER_Y_TICK))
    chart = Chart(plots.step_range(first, last), y_range, integer_x=True, lines=chart_lines,
                  line_markers=markers, y_ticks=exponents,
                  y_labels=[_size_label(e) for e in exponents])  # fmt: skip
    shown = gradient_sizes(model, _record)
    for _name, size in shown:
        if size > 0 and math.isfinite(size):
            chart.points.append(((float(step), math.log10(size)), glyphs.point))
    body = plots.draw_chart(chart, width, height, glyphs)
    now = ", ".join(f"|dLoss/d{name}| {fmt_plain(size)}" for name, size in shown)
    legend = "  ".join(f"{m} |dLoss/d{name}|" for m, name in zip(markers, names))
    short = " · ".join(f"{m} {name} {fmt_plain(size, 3)}" for m, (name, size) in zip(markers, shown))
    titles = [f"{glyphs.point} update {step}: {now}", now, short, f"update {step}"]
    return Figure(body, titles, [f"{legend} (log scale)", legend])


def _size_label(exponent: float) -> str:
    """10^exponent as a tick label: 0.032; beyond what a float holds, 1e400."""
    if abs(exponent) <= 300:
        return fmt_plain(10.0**exponent, 2)
    return f"1e{fmt_plain(round(exponent), 3)}"

