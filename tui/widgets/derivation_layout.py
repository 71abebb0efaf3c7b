"""How one update's derivation is laid out as terminal rows, for any panel width.

Wide panels get aligned columns (formula | with numbers | value); narrow ones put each line on
one row when it fits and otherwise on two (the formula, then ``= numbers = value``), so the
whole seed neuron's update fits an 80×24 terminal without scrolling. A wrapped row keeps its
indent: the numbers' second row sits under the numbers, not flush left.

When a bigger update does not fit, the panel folds what the update does not hinge on (``Fold``):
first the forward pass, into one summary row of its values, then the lines the update does not
use, to their value. Folded items keep every number they show true; a walk-through still shows
each line in full as it reaches it.

The derivation is a list of *items* (the column heading, a group's title, a line) that each
turn into rows for a given width. Every item shares one ``ColumnPlan``, so all of them make
the same choice between columns and stacked rows, and the columns line up.
"""

from __future__ import annotations

import dataclasses
import functools
import textwrap
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from calc_tutor.core.derivation import ASIDES, Derivation, Line
from calc_tutor.core.numbers import fmt_value

from ..ascii import to_ascii
from ..now import params_text

GROUP_TITLES = {"example": "Example", "forward": "Forward", "backward": "Backward (chain rule)", "update": "Update"}
COLUMN_GAP = 2
NUMBERS_INDENT = 4
HANG = 2  # a wrapped row's extra indent: under what follows "= ", or after a summary's title
ELLIPSIS = "…"
# Lines whose value no update uses (X is data, nothing steps it): the first to fold to their value.


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
    data: bool = False  # it states data (which example), not a formula: never shortened

    @classmethod
    def of(cls, line: Line) -> ShownLine:
        value = value_text(line.value)
        numbers = "" if _same_number(line.substitution, value) else line.substitution
        return cls(line.symbol, numbers, value, line.note, line.group == "example")

    def short(self) -> str:
        """The symbol for a narrow panel: a formula's left side and last form (short_symbol);
        data as it is (``X = [0, 1], t = 1`` would lose X's value)."""
        return self.symbol if self.data else short_symbol(self.symbol)

    def in_ascii(self) -> ShownLine:
        return dataclasses.replace(self, symbol=to_ascii(self.symbol), numbers=to_ascii(self.numbers),
                                   value=to_ascii(self.value), note=to_ascii(self.note))


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
            tuple((len(line.symbol), len(line.short())) for line in lines),
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
class Fold:
    """What a panel too short for the whole update folds, once the learner has read it."""

    forward: bool = False  # the forward pass, as one row: ``Forward  z 0.85 · y 0.7006 · …``
    asides: bool = False  # lines the update does not use (ASIDES), as ``dLoss/dX = … = value``


NO_FOLD = Fold()
FOLDS = (NO_FOLD, Fold(forward=True), Fold(forward=True, asides=True))  # least folded first


