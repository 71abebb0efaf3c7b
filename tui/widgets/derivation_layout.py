"""How one update's derivation is laid out as terminal rows, for any panel width.

Wide panels get aligned columns (formula | with numbers | value); narrow ones put each line on
one row when it fits and otherwise on two (the formula, then ``= numbers = value``), so the
whole seed neuron's update fits an 80×24 terminal without scrolling.

The derivation is a list of *items* (the column heading, a group's title, a line) that each
turn into rows for a given width. Every item shares one ``ColumnPlan``, so all of them make
the same choice between columns and stacked rows, and the columns line up.
"""

from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass

from rich.console import Console
from rich.style import Style
from rich.text import Text

from calc_tutor.core.derivation import Derivation, Line
from calc_tutor.core.numbers import fmt_value

from ..ascii import to_ascii

GROUP_TITLES = {"forward": "Forward", "backward": "Backward (chain rule)", "update": "Update"}
COLUMN_GAP = 2
NUMBERS_INDENT = 4
_CONSOLE = Console(width=80, color_system=None)  # only for Text.wrap's defaults; never prints


def value_text(value: object) -> str:
    """A line's value; a vector of one is shown as its number, as the substitutions do."""
    if isinstance(value, tuple) and len(value) == 1:
        value = value[0]
    return fmt_value(value)  # type: ignore[arg-type]


def short_symbol(symbol: str) -> str:
    """``a = b = c`` → ``a = c``: the left side and the last form, for narrow panels."""
    parts = symbol.split(" = ")
    return symbol if len(parts) <= 2 else f"{parts[0]} = {parts[-1]}"


def _same_number(a: str, b: str) -> bool:
    return a.replace("−", "-").strip("()") == b.replace("−", "-")


@dataclass(frozen=True)
class ShownLine:
    symbol: str
    numbers: str  # empty when the numbers would only repeat the value
    value: str
    note: str

    @classmethod
    def of(cls, line: Line) -> ShownLine:
        value = value_text(line.value)
        numbers = "" if _same_number(line.substitution, value) else line.substitution
        return cls(line.symbol, numbers, value, line.note)


@dataclass(frozen=True)
class Styles:
    group: Style
    symbol: Style
    numbers: Style
    value: Style
    highlight: Style
    note: Style  # the note of the line being explained
    quiet_note: Style  # every other line's note, when the panel has room for them all


@dataclass(frozen=True)
class ColumnPlan:
    """What aligned columns need to know about all the lines of one update."""

    symbols: tuple[tuple[int, int], ...]  # each line's formula length: in full, shortened
    numbers: int  # the widest "with numbers"
    value: int  # the widest value
    marker: int  # the width of the marker before the line being explained

    @classmethod
    def of(cls, lines: list[ShownLine], marker: str) -> ColumnPlan:
        return cls(
            tuple((len(line.symbol), len(short_symbol(line.symbol))) for line in lines),
            max((len(line.numbers) for line in lines), default=0),
            max((len(line.value) for line in lines), default=0), len(marker),
        )  # fmt: skip

    def symbol_room(self, width: int) -> int | None:
        """Cells for the formula column at ``width``, or None when columns would not fit."""
        room = width - self.numbers - self.value - 2 * COLUMN_GAP - self.marker
        return room if all(short <= room for _, short in self.symbols) else None

    def symbol_width(self, room: int) -> int:
        """The formula column: each formula in full where it fits, else shortened."""
        chosen = (full if full <= room else short for full, short in self.symbols)
        return max(chosen, default=0) + self.marker


