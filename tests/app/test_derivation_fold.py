"""The derivation panel at 80×24: the update lines in view in every state a learner reaches, a
folded forward pass that stays true and can be unfolded, wrapped numbers under their numbers,
and a scrollbar in a column of its own."""

from __future__ import annotations

import re

import pytest
from textual.pilot import Pilot

from calc_tutor.core.derivation import Line, derive
from calc_tutor.core.numbers import fmt_value
from calc_tutor.tui.app import CalcTutorApp
from calc_tutor.tui.now import step_record
from calc_tutor.tui.widgets.derivation import DerivationPanel

from .conftest import SIZE, make_app, screen_text

TWO_INPUTS_AND_BIAS = {"w": (0.5, -0.25), "x": (2.0, 1.0), "b": 0.1}
# The runs the issue names, and one that does not fit even folded (it keeps the end in view).
RUNS = {
    "two inputs and a bias": TWO_INPUTS_AND_BIAS,
    "a bias": {"b": 0.1},
    "tanh, mse, a bias": {"activation": "tanh", "loss": "mse", "target": 0.2, "b": 0.1,
                          "lr": 0.5},  # fmt: skip
    "two inputs": {"w": (0.5, -0.25), "x": (1.0, 2.0)},
    "four inputs and a bias": {"w": (0.5, -0.25, 0.125, 0.3), "x": (2.0, 1.0, -1.0, 0.5),
                               "b": 0.1},  # fmt: skip
}


def plain(text: str) -> str:
    return text.replace("−", "-")


def panel_of(app: CalcTutorApp) -> DerivationPanel:
    return app.main.query_one(DerivationPanel)


def lines_on_show(app: CalcTutorApp) -> tuple[Line, ...]:
    """The lines of the update the panel shows: those a walk-through has revealed, or all."""
    step = app.main.step
    model, record = step_record(app.session, step)
    lines = derive(model, record, step).lines
    revealed = app.main.revealed
    return lines[:revealed] if revealed else lines


def written(line: Line) -> str:
    """A line's numbers and value as the learner reads them, whitespace collapsed."""
    value = plain(fmt_value(line.value))
    return f"= {plain(line.substitution)} = {value}" if line.substitution else value


def panel_rows(app: CalcTutorApp) -> list[str]:
    """The derivation's rows below its title, from the text column's left edge."""
    region = panel_of(app).scrollable_content_region
    rows = screen_text(app).splitlines()[region.y + 1 : region.bottom]
    return [row[region.x : region.right].rstrip() for row in rows]


def shown_text(app: CalcTutorApp) -> str:
    """The derivation's text column, its rows joined by spaces (wrapped numbers read whole)."""
    return " ".join(" ".join(row.split()) for row in panel_rows(app)).strip()


async def edit_lr(pilot: Pilot, app: CalcTutorApp, text: str) -> None:
    field = app.main.inputs.field("lr")
    field.focus()
    field.value = text
    await pilot.press("enter")


async def reach(pilot: Pilot, app: CalcTutorApp, state: str) -> None:
    """Put the app in ``state``, with the keys a learner presses."""
    total = len(lines_on_show(app))
    update_lines = sum(line.group == "update" for line in lines_on_show(app))
    keys = {
        "preview of step 1": [],
        "a step": ["n"],
        "three steps": ["n", "n", "n"],
        "a walk at the first update line": ["s"] * (total - update_lines + 1),
        "a walk at the last line": ["s"] * (total - 1),
        "a walk's end": ["s"] * total,
        "back after three steps": ["n", "n", "n", "b"],
    }
    if state == "after an edit":
        await pilot.press("n")
        await edit_lr(pilot, app, "0.2")
        assert app.main.previewing
        return
    await pilot.press(*keys[state])
    await pilot.pause()  # a walk's panel scrolls to its newest line once laid out


STATES = ["preview of step 1", "a step", "three steps", "after an edit", "back after three steps",
          "a walk at the first update line", "a walk at the last line", "a walk's end"]  # fmt: skip


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("run", list(RUNS))
async def test_the_update_lines_are_in_view_at_80x24(run: str, state: str) -> None:
    app = make_app(**RUNS[run])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await reach(pilot, app, state)
        text = shown_text(app)
        shown = [line for line in lines_on_show(app) if line.group == "update"]
        assert shown or state.startswith("a walk")
        for line in shown:
            assert plain(line.symbol) in text, (line.symbol, screen_text(app))
            assert written(line) in text, (written(line), screen_text(app))


