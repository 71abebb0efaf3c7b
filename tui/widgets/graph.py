"""The graph panel (key c): the update on show as a computation graph, and its backward walk.

In the derivation's place. Above the graph, the walk: the multiplication that gave the node just
reached (upstream × local = its gradient) and what its gate did; after the last node, the update.
The graph, the title and the walk are separate widgets, each repainted only when its own text
changes: a walk step sends the cards that changed, not the whole panel.
"""

from __future__ import annotations

from itertools import groupby

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.css.scalar import Scalar
from textual.geometry import Region, Size
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from calc_tutor.core.graph import UPDATE_NOTE, Graph, path_starts, path_to
from calc_tutor.core.numbers import fmt_value
from calc_tutor.core.predict import question_label
from calc_tutor.core.session import Session

from ..ascii import parts_to_ascii, to_ascii
from ..graph_layout import CARD_ROWS, Cell, draw
from ..now import shift_text, step_record
from .blank_scrollbar import BlankScrollBarRender
from .derivation import HINT_FRAME, fit_parts

# What the drawing means, said before the walk starts (TEACHING.md: plain words, then the symbol).
ARROWS = ("An arrow's number: the local derivative, how fast the box it enters moves when this "
          "box moves.")  # fmt: skip
# g is named before the walk shows one, and "upstream" before a step says it.
WALK = ("s walks back from the loss, one box per key: its gradient g = dLoss/d(box) = upstream "
        "(the next box's g) × local (the arrow's number).")  # fmt: skip
LEGEND = f"Each box: its value. {ARROWS} {WALK}"
# An applied update shows the values it started from, while the inputs show where it landed.
APPLIED_LEGEND = ("Update {step}, already applied: each box shows its value before it, and g, "
                  f"its gradient dLoss/d(box). {ARROWS} s walks the next update back from the "
                  "loss.")  # fmt: skip
UPDATE_RULE = "Each parameter p ← p − α·dLoss/dp:"
MORE_UPDATES = "and {count} more, each the same way: ↑/↓ shows another path."
ALL_PATHS = "all"  # the path choice that draws the whole graph
STYLE_NAMES = ("node", "current", "gradient", "label", "edge")


def walk_length(graph: Graph) -> int:
    """Keys in a walk: one per node, then one showing the update."""
    return len(graph.backward) + 1


def reached_nodes(graph: Graph, walked: int, applied: bool) -> tuple[set[str], str | None]:
    """The nodes whose gradient shows, and the one the walk just reached. Outside a walk an
    update already applied shows them all; a preview shows none yet."""
    if walked:
        steps = graph.backward[: min(walked, len(graph.backward))]
        current = steps[-1].node if walked <= len(graph.backward) else None
        return {step.node for step in steps}, current
    return ({step.node for step in graph.backward} if applied else set()), None


def walk_lines(graph: Graph, walked: int, applied: bool, step: int = 1,
               more_updates: int = 0) -> list[tuple[str, str]]:  # fmt: skip
    """(text, style) rows above the graph: the node just reached, or the update, or a hint.
    ``more_updates``: the parameters the update moves off the path drawn."""
    if not walked:
        return [(APPLIED_LEGEND.format(step=step) if applied else LEGEND, "note")]
    if walked > len(graph.backward):
        if len(graph.updates) == 1:
            (u,) = graph.updates
            rows = [(f"{u.symbol} = {_join(u.substituted(), u.next)}", "walk")]
        else:  # the rule once, then one short row per parameter: the network's ten fit 80×24
            rows = [(UPDATE_RULE, "walk")] + [(f"{u.name}: {_join(u.substituted(), u.next)}", "walk")
                                            for u in graph.updates]  # fmt: skip
        if more_updates:
            rows.append((MORE_UPDATES.format(count=more_updates), "walk"))
        return rows + [(UPDATE_NOTE + ("" if applied else " s applies it."), "note")]
    step = graph.backward[walked - 1]
    if not step.terms:  # the start, dLoss/dLoss = 1: nothing multiplied yet
        return [(step.symbol(), "walk"), (graph.note(step), "note")]
    return [(step.symbol(), "walk"), (f"= {_join(step.substituted(), step.gradient)}", "walk"),
            (graph.note(step), "note")]  # fmt: skip


