"""The computation graph drawn left to right on a grid of cells, with box drawing (or ASCII).

Nodes are cards stacked in columns (``Node.column``), each with its forward value and, once the
backward walk reached it, its gradient ``g``; each edge runs from a card's right side to the next
column's card, labelled with its local derivative. Lines are drawn as bitmasks per cell, so
where edges meet the junction (┬ ┤ ┼ …) follows by itself. When the columns do not fit the
width they wrap into bands, read left to right and top to bottom, like text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from calc_tutor.core.graph import Graph, Node
from calc_tutor.core.numbers import fmt_plain, fmt_value

from .ascii import to_ascii

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
_BOX = {
    LEFT | RIGHT: "─", UP | DOWN: "│", DOWN | RIGHT: "┌", DOWN | LEFT: "┐", UP | RIGHT: "└",
    UP | LEFT: "┘", UP | DOWN | RIGHT: "├", UP | DOWN | LEFT: "┤", DOWN | LEFT | RIGHT: "┬",
    UP | LEFT | RIGHT: "┴", UP | DOWN | LEFT | RIGHT: "┼", LEFT: "─", RIGHT: "─", UP: "│", DOWN: "│",
}  # fmt: skip
CARD_ROWS = 3
BAND_GAP = 0  # rows between bands: none, each band starts with its edges' arrows


@dataclass(frozen=True)
class Cell:
    char: str
    style: str = ""  # "", "node", "current", "gradient", "label"


@dataclass(frozen=True)
class Card:
    node: Node
    title: str
    value: str
    gradient: str  # "" until the backward walk reaches the node
    width: int


ASKED_MARK = "g ?"  # a gradient predict mode is asking for


def card_for(node: Node, gradient: object, reached: bool, asked: bool = False) -> Card:
    """A node's card; as wide as it will be with its gradient, so nothing moves as the walk
    fills the gradients in (or ``asked`` marks the one being predicted)."""
    # Leaves by their names, the loss by its formula, a gate by its sign and its output's name.
    title = node.name if node.gate in ("input", "parameter") else node.label if node.gate == "loss" \
        else f"{node.label} {node.name}"
    value = fmt_value(node.value)
    gradient_text = f"g {fmt_value(gradient)}"
    # "╭ title ╮", "│ value │", "╰ g … ╯": the frame and a space either side
    # (under --ascii a title may be longer: "Σ" is "sum")
    width = max(len(title), len(to_ascii(title)), len(value), len(gradient_text)) + 4
    return Card(node, title, value, ASKED_MARK if asked else gradient_text if reached else "", width)


def edge_label(local: object) -> str:
    if isinstance(local, tuple):
        return "[" + ", ".join(fmt_plain(v) for v in local) + "]"
    return fmt_plain(local)


class Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.masks = [[0] * width for _ in range(height)]
        self.cells: list[list[Cell | None]] = [[None] * width for _ in range(height)]

    def line_h(self, row: int, x0: int, x1: int) -> None:
        for x in range(min(x0, x1), max(x0, x1)):
            self._join(row, x, RIGHT)
            self._join(row, x + 1, LEFT)

    def line_v(self, column: int, y0: int, y1: int) -> None:
        for y in range(min(y0, y1), max(y0, y1)):
            self._join(y, column, DOWN)
            self._join(y + 1, column, UP)

    def _join(self, row: int, x: int, mask: int) -> None:
        if 0 <= row < self.height and 0 <= x < self.width:
            self.masks[row][x] |= mask

    def text(self, row: int, x: int, text: str, style: str = "") -> None:
        for i, char in enumerate(text):
            if 0 <= row < self.height and 0 <= x + i < self.width:
                self.cells[row][x + i] = Cell(char, style)

    def rows(self, ascii_only: bool) -> list[list[Cell]]:
        out = []
        for row in range(self.height):
            cells = []
            for x in range(self.width):
                cell = self.cells[row][x]
                if cell is None:
                    mask = self.masks[row][x]
                    char = " " if not mask else _ascii_line(mask) if ascii_only else _BOX[mask]
                    cell = Cell(char, "edge" if mask else "")
                elif ascii_only and not cell.char.isascii():
                    cell = Cell(to_ascii(cell.char)[:1] or "?", cell.style)
                cells.append(cell)
            while cells and cells[-1].char == " ":
                cells.pop()
            out.append(cells)
        return out


def _ascii_line(mask: int) -> str:
    if mask in (LEFT | RIGHT, LEFT, RIGHT):
        return "-"
    if mask in (UP | DOWN, UP, DOWN):
        return "|"
    return "+"


def _draw_card(canvas: Canvas, x: int, y: int, card: Card, style: str, ascii_only: bool) -> None:
    w = card.width
    title = to_ascii(card.title) if ascii_only else card.title  # "× z" as "* z", not "x z"
    tl, tr, bl, br, h, v = ("+", "+", "+", "+", "-", "|") if ascii_only else ("╭", "╮", "╰", "╯", "─", "│")
    top = f"{tl} {title} ".ljust(w - 1, h) + tr
    bottom = (f"{bl} {card.gradient} " if card.gradient else bl).ljust(w - 1, h) + br
    canvas.text(y, x, top, style)
    canvas.text(y + 1, x, f"{v} {card.value}".ljust(w - 1) + v, style)
    canvas.text(y + 2, x, bottom, style)
    if card.gradient:  # the gradient stands out from the frame it sits in
        canvas.text(y + 2, x + 2, card.gradient, "current" if style == "current" else "gradient")


def draw(graph: Graph, reached: set[str], current: str | None, width: int,
         ascii_only: bool = False, asked: bool = False) -> tuple[list[list[Cell]], int | None]:  # fmt: skip
    """The graph at ``width`` cells: the nodes in ``reached`` show their gradients; ``current``
    is the node the walk just reached (highlighted; ``asked``: its gradient is being predicted,
    "g ?"). Also the top row of its card (None: none), for a panel to keep it in view."""
    columns: dict[int, list[Card]] = {}
    gradients = graph.gradients()
    for node in graph.nodes:
        card = card_for(node, gradients[node.name], node.name in reached, asked and node.name == current)
        columns.setdefault(node.column, []).append(card)
    order = sorted(columns)
    col_width = {c: max(card.width for card in columns[c]) for c in order}
    # Every card as wide as its column: the boxes line up, and none changes width in a walk.
    columns = {c: [replace(card, width=col_width[c]) for card in columns[c]] for c in order}
    labels = {(e.source, e.target): edge_label(e.local) for e in graph.edges}
    column_of = {node.name: node.column for node in graph.nodes}
    arrow = ">" if ascii_only else "▸"
    dash = "-" if ascii_only else "─"

    def fans_out(name: str) -> bool:
        """A value feeding several boxes of the next column (the network's X)."""
        return sum(column_of[e.target] == column_of[name] + 1 for e in graph.edges_from(name)) > 1

    def gap_after(c: int) -> int:
        """Room for the edges out of column ``c``: "─ label ─┐▸", and a lane of its own for a
        value that fans out."""
        out = [labels[key] for key in labels if column_of[key[0]] == c]
        lanes = 2 if any(fans_out(card.node.name) for card in columns[c]) else 0
        return (max(map(len, out)) + 5 + lanes) if out else 0

    def leaving(name: str) -> str:
        """An edge going on to the next band ends in the names of the boxes it goes to: "─▸ y"."""
        targets = [edge.target for edge in graph.edges_from(name)]
        return f"{dash}{arrow} {', '.join(targets)}" if targets else ""

    def out_room(c: int) -> int:
        return max(len(leaving(card.node.name)) for card in columns[c])

    def arriving(edge_key: tuple[str, str]) -> str:
        """At the start of a band an edge arrives from the box it left: "z ─ 0.1966 "."""
        return f"{edge_key[0]} {dash} {labels[edge_key]} "

    def stub_before(c: int) -> int:
        """Room for the edges into ``c`` arriving at a band's start: "z ─ 0.1966 ─▸"."""
        into = [len(arriving(key)) for key in labels if column_of[key[1]] == c]
        return (max(into) + 2) if into else 0

    # Columns into bands: a band ends with its edges' "─▸ y" and the next begins with "z ─ …".
    bands: list[list[int]] = [[]]
    used = 0
    for i, c in enumerate(order):
        last = i == len(order) - 1
        if bands[-1] and used + col_width[c] + (0 if last else out_room(c)) > width:
            bands.append([])
            used = stub_before(c)
        bands[-1].append(c)
        used += col_width[c] + gap_after(c)
    band_of = {c: i for i, band in enumerate(bands) for c in band}
    crossing: dict[str, int] = {}  # edges arriving at a card from the band above
    for edge in graph.edges:
        if band_of[column_of[edge.source]] != band_of[column_of[edge.target]]:
            crossing[edge.target] = crossing.get(edge.target, 0) + 1

    # Rows: each card centred on the cards that feed it, pushed down to clear the one above;
    # a card that edges arrive at from the band above has a row beside it for each of them.
    sources = {node.name: [e.source for e in graph.edges_into(node.name)] for node in graph.nodes}
    place: dict[str, tuple[int, int]] = {}  # name -> (x, top row)
    top = 0
    mid: dict[str, float] = {}
    for band_index, band in enumerate(bands):
        x = stub_before(band[0]) if band_index else 0
        bottom = top
        for c in band:
            next_free = top
            for card in columns[c]:
                feeding = [mid[s] for s in sources[card.node.name] if s in mid and s in place
                           and place[s][1] >= top]  # fmt: skip
                want = round(sum(feeding) / len(feeding)) - 1 if feeding else next_free
                row = max(want, next_free)
                place[card.node.name] = (x, row)
                mid[card.node.name] = row + 1
                next_free = row + max(CARD_ROWS, 1 + crossing.get(card.node.name, 0))
            bottom = max(bottom, next_free)
            x += col_width[c] + gap_after(c)
        top = bottom + BAND_GAP
    canvas = Canvas(width, max(top - BAND_GAP, 1))
    card_of = {card.node.name: card for cards in columns.values() for card in cards}

    arrivals: dict[str, int] = {}
    left_already: set[str] = set()
    for edge in graph.edges:
        sx, sy = place[edge.source]
        tx, ty = place[edge.target]
        start, row = sx + card_of[edge.source].width, sy + 1
        label = labels[edge.source, edge.target]
        label_style = "current" if current == edge.source else "label"  # the local just used
        if band_of[column_of[edge.source]] == band_of[column_of[edge.target]]:
            # A value that fans out comes down the lane nearest the boxes it feeds; the other
            # edges turn further left, so no two edges share a line until they enter one box.
            shared = any(fans_out(card.node.name) for card in columns[column_of[edge.source]])
            turn = tx - 2 if fans_out(edge.source) or not shared else tx - 4
            canvas.line_h(row, start, turn)
            canvas.line_v(turn, row, ty + 1)
            canvas.line_h(ty + 1, turn, tx - 1)
            canvas.text(ty + 1, tx - 1, arrow, "edge")
            # A value feeding several boxes (the network's X) shares one line among its paths:
            # one number on it would be only one path's, so it carries none (the walk shows each).
            if sum(band_of[column_of[e.target]] == band_of[column_of[edge.source]]
                   for e in graph.edges_from(edge.source)) == 1:  # fmt: skip
                canvas.text(row, start + 1, f" {label} ", label_style)
            continue
        # On to the next band: leave at the right, naming where the edge goes; arrive at the
        # left naming where it came from, each on a row of its own, joined into the box's side.
        if edge.source not in left_already:
            left_already.add(edge.source)
            canvas.text(row, start, leaving(edge.source), "edge")
        order = arrivals[edge.target] = arrivals.get(edge.target, -1) + 1
        arrive, turn = ty + 1 + order, tx - 2
        canvas.line_h(arrive, 0, turn)
        canvas.line_v(turn, ty + 1, arrive)
        canvas.line_h(ty + 1, turn, tx - 1)
        canvas.text(ty + 1, tx - 1, arrow, "edge")
        canvas.text(arrive, 0, f"{edge.source} ", "edge")
        canvas.text(arrive, len(edge.source) + 2, f" {label} ", label_style)
    for name, (x, y) in place.items():
        style = "current" if name == current else "node"
        _draw_card(canvas, x, y, card_of[name], style, ascii_only)
    return canvas.rows(ascii_only), place[current][1] if current in place else None