@dataclass(frozen=True)
class Item:
    """One thing the panel shows: ``kind`` is "heading", "group", "summary" (a folded group's
    title and values) or "line"."""

    kind: str
    plan: ColumnPlan
    marker: str
    title: str = ""  # a group's
    line: ShownLine | None = None
    marked: bool = False  # the line being explained: highlighted, its note shown
    with_note: bool = False  # show the note even when not marked (the panel has room)
    folded: bool = False  # a line shown as its formula's left side and its value
    values: tuple[tuple[str, str], ...] = ()  # a summary's (name, value) pairs
    ascii_only: bool = False  # for the signs the layout adds itself

    def _sign(self, text: str) -> str:
        return to_ascii(text) if self.ascii_only else text

    def rows(self, width: int, styles: Styles) -> list[Text]:
        """The item as rows of at most ``width`` cells."""
        width = max(width, 1)
        room = self.plan.symbol_room(width)
        if self.kind == "heading":
            return [] if room is None else [self._heading(room, styles)]
        if self.kind == "group":
            return [Text(self.title, styles.group)]
        if self.kind == "summary":
            return self._summary(width, styles)
        assert self.line is not None
        if self.folded:
            rows = self._folded(width, styles)
        elif room is not None:
            rows = self._columns(room, styles)
        else:
            rows = self._stacked(width, styles)
        if self.marked or self.with_note:
            rows += self.note_rows(width, styles)
        return rows

    def note_rows(self, width: int, styles: Styles) -> list[Text]:
        """The rows of a line's note, as shown below it when marked or ``with_note``."""
        assert self.line is not None
        return list(_note_rows(self.line.note, width, styles.note if self.marked else styles.quiet_note))

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
        symbol = line.symbol if len(line.symbol) <= room else line.short()
        return [Text.assemble(
            ((marker + symbol).ljust(self.plan.symbol_width(room)), s.symbol + mark), (gap, mark),
            (line.numbers.ljust(self.plan.numbers), s.numbers + mark), (gap, mark),
            (line.value.rjust(self.plan.value), s.value + mark),
        )]  # fmt: skip

    def _summary(self, width: int, s: Styles) -> list[Text]:
        """``Forward  z 0.85 · y 0.7006 · Loss 0.2994``, wrapped between values."""
        hang = min(len(self.title) + HANG, width // 2)
        rows = [Text(self.title, s.group)]
        for number, (name, value) in enumerate(self.values):
            part = Text.assemble((name, s.symbol), " ", (value, s.value))
            gap = "  " if number == 0 else self._sign(" · ")
            if rows[-1].cell_len + len(gap) + part.cell_len <= width:
                rows[-1].append(gap, s.numbers)
            else:
                rows[-1].rstrip()
                rows.append(Text(" " * hang))
            rows[-1].append_text(part)
        return [piece for row in rows for piece in _wrap(row, width, 0, hang)]  # a long vector

    def _folded(self, width: int, s: Styles) -> list[Text]:
        """The formula in short and the value, its working left out: ``dLoss/dX = … = 0.05``."""
        line = self.line
        assert line is not None
        marker, mark = self._mark(s)
        elided = self._sign(f" = {ELLIPSIS} = ")
        symbol = line.short()
        if len(marker) + len(symbol) + len(elided) + len(line.value) > width:
            symbol = line.symbol.split(" = ")[0]
        text = Text.assemble((marker + symbol, s.symbol + mark), (elided, s.numbers + mark),
                             (line.value, s.value + mark))  # fmt: skip
        return _wrap(text, width, 0, NUMBERS_INDENT + HANG)

    def _stacked(self, width: int, s: Styles) -> list[Text]:
        line = self.line
        assert line is not None
        marker, mark = self._mark(s)
        symbol = line.symbol
        if len(marker) + len(symbol) > width:
            symbol = line.short()
        head = Text(marker + symbol, s.symbol + mark)
        # A formula too long for its row continues under its right-hand side.
        symbol_hang = min(len(marker) + len(symbol.split(" = ")[0]) + 3, width // 2)
        if not line.numbers and _same_number(symbol.split(" = ")[-1], line.value):
            return _wrap(head, width, 0, symbol_hang)  # dLoss/dy = −1: nothing to add
        tail = Text("= ", s.numbers + mark)
        if line.numbers:
            tail.append(line.numbers + " = ", s.numbers + mark)
        tail.append(line.value, s.value + mark)
        if head.cell_len + 1 + tail.cell_len <= width:
            return [Text.assemble(head, (" ", mark), tail)]
        return (_wrap(head, width, 0, symbol_hang)
                + _wrap(tail, width, NUMBERS_INDENT, NUMBERS_INDENT + HANG))  # fmt: skip


@functools.lru_cache(maxsize=256)
def _note_rows(note: str, width: int, style: Style) -> tuple[Text, ...]:
    """A note wrapped under its line. Notes are the same from step to step, and wrapping them
    again at each one cost a tenth of a step (the rows are never changed once made)."""
    indent = " " * NUMBERS_INDENT
    return tuple(Text(indent + part, style) for part in textwrap.wrap(note, max(1, width - NUMBERS_INDENT)))


def _wrap(text: Text, width: int, indent: int, hang: int) -> list[Text]:
    """``text`` wrapped at spaces into rows of ``width`` cells: the first after ``indent``
    spaces, the rest after ``hang`` (a long vector's numbers continue under the numbers)."""
    plain, rows = text.plain, []
    start, pad = 0, indent
    while True:
        room = max(1, width - pad)
        if len(plain) - start <= room:
            rows.append(Text(" " * pad) + text[start:] if pad else text[start:])
            return rows
        cut = plain.rfind(" ", start + 1, start + room + 1)
        if cut == -1:  # a word longer than the row: cut inside it
            cut = start + room
        rows.append(Text(" " * pad) + text[start:cut] if pad else text[start:cut])
        start = len(plain) - len(plain[cut:].lstrip(" "))
        pad = hang


def _short_value(value: object) -> str:
    """A value as a summary shows it: with the digits the substitutions give it (``0.7006``)."""
    numbers = value if isinstance(value, tuple) else (value,)
    if all(isinstance(number, (int, float)) for number in numbers):
        return params_text(value)  # type: ignore[arg-type]
    return value_text(value)  # absent: "—"


def derivation_items(derivation: Derivation, shown: int, noted: int, marker: str,
                     ascii_only: bool = False, fold: Fold = NO_FOLD) -> list[Item]:  # fmt: skip
    """The heading, group titles and the first ``shown`` lines, in the order they appear;
    ``fold`` folds only what lies before the line being explained (``noted``; 0: none is)."""
    lines = [ShownLine.of(line) for line in derivation.lines]
    text = to_ascii if ascii_only else str
    if ascii_only:
        lines = [line.in_ascii() for line in lines]
    plan = ColumnPlan.of(lines, marker)  # from all the lines: it holds still in a walk-through
    item = functools.partial(Item, plan=plan, marker=marker, ascii_only=ascii_only)

    def read(number: int) -> bool:  # walked past, or on show all at once
        return noted == 0 or number < noted

    forward = [n for n, line in enumerate(derivation.lines, start=1) if line.group == "forward"]
    fold_forward = fold.forward and bool(forward) and max(forward) <= shown and read(max(forward))
    items = [item("heading")]
    group_now = None
    for number, (line, shown_line) in enumerate(zip(derivation.lines, lines), start=1):
        if number > shown:
            break
        if line.group != group_now:
            group_now = line.group
            title = GROUP_TITLES[line.group]
            if fold_forward and line.group == "forward":
                values = tuple((text(line.symbol.split(" = ")[0]), text(_short_value(line.value)))
                               for line in derivation.lines if line.group == "forward")  # fmt: skip
                items.append(item("summary", title=title, values=values))
            else:
                items.append(item("group", title=title))
        if fold_forward and line.group == "forward":
            continue
        folded = fold.asides and line.name in ASIDES and read(number)
        items.append(item("line", line=shown_line, marked=number == noted, folded=folded))
    return items