def asked_lines(graph: Graph, walked: int) -> list[tuple[str, str]]:
    """(text, style) rows above the graph while predict mode asks step ``walked``'s gradient:
    what is asked (its formula), not its value."""
    return [(question_label(graph.backward[walked - 1].symbol()), "walk"), ("= ?", "walk")]


def _join(substituted: str, value: object) -> str:
    return f"{substituted} = {fmt_value(value)}" if substituted else fmt_value(value)


class GraphCanvas(Widget):
    """The drawing: as many rows as the graph needs at this width."""

    DEFAULT_CSS = "GraphCanvas { height: auto; }"

    def __init__(self) -> None:
        super().__init__()
        self.picture: tuple[object, tuple[list[list[Cell]], int | None]] = (None, ([], None))
        self.wanted: tuple[Graph, set[str], str | None, bool, bool] | None = None

    def show(self, graph: Graph, reached: set[str], current: str | None, ascii_only: bool,
             asked: bool = False) -> None:  # fmt: skip
        """Draw this; repaint only the rows that changed (over SSH, the bytes a key costs).
        ``asked``: ``current``'s gradient is being predicted."""
        width = self.content_size.width
        before = self.rows_for(width)
        self.wanted = (graph, reached, current, ascii_only, asked)
        after = self.rows_for(width)
        if not after or len(after) != len(before):
            self.refresh(layout=True)
            return
        changed = [Region(0, y, width, 1) for y, (old, new) in enumerate(zip(before, after))
                   if old != new]  # fmt: skip
        if changed:
            self.refresh(*changed)

    def rows_for(self, width: int) -> list[list[Cell]]:
        if self.wanted is None or width <= 0:
            return []
        graph, reached, current, ascii_only, asked = self.wanted
        # By content, not identity: each redraw builds the graph anew, and a key that changes
        # two reactives (walked, then step) redraws twice; the second finds its picture here.
        key = (width, graph.nodes, graph.edges, graph.backward, frozenset(reached), current,
               ascii_only, asked)  # fmt: skip
        if self.picture[0] != key:
            self.picture = (key, draw(graph, reached, current, width, ascii_only, asked))
        return self.picture[1][0]

    @property
    def current_top(self) -> int | None:
        """The top row of the card the walk just reached, as last drawn."""
        return self.picture[1][1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows_for(width))

    def render(self) -> Text:
        panel = self.parent
        styles = panel.cell_styles() if isinstance(panel, GraphPanel) else {}
        out = Text()
        for index, row in enumerate(self.rows_for(self.content_size.width)):
            if index:
                out.append("\n")
            # One span per run of a style: a span per cell would cost an escape code per cell.
            for style, cells in groupby(row, key=lambda cell: cell.style):
                out.append("".join(cell.char for cell in cells), styles.get(style))
        return out


