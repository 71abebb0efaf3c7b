"""The gradient check (key g): each parameter's chain-rule gradient against a central difference,
at the parameters the update on show starts from, for the model that update uses.

ε moves along powers of ten; every ε's checks are computed once when the screen opens (and once
more with the planted bug), so a key only picks other numbers and redraws what they change.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from calc_tutor.core.gradcheck import DEFAULT_EPSILON
from calc_tutor.core.numbers import fmt_value

from ..ascii import to_ascii
from ..commands import Command, bindings
from ..gradcheck_view import (
    LEGEND,
    SWEEP_HEADING,
    WHY_NOT_SMALLEST,
    Checked,
    bug_sentence,
    corner_sentence,
    larger,
    non_finite_sentence,
    run_checks,
    smaller,
    sweep_rows,
    sweep_sentence,
    table_rows,
)
from ..widgets.blank_scrollbar import BlankScrollBarRender
from ..widgets.footer import SteadyFooter

# This screen's keys: one table for its bindings, its footer and its frame's key line.
GRADCHECK_COMMANDS: tuple[Command, ...] = (
    Command("gradcheck_smaller", "left_square_bracket", "eps/10", "Divide ε by 10",
            "smaller_epsilon", True, "["),
    Command("gradcheck_larger", "right_square_bracket", "eps*10", "Multiply ε by 10",
            "larger_epsilon", True, "]"),
    Command("gradcheck_bug", "b", "Bug", "Plant or remove a bug: one chain-rule factor left out",
            "toggle_bug", True),
    Command("gradcheck_close", "escape,g,q", "Close", "Close the gradient check", "close", True,
            "esc g q"),
)  # fmt: skip

COLUMNS = ("parameter", "analytic", "numeric", "rel. error", "check")


class CheckTable(DataTable):
    """The checks, one row per parameter; a failed check stands out without colour too."""

    COMPONENT_CLASSES = {"check-table--fail", "check-table--pass"}


class EpsilonSweep(Static):
    """The worst relative error at every ε, with the ε in use picked out."""

    COMPONENT_CLASSES = {"epsilon-sweep--heading", "epsilon-sweep--now"}


class GradcheckScreen(ModalScreen[None]):
    CSS_PATH = "gradcheck.tcss"
    BINDINGS = bindings(GRADCHECK_COMMANDS)
    AUTO_FOCUS = "CheckTable"

    epsilon = var(DEFAULT_EPSILON, init=False)
    bug = var(False, init=False)

    def __init__(self, model: Any, params: tuple[float, ...], step: int,
                 ascii_only: bool = False) -> None:  # fmt: skip
        super().__init__(classes="-ascii" if ascii_only else "")
        self.model, self.params, self.step = model, params, step
        self.ascii_only = ascii_only
        self.plain = to_ascii if ascii_only else str
        self.checked: dict[bool, Checked] = {}  # without and with the bug, when first asked

    def checks(self) -> Checked:
        if self.bug not in self.checked:
            self.checked[self.bug] = run_checks(self.model, self.params, self.bug, self.step - 1)
        return self.checked[self.bug]

    def compose(self) -> ComposeResult:
        plain = self.plain
        with Vertical(id="gradcheck"):
            yield Static(plain(LEGEND), id="gradcheck-legend", markup=False)
            table = CheckTable(id="gradcheck-table", cursor_type="none", zebra_stripes=False)
            table.add_columns(*map(plain, COLUMNS))
            yield table
            yield Static(id="gradcheck-message", markup=False)
            yield EpsilonSweep(id="gradcheck-sweep", markup=False)
            yield Static(id="gradcheck-why", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        if self.ascii_only:
            self.query_one(CheckTable).vertical_scrollbar.renderer = BlankScrollBarRender
        self.show()

    def watch_epsilon(self) -> None:
        self.show()

    def watch_bug(self) -> None:
        self.show()

    def show(self) -> None:
        """Redraw every part from the checks at the ε in use."""
        checked, epsilon, plain = self.checks(), self.epsilon, self.plain
        table = self.query_one(CheckTable)
        scrolled = table.scroll_y  # kept: a learner who scrolled to b2 watches b2 as ε moves
        table.clear()
        message = self.query_one("#gradcheck-message", Static)
        sweep = self.query_one(EpsilonSweep)
        why = self.query_one("#gradcheck-why", Static)
        self.query_one("#gradcheck").border_title = plain(
            f"Gradient check · update {self.step}, at the parameters it starts from · "
            f"ε = {fmt_value(epsilon)}"
        )
        if checked.problem is not None:
            table.display = sweep.display = why.display = False
            message.update(plain(checked.problem))
            message.display = True
            return
        fail = table.get_component_rich_style("check-table--fail", partial=True)
        passed = table.get_component_rich_style("check-table--pass", partial=True)
        for row in table_rows(checked, epsilon):
            style = passed if row[-1] == "pass" else fail
            table.add_row(*(plain(cell) for cell in row[:-1]), Text(row[-1], style))
        table.call_after_refresh(table.scroll_to, y=scrolled, animate=False)
        said = [text for text in (bug_sentence(checked, epsilon), corner_sentence(checked),
                                  non_finite_sentence(checked, epsilon)) if text]  # fmt: skip
        message.update(plain(" ".join(said)))
        message.display = bool(said)
        sweep.update(self.sweep_text(checked, epsilon))
        why.update(plain(f"{WHY_NOT_SMALLEST} {sweep_sentence(checked)}"))
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """The frame as tall as its lines, or, when the rows do not all fit, the whole height
        with the table scrolling in what the other lines leave (CSS: ``-full``)."""
        frame, table = self.query_one("#gradcheck"), self.query_one(CheckTable)
        shown = [child for child in frame.children if child is not table and child.display]
        others = sum(child.outer_size.height + child.styles.margin.height for child in shown)
        needed = others + table.row_count + 1 + frame.styles.gutter.height  # + header, frame
        room = self.size.height - self.query_one(SteadyFooter).outer_size.height
        crowded = table.display and needed > room
        frame.set_class(crowded, "-full")
        # Rows below the frame's edge are easy to miss at 80×24: the frame says they exist.
        frame.border_subtitle = self.plain(
            f"{table.row_count} parameters · ↑ ↓ scroll" if crowded else "")

    def sweep_text(self, checked: Checked, epsilon: float) -> Text:
        sweep = self.query_one(EpsilonSweep)
        heading = sweep.get_component_rich_style("epsilon-sweep--heading", partial=True)
        now = sweep.get_component_rich_style("epsilon-sweep--now", partial=True)
        epsilons, errors, mark = sweep_rows(checked, epsilon, self.plain)
        text = Text(self.plain(SWEEP_HEADING) + "\n", heading)
        text.append(f"{epsilons}\n{errors}\n")
        text.append(mark, now)
        return text

    # ---- actions: one per command in the table -------------------------------------------

    def action_smaller_epsilon(self) -> None:
        self.epsilon = smaller(self.epsilon)

    def action_larger_epsilon(self) -> None:
        self.epsilon = larger(self.epsilon)

    def action_toggle_bug(self) -> None:
        self.bug = not self.bug

    def action_close(self) -> None:
        self.dismiss()
