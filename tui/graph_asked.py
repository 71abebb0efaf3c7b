"""The graph while predict mode asks for a node's gradient (predict_walks.GraphWalk).

The box asked is highlighted, with "g ?" where its gradient will show; the rows above the
drawing say what is asked (its formula), not its value.
"""

from __future__ import annotations

from calc_tutor.core.graph import Graph
from calc_tutor.core.predict import question_label

from .graph_layout import Cell

ASKED_MARK = "g ?"


def asked_lines(graph: Graph, walked: int) -> list[tuple[str, str]]:
    """(text, style) rows above the graph while step ``walked`` of the walk is asked."""
    return [(question_label(graph.backward[walked - 1].symbol()), "walk"), ("= ?", "walk")]


def mark_asked(picture: tuple[list[list[Cell]], int | None],
               ascii_only: bool) -> tuple[list[list[Cell]], int | None]:  # fmt: skip
    """``graph_layout.draw``'s picture with "g ?" on the highlighted box's bottom frame, where
    its gradient shows once reached. Every box is at least as wide as "g " and a number, so
    the mark fits and nothing moves."""
    rows, top = picture
    if top is None:
        return picture
    bottom = top + 2  # a box's three rows: title, value, gradient
    corner = "+" if ascii_only else "╰"
    row = rows[bottom]
    left = next((x for x, cell in enumerate(row) if cell.style == "current" and cell.char == corner),
                None)  # fmt: skip
    if left is None:
        return picture
    marked = list(row)
    for offset, char in enumerate(f" {ASKED_MARK} ", start=1):
        marked[left + offset] = Cell(char, "current")
    return [*rows[:bottom], marked, *rows[bottom + 1 :]], top