class GraphPanel(Vertical, can_focus=True):
    """The update on show as a graph; ``walked`` counts the keys of a backward walk (0: none)."""

    COMPONENT_CLASSES = {f"graph--{name}" for name in (*STYLE_NAMES, "walk", "note")}

    revision = var(0)
    step = var(1)
    walked = var(0)
    shown = var(False)
    path = var("")  # the network's path on show: a W1[k], ALL_PATHS, or "" (as the room allows)
    asking = var(False)  # predict mode asks the gradient of the node ``walked`` reached
    update_shown = var(False)  # predict mode applied the update: it shows, as the walk's end

    def __init__(self, session: Session, ascii_only: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session
        self.ascii_only = ascii_only
        self.title_row = Static(id="graph-title", markup=False)
        self.walk_row = Static(id="graph-walk", markup=False)
        self.canvas = GraphCanvas()
        # Only the drawing scrolls: the title and the walk above it stay in view.
        self.scroller = VerticalScroll(self.canvas, id="graph-scroll", can_focus=False)
        self.texts: tuple[str, Text | None] = ("", None)
        self.styles_now: dict[str, Style] | None = None
        self.graph: Graph | None = None  # the graph drawn last (the path, where one)
        self.path_now = ""  # the path drawn: a W1[k], ALL_PATHS, or "" (a graph of one path)
        self.more_updates = 0  # the update's parameters off the path drawn
        self.walk_height: tuple[object, int] = (None, 0)
        self.whole_height: tuple[object, int] = (None, 0)  # the whole graph's rows, by width

    def compose(self) -> ComposeResult:
        yield self.title_row
        yield self.walk_row
        yield self.scroller

    def on_mount(self) -> None:
        if self.ascii_only:
            self.scroller.vertical_scrollbar.renderer = BlankScrollBarRender
            self.scroller.horizontal_scrollbar.renderer = BlankScrollBarRender
        self.app.theme_changed_signal.subscribe(self, self.on_theme_changed)

    def on_theme_changed(self, _theme: object) -> None:
        self.styles_now = None
        self.canvas.refresh()
        self.texts = ("", None)
        self.redraw()

    def cell_styles(self) -> dict[str, Style]:
        if self.styles_now is None:
            self.styles_now = {name: self.get_component_rich_style(f"graph--{name}")
                               for name in (*STYLE_NAMES, "walk", "note")}  # fmt: skip
        return self.styles_now

    def watch_revision(self) -> None:
        self.redraw()

    def watch_step(self) -> None:
        self.redraw()

    def watch_walked(self) -> None:
        self.redraw()

    def watch_shown(self) -> None:
        self.redraw()

    def watch_path(self) -> None:
        self.redraw()

    def watch_asking(self) -> None:
        self.redraw()

    def watch_update_shown(self) -> None:
        self.redraw()

    def path_choices(self, graph: Graph) -> tuple[str, ...]:
        """The paths ↑/↓ go through: one per first-layer weight, then the whole graph (none
        where there is one path)."""
        starts = path_starts(graph)
        return (*starts, ALL_PATHS) if len(starts) > 1 else ()

    def shown_graph(self, graph: Graph) -> tuple[Graph, str]:
        """What to draw of ``graph`` and the path it is: the path chosen with ↑/↓, else the
        whole graph where it fits the panel without scrolling, else the first weight's path."""
        choices = self.path_choices(graph)
        if not choices:
            return graph, ""
        path = self.path if self.path in choices else ALL_PATHS if self.fits(graph) else choices[0]
        return (graph, path) if path == ALL_PATHS else (path_to(graph, path), path)

    def fits(self, graph: Graph) -> bool:
        """Whether the whole graph fits the drawing's room. Its height is found once per width
        and shape, so the view does not change between updates as the numbers' widths do (nor
        is the whole graph drawn again when only the walk's rows change the room)."""
        width, height = self.scroller.size
        if width <= 0:
            return False
        key = (width, len(graph.nodes), self.ascii_only)
        if self.whole_height[0] != key:
            self.whole_height = (key, len(draw(graph, set(), None, width, self.ascii_only)[0]))
        return self.whole_height[1] <= height

    def walk_keys(self, graph: Graph) -> int:
        """Keys in a walk of ``graph`` as this panel draws it."""
        return walk_length(self.shown_graph(graph)[0])

    def on_resize(self) -> None:
        self.redraw()

    def hold_walk_height(self, graph: Graph, applied: bool, step: int, walked: int) -> None:
        """The walk's rows as many as its longest node's key needs, so the graph below does not
        move as the walk goes back (a move would resend every row of it). The update's rows,
        the walk's last key (a list of parameters), take what they need. Predict mode's
        questions hold their own, fewer."""
        width = self.walk_row.content_size.width or self.content_size.width
        if width <= 0:
            return
        key = (width, graph.nodes, graph.backward, applied, step, self.ascii_only, self.asking)
        if key != self.walk_height[0]:
            console = self.app.console
            tallest = 0
            for node in range(1 if self.asking else 0, len(graph.backward) + 1):
                lines = self.lines_for(graph, node, applied, step)
                text = Text("\n".join(to_ascii(t) if self.ascii_only else t for t, _ in lines))
                tallest = max(tallest, len(text.wrap(console, width)))
            self.walk_height = (key, tallest)
        # Held only while it leaves the graph most of the room; taller walks (the network's
        # fan-out sums) take the rows each key needs.
        held = walked <= len(graph.backward) and self.walk_height[1] * 3 <= self.size.height
        height = self.walk_height[1] if held else "auto"
        if self.walk_row.styles.height != Scalar.parse(str(height)):
            self.walk_row.styles.height = height

    def lines_for(self, graph: Graph, walked: int, applied: bool,
                  step: int) -> list[tuple[str, str]]:  # fmt: skip
        """The rows above the drawing: the walk's, or predict mode's question."""
        if self.asking:
            return asked_lines(graph, walked)
        return walk_lines(graph, walked, applied, step, self.more_updates)

    def redraw(self) -> None:
        """Draw the update on show: nothing is computed while the panel is hidden."""
        if not (self.is_mounted and self.shown):
            return
        session = self.session
        step = self.step  # the screen's one "now" (now.shown_step): the next update while walking
        model, record = step_record(session, step)
        whole = model.graph(record)
        graph, self.path_now = self.shown_graph(whole)
        self.more_updates = len(whole.updates) - len(graph.updates)
        self.graph = graph
        applied = step <= session.cursor
        walked = self.walked or (walk_length(graph) if self.update_shown else 0)
        reached, current = reached_nodes(graph, walked, applied)
        if self.asking:  # the box asked hides its gradient
            reached = reached - {current}
        title = self.title_text(graph, record, step, applied, walked)
        walk = Text()
        styles = self.cell_styles()
        for index, (line, style) in enumerate(self.lines_for(graph, walked, applied, step)):
            walk.append(("\n" if index else "") + (to_ascii(line) if self.ascii_only else line),
                        styles.get(style))  # fmt: skip
        self.hold_walk_height(graph, applied, step, walked)
        title = parts_to_ascii(title) if self.ascii_only else title
        if title != self.texts[0]:
            self.title_row.update(title)
        if self.texts[1] is None or walk.plain != self.texts[1].plain:
            self.walk_row.update(walk)
        self.texts = (title, walk)
        hint = " · ".join(["s: next box back · b: cancel" if self.walked else "s: walk back",
                           *(["↑↓: path"] if self.path_now else []), "c: derivation"])
        if self.asking:  # predict mode's keys, as the derivation says them
            hint = "type below · Enter checks · esc leaves"
        elif self.update_shown:
            hint = "Enter: next update · esc leaves"
        if self.size.width:
            hint = fit_parts(hint, self.size.width - HINT_FRAME)  # Textual would cut it with "…"
        hint = parts_to_ascii(hint) if self.ascii_only else hint
        if self.border_subtitle != hint:
            self.border_subtitle = hint
        self.canvas.show(graph, reached, current, self.ascii_only, self.asking)
        self.call_after_refresh(self.keep_current_in_view)

    def title_text(self, graph: Graph, record: object, step: int, applied: bool,
                   walked: int) -> str:  # fmt: skip
        """Which update, said as the derivation's title says it: applied or a preview, W's
        move; the path drawn. While predict mode asks, which box, and not W's move (its
        direction is dLoss/dW's sign)."""
        parts = [f"Step {step}{'' if applied else ' (preview)'} · graph"]
        if self.asking:
            parts = [f"Step {step} · predict box {walked} of {len(graph.backward)}"]
        parts += [graph.heading] if graph.heading else []
        if self.path_now:
            parts.append(("all paths" if self.path_now == ALL_PATHS else f"path of {self.path_now}")
                         + ("" if self.asking else " (↑/↓)"))  # fmt: skip
        w, w_next = getattr(record, "w", None), getattr(record, "w_next", None)
        if w is not None and w_next is not None and not self.asking:
            parts.append(shift_text("W", w, w_next))
        title = " · ".join(parts)
        return fit_parts(title, self.size.width - 2) if self.size.width else title

    def keep_current_in_view(self) -> None:
        """A graph taller than the panel (the network) scrolls to the box the walk reached."""
        top, scroller = self.canvas.current_top, self.scroller
        if top is None or not scroller.max_scroll_y:
            return
        seen = scroller.scrollable_content_region.height
        if scroller.scroll_y <= top and top + CARD_ROWS <= scroller.scroll_y + seen:
            return
        # The walk goes back up the drawing, from the loss's band to the inputs': the box at the
        # bottom of the view keeps the next boxes in it, so the panel scrolls (and resends every
        # row) less often.
        scroller.scroll_to(y=max(0, top + CARD_ROWS - seen), animate=False, immediate=True)