async def test_the_seed_neuron_shows_every_line_in_full() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        text = shown_text(app)
        for line in lines_on_show(app):
            assert plain(line.symbol.split(" = ")[0]) in text
            assert written(line) in text
        panel = panel_of(app)
        assert panel.max_scroll_y == 0
        assert "↑" not in str(panel.border_subtitle)  # nothing folded, nothing to unfold


async def test_a_folded_forward_pass_keeps_its_numbers_true_and_up_unfolds_it() -> None:
    app = make_app(**TWO_INPUTS_AND_BIAS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        panel = panel_of(app)
        forward = [line for line in lines_on_show(app) if line.group == "forward"]
        rows = panel_rows(app)
        text = shown_text(app)
        assert "↑: all lines" in str(panel.border_subtitle)  # how to see what is folded
        for line in forward:
            assert written(line) not in text  # folded ...
        # ... into one row that names each value, each as true as the substitutions write it.
        summary = next(row for row in rows if row.startswith("Forward "))
        pairs = dict(re.findall(r"(\w+) (-?[\d.e+-]+)", plain(summary)))
        assert set(pairs) == {line.symbol.split(" = ")[0] for line in forward}
        for line in forward:
            assert float(pairs[line.symbol.split(" = ")[0]]) == pytest.approx(line.value,
                                                                             rel=1e-3)  # fmt: skip

        await pilot.press("up")  # scrolling up past the top unfolds it
        text = shown_text(app)
        for line in forward:
            assert plain(line.symbol) in text and written(line) in text
        assert panel.scroll_y == 0
        assert "↑" not in str(panel.border_subtitle)

        await pilot.press("n")  # the next update folds it again, its update lines in view
        text = shown_text(app)
        assert written(forward[0]) not in text
        for line in lines_on_show(app):
            if line.group == "update":
                assert written(line) in text


async def test_what_one_step_folds_stays_folded_while_stepping() -> None:
    """A calm panel: a step whose numbers happen to be shorter does not unfold rows that the
    step before folded (they would jump back and forth as the run goes on)."""
    app = make_app(**RUNS["tanh, mse, a bias"])  # it bounces: its numbers grow and shrink
    async with app.run_test(size=SIZE) as pilot:
        folded_before = False
        for _ in range(15):
            await pilot.press("n")
            folded = "… =" in shown_text(app)  # a line shown as its value, its working left out
            assert folded or not folded_before, f"unfolded at step {app.session.cursor}"
            folded_before = folded
            for line in lines_on_show(app):
                if line.group == "update":
                    assert written(line) in shown_text(app)


async def test_a_walk_through_shows_each_forward_line_in_full_as_it_reaches_it() -> None:
    app = make_app(**TWO_INPUTS_AND_BIAS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        count = sum(line.group == "forward" for line in lines_on_show(app))
        for _ in range(count):
            await pilot.press("s")
            await pilot.pause()
            line = lines_on_show(app)[-1]
            text = shown_text(app)
            assert plain(line.symbol) in text and written(line) in text
            assert line.note.split()[0] in text  # and what it means


async def test_a_wrapped_line_continues_under_its_numbers() -> None:
    app = make_app(**TWO_INPUTS_AND_BIAS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        rows = panel_rows(app)
        continued = 0
        for above, row in zip(rows, rows[1:]):
            numbers_at = len(above) - len(above.lstrip())
            indent = len(row) - len(row.lstrip())
            # A row below "= numbers" that starts neither a line (indent 2) nor more numbers.
            if above.lstrip().startswith("= ") and indent > 2 and not row.lstrip().startswith("="):
                continued += 1
                assert indent == numbers_at + len("= "), "\n".join(rows)
        assert continued >= 2, "\n".join(rows)  # dLoss/dW's and W's numbers wrap at 80×24


async def test_the_scrollbar_has_a_column_of_its_own_against_the_frame() -> None:
    app = make_app(**RUNS["four inputs and a bias"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        panel = panel_of(app)
        assert panel.max_scroll_y > 0  # this run scrolls even folded
        bar = panel.vertical_scrollbar.region
        text_column = panel.scrollable_content_region
        assert bar.width == 1 and bar.height > 0
        assert bar.x == panel.region.right - 2  # the column just inside the right border
        assert text_column.right <= bar.x  # never over the text
        # And on screen: nothing but the bar's own glyphs in its column.
        for row in screen_text(app).splitlines()[bar.y : bar.bottom]:
            assert not row[bar.x].isalnum() and row[bar.x] not in "=[]()-.,"
