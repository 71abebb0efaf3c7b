"""The derivation panel: step ``cursor``'s update, a preview of the next one, or a walk-through.

Each item of the derivation (a group's title, a line) is a widget of its own that lays itself
out for its width when drawn, so the first frame is already complete, and a step repaints only
the items whose rows changed: over SSH that is most of the bytes a step costs.

The update lines are the point of a step, so they stay in view: when the whole update does not
fit, the panel folds the forward pass into one row (derivation_layout.Fold) and, if it still
does not fit, keeps the end in view. Scrolling up past the top unfolds it (the subtitle says so).
"""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.css.scalar import Scalar
from textual.geometry import Size
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from calc_tutor.core.derivation import Derivation, derive
from calc_tutor.core.session import Session

from ..ascii import parts_to_ascii, to_ascii
from ..now import shift_text, shown_step, step_record
from .blank_scrollbar import BlankScrollBarRender
from .derivation_layout import FOLDS, NO_FOLD, Fold, Item, Styles, derivation_items


HIDE_ALL = -1  # ``asking``: no line of the update is shown
HINT_FRAME = 6  # the cells a subtitle's frame takes: corners, rules and a space either side


def fit_parts(text: str, room: int) -> str:
    """The parts of ``a · b · c`` that fit ``room`` cells, the last ones dropped first: a hint
    or a title cut short would read as something else. The first part stays, cut or not."""
    parts = text.split(" · ")
    while len(parts) > 1 and len(" · ".join(parts)) > room:
        parts.pop()
    return " · ".join(parts)


def step_title(derivation: Derivation, record: object) -> str:
    """``Step 3 · W 0.6966 → 0.8559``; on a dataset ``Step 3 · example 3/4: X [1, 0], t 1 · …``."""
    parts = [f"Step {derivation.step}"] + ([derivation.heading] if derivation.heading else [])
    w, w_next = getattr(record, "w", None), getattr(record, "w_next", None)
    if w is not None and w_next is not None:
        parts.append(shift_text("W", w, w_next))
    return " · ".join(parts)


class DerivationSlot(Widget):
    """One item of the derivation, as many rows as it needs at the panel's width."""

    DEFAULT_CSS = "DerivationSlot { height: auto; }"

    def __init__(self, item: Item) -> None:
        super().__init__()
        # No links in a derivation: painting then skips a pass over every cell for them.
        self.set_reactive(Widget.auto_links, False)
        self.item = item
        self.drawn: tuple[object, list[Text]] = (None, [])  # (key, rows) of the last layout

    def rows_for(self, width: int) -> list[Text]:
        panel = self.parent
        styles = panel.row_styles() if isinstance(panel, DerivationPanel) else None
        if styles is None:
            return []
        assert isinstance(panel, DerivationPanel)
        key = (width, self.item, styles)
        if self.drawn[0] != key:
            self.drawn = (key, panel.item_rows(self.item, width, styles))
        return self.drawn[1]

    def show(self, item: Item) -> None:
        """Show ``item``; repaint only if that changes what is on screen."""
        if not self.display:  # setting it even unchanged would lay the panel out again
            self.display = True
        if item == self.item:
            return
        width = self.content_size.width
        before = self.rows_for(width) if width else None
        self.item = item
        if before is None:
            self.refresh(layout=True)
            return
        after = self.rows_for(width)
        if after != before:
            self.refresh(layout=len(after) != len(before))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows_for(width))

    def render(self) -> Text:
        return Text("\n").join(self.rows_for(self.content_size.width))