@dataclass(frozen=True)
class Item:
    """One thing the panel shows: ``kind`` is "heading", "group" or "line"."""

    kind: str
    plan: ColumnPlan
    marker: str
    title: str = ""  # a group's
    line: ShownLine | None = None
    marked: bool = False  # the line being explained: highlighted, its note shown
    with_note: bool = False  # show the note even when not marked (the panel has room)

    def rows(self, width: int, styles: Styles) -> list[Text]:
        """The item as rows of at most ``width`` cells."""
        width = max(width, 1)
        room = self.plan.symbol_room(width)
        if self.kind == "heading":
            return [] if room is None else [self._heading(room, styles)]
        if self.kind == "group":
            return [Text(self.title, styles.group)]
        assert self.line is not None
        rows = self._columns(room, styles) if room is not None else self._stacked(width, styles)
        if self.marked or self.with_note:
            note_style = styles.note if self.marked else styles.quiet_note
            indent = " " * NUMBERS_INDENT
            for part in textwrap.wrap(self.line.note, max(1, width - NUMBERS_INDENT)):
                rows.append(Text(indent + part, note_style))
        return rows

    def _heading(self, room: int, s: Styles) -> Text:
        gap = " " * COLUMN_GAP
        return Text.assemble(("formula".ljust(self.plan.symbol_width(room)), s.group), gap,
                             ("with numbers".ljust(self.plan.numbers), s.group), gap,
                             ("value".rjust(self.plan.value), s.group))  # fmt: skip

    def _mark(self, s: Styles) -> tuple[str, Style]:
        return (self.marker, s.highlight) if self.marked else (" " * len(self.marker), Style())

    def _columns(self, room: int, s: Styles) -> list[Text]:
        line, gap = self.line, " " * COLUMN_GAP
        assert line is not None
        marker, mark = self._mark(s)
        symbol = line.symbol if len(line.symbol) <= room else short_symbol(line.symbol)
        return [Text.assemble(
            ((marker + symbol).ljust(self.plan.symbol_width(room)), s.symbol + mark), (gap, mark),
            (line.numbers.ljust(self.plan.numbers), s.numbers + mark), (gap, mark),
            (line.value.rjust(self.plan.value), s.value + mark),
        )]  # fmt: skip

    def _stacked(self, width: int, s: Styles) -> list[Text]:
        line = self.line
        assert line is not None
        marker, mark = self._mark(s)
        symbol = line.symbol
        if len(marker) + len(symbol) > width:
            symbol = short_symbol(symbol)
        head = Text(marker + symbol, s.symbol + mark)
        if not line.numbers and _same_number(symbol.split(" = ")[-1], line.value):
            return _fit(head, width, 0)  # dLoss/dy = −1: nothing to add
        tail = Text("= ", s.numbers + mark)
        if line.numbers:
            tail.append(line.numbers + " = ", s.numbers + mark)
        tail.append(line.value, s.value + mark)
        if head.cell_len + 1 + tail.cell_len <= width:
            return [Text.assemble(head, (" ", mark), tail)]
        return _fit(head, width, 0) + _fit(tail, width, NUMBERS_INDENT)


def _fit(text: Text, width: int, indent: int) -> list[Text]:
    """``text`` wrapped at spaces into rows of ``width`` cells, each after ``indent`` spaces
    (a long vector's numbers)."""
    rows = text.wrap(_CONSOLE, max(1, width - indent), overflow="fold")
    return [Text(" " * indent) + row if indent else row for row in rows]


def derivation_items(derivation: Derivation, shown: int, noted: int, marker: str,
                     ascii_only: bool = False) -> list[Item]:  # fmt: skip
    """The heading, group titles and the first ``shown`` lines, in the order they appear."""
    lines = [ShownLine.of(line) for line in derivation.lines]
    if ascii_only:
        lines = [ShownLine(*map(to_ascii, dataclasses.astuple(line))) for line in lines]
    plan = ColumnPlan.of(lines, marker)  # from all the lines: it holds still in a walk-through
    items = [Item("heading", plan, marker)]
    group_now = None
    for number, (line, shown_line) in enumerate(zip(derivation.lines, lines), start=1):
        if number > shown:
            break
        if line.group != group_now:
            group_now = line.group
            items.append(Item("group", plan, marker, title=GROUP_TITLES[line.group]))
        items.append(Item("line", plan, marker, line=shown_line, marked=number == noted))
    return items