class DerivationPanel(VerticalScroll, can_focus=True):
    """Step ``cursor``'s derivation, a preview of step 1 at the start, or a walk-through."""

    # Only vertical scrolling: left and right stay free for stepping back and forth.
    BINDINGS = [
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
    ]
    inherit_bindings = False

    COMPONENT_CLASSES = {
        "derivation--group",
        "derivation--symbol",
        "derivation--numbers",
        "derivation--value",
        "derivation--highlight",
        "derivation--note",
        "derivation--quiet-note",
    }

    revision = var(0)  # the session changed
    revealed = var(0)  # lines of the next update shown in a walk-through (0: none)
    noted = var(0)  # 1-based line whose note is shown, 0 for none
    previewing = var(False)  # show the next update even when the cursor is past 0
    # The line of the next update being predicted (1-based; ``revealed`` lines are shown), 0
    # for none, or HIDE_ALL while a question about a later update is open.
    asking = var(0)

    def __init__(self, session: Session, ascii_only: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session
        self.ascii_only = ascii_only
        self.title_row = Static(id="derivation-title", markup=False)
        self.title_row.set_reactive(Widget.auto_links, False)  # no links: see DerivationSlot
        self.title_text = ""
        self.title_width = 0  # the width the title was last fitted to (0: not yet fitted)
        # Each item's rows at a width, as worked out for the current show(): fit() and the
        # slots ask for the same items' rows, and each costs a layout of Rich text.
        self.rows_memo: dict[tuple[Item, int, Styles], list[Text]] = {}
        self.styles_now: Styles | None = None  # from the theme's CSS, once it is applied
        # The items' widgets, in order: kept here rather than queried, as mounting finishes
        # later; ones no longer needed are hidden and kept for the next step.
        self.slots: list[DerivationSlot] = []
        self.folded = False  # something is folded now (a summary row, a line to its value)
        self.unfolded = False  # the learner scrolled up past the top: every line in full
        self.keep_end = False  # even folded it does not fit: keep the update lines in view
        self.overflowing = False  # the lines shown are more than the panel's rows
        # The most folding needed since the model (an edit), the update's shape or the room
        # last changed: a step whose numbers are a little shorter does not unfold rows that
        # the next step would fold again.
        self.fold_floor: tuple[object, Fold] = (None, NO_FOLD)
        # Blank rows above the lines, out of sight while the end is kept in view: they keep the
        # content's height that of the tallest step of the same shape, so that a step whose
        # numbers wrap to fewer rows does not scroll (and resend) the whole panel.
        self.spacer = Widget(id="derivation-spacer")
        self.tallest: tuple[object, int] = (None, 0)

    @property
    def marker(self) -> str:
        return "> " if self.ascii_only else "▸ "

    def compose(self) -> ComposeResult:
        derivation, title, hint = self.current()
        if self.ascii_only:
            title, hint = parts_to_ascii(title), parts_to_ascii(hint)
        self.title_text = title
        self.title_row.update(title)
        self.border_subtitle = hint
        self.slots = [DerivationSlot(item) for item in self.items(derivation)]
        yield self.title_row
        yield self.spacer
        yield from self.slots

    def on_mount(self) -> None:
        if self.ascii_only:
            self.vertical_scrollbar.renderer = BlankScrollBarRender
            self.horizontal_scrollbar.renderer = BlankScrollBarRender
        self.app.theme_changed_signal.subscribe(self, self.on_theme_changed)

    def on_theme_changed(self, _theme: object) -> None:
        self.styles_now = None
        for slot in self.slots:
            slot.refresh(layout=True)

    def on_resize(self) -> None:
        self.show()  # the room for notes changed
        # Once laid out at the new size, each slot takes its rows' height at the new width:
        # one whose item stayed the same could keep its old height (a lesson narrows the panel).
        self.call_after_refresh(self.relayout_slots)

    def relayout_slots(self) -> None:
        for slot in self.slots:
            if slot.display and slot.size.height != len(slot.rows_for(slot.content_size.width)):
                slot.refresh(layout=True)

    # What is shown changed: fold again what the learner unfolded to read.
    def watch_revision(self) -> None:
        self.unfolded = False
        self.show()

    def watch_revealed(self) -> None:
        self.unfolded = False
        self.show()

    def watch_noted(self) -> None:
        self.unfolded = False
        self.show()

    def watch_previewing(self) -> None:
        self.unfolded = False
        self.show()

    def watch_asking(self) -> None:
        self.unfolded = False
        self.show()

    @property
    def walking(self) -> bool:
        return bool(self.revealed) or self.asking != 0

    # Scrolling up past the top unfolds what is folded.
    def unfold(self) -> bool:
        if not self.folded or self.scroll_y > 0:
            return False
        self.unfolded = True
        self.show()
        self.scroll_home(animate=False, immediate=True)
        return True

    def action_scroll_up(self) -> None:
        if not self.unfold():
            super().action_scroll_up()

    def action_page_up(self) -> None:
        if not self.unfold():
            super().action_page_up()

    def action_scroll_home(self) -> None:
        if not self.unfold():
            super().action_scroll_home()

    def row_styles(self) -> Styles | None:
        """The rows' styles from the theme's CSS; None until the CSS is applied."""
        if self.styles_now is None and self.is_mounted:
            style = self.get_component_rich_style
            self.styles_now = Styles(
                style("derivation--group"), style("derivation--symbol"),
                style("derivation--numbers"), style("derivation--value"),
                style("derivation--highlight"), style("derivation--note"),
                style("derivation--quiet-note"),
            )  # fmt: skip
        return self.styles_now

    def items(self, derivation: Derivation, fold: Fold = NO_FOLD) -> list[Item]:
        shown = self.revealed if self.walking else len(derivation.lines)
        return derivation_items(derivation, shown, self.noted,
                                self.marker, self.ascii_only, fold)  # fmt: skip

    def fit(self, derivation: Derivation, width: int, room: int, styles: Styles
            ) -> tuple[Fold, bool]:  # fmt: skip
        """The least folding, no less than the last step's (``fold_floor``), at which the
        whole update fits ``room`` rows (the most when none does), and whether every line's
        note fits too (a tall panel). Judged on the whole update, not the lines shown, so that
        nothing comes and goes during a walk-through."""

        def rows(fold: Fold, notes: bool = False) -> int:
            items = derivation_items(derivation, len(derivation.lines), 0, self.marker,
                                     self.ascii_only, fold)  # fmt: skip
            if notes:  # the items come without
                items = [dataclasses.replace(item, with_note=True) for item in items]
            return sum(len(self.item_rows(item, width, styles)) for item in items)

        if self.unfolded:
            return NO_FOLD, False
        shape = self.shape(derivation, width, room)
        floor = NO_FOLD
        if self.fold_floor[0] == shape:
            floor = self.fold_floor[1]
        if floor == NO_FOLD and rows(NO_FOLD, notes=True) <= room:
            return NO_FOLD, True
        fold = next((fold for fold in FOLDS[FOLDS.index(floor):] if rows(fold) <= room),
                    FOLDS[-1])  # fmt: skip
        self.fold_floor = (shape, fold)
        return fold, False

    def item_rows(self, item: Item, width: int, styles: Styles) -> list[Text]:
        """``item.rows(width, styles)``, worked out once per show() (the rows are not changed)."""
        key = (item, width, styles)
        rows = self.rows_memo.get(key)
        if rows is None:
            if item.with_note and not item.marked:
                # fit() tries the notes first: the rows without them are needed next anyway.
                plain = dataclasses.replace(item, with_note=False)
                notes = item.note_rows(width, styles) if item.kind == "line" else []
                rows = self.item_rows(plain, width, styles) + notes
            else:
                rows = item.rows(width, styles)
            self.rows_memo[key] = rows
        return rows

    def current(self) -> tuple[Derivation, str, str]:
        """What to show: the derivation, its title and a hint for the panel's subtitle."""
        session = self.session
        step = shown_step(session.cursor, self.walking, self.previewing)
        model, record = step_record(session, step)
        derivation = derive(model, record, step)
        heading = f" · {derivation.heading}" if derivation.heading else ""
        if self.asking == HIDE_ALL:
            return derivation, f"Step {step} · hidden until you answer{heading}", "esc shows it"
        if self.asking:
            return (derivation, f"Step {step} · predict line {self.asking} of "
                    f"{len(derivation.lines)}{heading}", "type below · Enter checks · esc leaves")  # fmt: skip
        if self.revealed:
            total = len(derivation.lines)
            return (derivation, f"Step {step} · line {self.revealed} of {total}{heading}",
                    "s: next line · n: apply now · b: cancel")  # fmt: skip
        if step > session.cursor:
            return (derivation, f"Step {step} (preview){heading} · n applies it",
                    "s: one line at a time")  # fmt: skip
        # Hints that do not change with every step: a new subtitle repaints the whole panel.
        hint = "diverged: b goes back" if session.at_divergence else "s: one line at a time"
        return derivation, step_title(derivation, record), hint

    def show(self) -> None:
        if not self.is_mounted:
            return
        derivation, title, hint = self.current()
        self.rows_memo = {}  # only this show's items: the slots keep the rows they draw
        width, room = self.scrollable_content_region.size
        room -= 1  # the title's row
        styles = self.row_styles()
        fold, notes = NO_FOLD, False
        if width > 0 and styles is not None:
            fold, notes = self.fit(derivation, width, room, styles)
        items = self.items(derivation, fold)
        if notes:
            items = [dataclasses.replace(item, with_note=item.kind == "line") for item in items]
        self.folded = any(item.kind == "summary" or item.folded for item in items)
        if self.folded and not self.revealed:
            hint = f"↑: all lines · {hint}"
        if self.size.width:
            hint = fit_parts(hint, self.size.width - HINT_FRAME)
        if width:  # one row, so that the lines below do not move: W's shift is in them too
            title = fit_parts(title, width)
        if self.ascii_only:
            title, hint = parts_to_ascii(title), parts_to_ascii(hint)
        if title != self.title_text:  # each update repaints the row
            self.title_text = title
            # Fitted to its width, the title keeps its one row: no need to lay the screen out
            # again (at every step), unless the title before it was not fitted to this width.
            self.title_row.update(title, layout=not width or width != self.title_width)
        self.title_width = width
        if self.border_subtitle != hint:  # setting it, even unchanged, repaints the whole panel
            self.border_subtitle = hint
        if len(items) > len(self.slots):
            added = [DerivationSlot(item) for item in items[len(self.slots):]]
            self.slots.extend(added)
            self.mount(*added)
        for slot, item in zip(self.slots, items):
            slot.show(item)
        for slot in self.slots[len(items):]:
            slot.display = False
        if width > 0:
            shown = sum(len(slot.rows_for(width)) for slot in self.slots[: len(items)])
            self.overflowing = shown > room
            self.keep_end = self.overflowing and not self.unfolded
            self.pad_to_tallest(shown if self.keep_end else None, self.shape(derivation, width, room))
        self.follow()

    def shape(self, derivation: Derivation, width: int, room: int) -> tuple[object, ...]:
        """What a step shares with the next for folding and height to carry over: the model
        (an edit changes it), the number of lines and the room."""
        return (self.session.model.config, len(derivation.lines), width, room)

    def pad_to_tallest(self, rows: int | None, shape: tuple[object, ...]) -> None:
        """Blank rows above the lines up to the tallest step of this ``shape`` (None: none)."""
        padding = 0
        if rows is not None:
            tallest = max(rows, self.tallest[1] if self.tallest[0] == shape else 0)
            self.tallest = (shape, tallest)
            padding = tallest - rows
        if self.spacer.styles.height != Scalar.from_number(padding):
            self.spacer.styles.height = padding

    def watch_virtual_size(self) -> None:
        self.follow()  # the content's height is known only once the layout has settled

    def follow(self) -> None:
        """Keep the line being explained (always the last shown) and its note in view, and the
        update lines when even folding leaves them below the fold; not while the learner reads
        what they unfolded."""
        if self.unfolded:
            return
        if (self.noted or self.keep_end) and self.overflowing:
            # Anchored, the end stays in view as the layout changes, in the same frame: a
            # scroll after the layout would send the whole panel a second time. (Only when the
            # lines overflow: anchored, shorter content would be pushed down the panel.)
            if not self.is_anchored:
                self.anchor()
            return
        if self.is_anchored:
            self.anchor(False)
        target = min(self.scroll_y, self.max_scroll_y)
        if target != self.scroll_y:
            # force: the scrollbar this height needs may not be set up yet (it is, after layout)
            self.scroll_to(y=target, animate=False, immediate=True, force=True)
