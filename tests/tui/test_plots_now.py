"""One "now": every view draws the update the derivation shows (its W, z, slopes and the loss
before it), and the defects a learner saw: a single loss on a far gridline, a stray rule at the
right edge, a tangent of scattered dots, panel titles cut at 80×24."""

from __future__ import annotations

import math
import re

import pytest

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_plain
from calc_tutor.core.session import Session
from calc_tutor.tui import plots
from calc_tutor.tui.plots import PLOT_TITLES, PLOT_VIEWS, plot_text

# The views drawn as a chart in a frame (attribution is signed bars and text).
# Views drawn as a chart for a model without a dataset (the rest draw text, or need --data).
CHART_VIEWS = tuple(view for view in PLOT_VIEWS
                    if view not in ("attribution", "network", "decision", "mean-loss"))

NEWCOMER = {"w": (0.5,), "x": (2.0,), "lr": 0.1}  # calc-tutor --w 0.5 --x 2 --lr 0.1
SIDE_COLUMN = 30  # the plot's size inside the side column at 80×24
PLOT_ROWS = 10
NARROW_SIDE_COLUMN = 24  # at 64–79 columns


def newcomer(updates: int) -> Session:
    session = Session(Neuron(NeuronConfig(**NEWCOMER)))
    session.forward(updates)
    return session


def dashless(text: str) -> str:
    return text.replace("\u2212", "-")


def title(text: str) -> str:
    return dashless(text.split("\n")[0])


def inside_frame(text: str) -> list[str]:
    """The rows inside plotext's frame, without the frame."""
    rows = text.split("\n")
    top = next(i for i, row in enumerate(rows) if "┌" in row)
    bottom = next(i for i, row in enumerate(rows) if "└" in row)
    left, right = rows[top].index("┌"), rows[top].rindex("┐")
    return [row[left + 1 : right] for row in rows[top + 1 : bottom]]


def cell_of(rows: list[str], glyph: str) -> tuple[int, int]:
    ((row, column),) = [(r, line.index(glyph)) for r, line in enumerate(rows) if glyph in line]
    return row, column


# ---- the update shown ------------------------------------------------------------------------


def test_after_three_updates_loss_vs_w_shows_update_3_where_it_started_and_landed():
    session = newcomer(3)
    shown = session.record(3)  # what the derivation shows: dLoss/dW = -0.364475
    text = plot_text("loss-vs-w", session, 60, 16)
    heading = title(text)
    assert f"W {dashless(fmt_plain(session.params(2)[0]))}," in heading  # where update 3 began
    assert f"dLoss/dW {dashless(fmt_plain(shown.dloss_dw[0]))}" in heading
    assert f"○ {fmt_plain(session.params(3)[0])}" in heading  # where it landed
    rows = inside_frame(text)
    (_, start), (_, landing) = cell_of(rows, "●"), cell_of(rows, "○")
    assert start < landing  # dLoss/dW < 0: W moved right, if only by less than a cell


def test_after_three_updates_the_activation_view_shows_update_3s_z_and_slope():
    session = newcomer(3)
    shown = session.record(3)
    heading = title(plot_text("activation", session, 60, 16))
    assert f"z {fmt_plain(shown.z)}," in heading
    assert f"dy/dz {fmt_plain(shown.dy_dz)}" in heading


def test_after_three_updates_the_loss_view_marks_the_loss_before_update_3():
    session = newcomer(3)
    text = plot_text("loss", session, SIDE_COLUMN, PLOT_ROWS)
    loss_before = 1 - 1 / (1 + math.exp(-session.params(2)[0] * 2.0))  # Loss = 1 − σ(W·X)
    assert f"before update 3: {loss_before:.4f}" in title(text)


@pytest.mark.parametrize("view", PLOT_VIEWS)
def test_a_step_given_wins_over_the_cursor(view):
    session = newcomer(3)
    if view not in ("loss", "layers"):  # these also draw the history after it
        assert plot_text(view, session, 60, 16, step=1) == plot_text(
            view, newcomer(1), 60, 16, step=1
        )
    session.back(2)  # cursor 1: the derivation shows update 1
    assert plot_text(view, session, 60, 16) == plot_text(view, session, 60, 16, step=1)


def test_the_next_update_not_applied_yet_can_be_shown():
    session = newcomer(3)
    preview = session.preview()  # update 4, from the parameters after update 3
    heading = title(plot_text("loss-vs-w", session, 60, 16, step=4))
    assert f"dLoss/dW {dashless(fmt_plain(preview.dloss_dw[0]))}" in heading
    loss_heading = title(plot_text("loss", session, 60, 16, step=4))
    assert f"next update (4): loss before it {fmt_plain(preview.loss)}" in loss_heading


def test_before_any_update_the_views_show_update_1():
    session = newcomer(0)
    first = session.preview()
    assert f"dLoss/dW {dashless(fmt_plain(first.dloss_dw[0]))}" in title(
        plot_text("loss-vs-w", session, 60, 16)
    )
    assert f"z {fmt_plain(first.z)}," in title(plot_text("activation", session, 60, 16))


@pytest.mark.parametrize("step", [-5, 0, 99])
def test_a_step_outside_the_history_is_brought_inside(step):
    session = newcomer(3)
    nearest = 1 if step < 1 else session.length + 1
    assert plot_text("loss-vs-w", session, 60, 16, step=step) == plot_text(
        "loss-vs-w", session, 60, 16, step=nearest
    )


# ---- a single loss, the stray rule, the tangent ----------------------------------------------


def y_labels(rows: list[str]) -> dict[int, float]:
    """Row index → the y tick label on that row (the number left of the frame's ┤)."""
    labels = {}
    for index, row in enumerate(rows):
        match = re.match(r"\s*(\S+)┤", dashless(row))
        if match:
            labels[index] = float(match.group(1))
    return labels


@pytest.mark.parametrize("size", [(SIDE_COLUMN, PLOT_ROWS), (40, 14), (46, 27)])
def test_one_update_puts_its_loss_on_a_gridline_of_its_own_value(size):
    session = newcomer(1)
    loss = session.losses()[0]  # 0.2689: with ticks at 0 and 0.5 it read as 0.5
    rows = plot_text("loss", session, *size).split("\n")
    (point_row,) = [index for index, row in enumerate(rows) if "●" in row and "┤" in row]
    assert y_labels(rows) == {point_row: pytest.approx(loss, rel=1e-3)}


@pytest.mark.parametrize("view", CHART_VIEWS)
@pytest.mark.parametrize("size", [(SIDE_COLUMN, PLOT_ROWS), (46, 27)])
def test_no_vertical_rule_runs_down_inside_the_frame(view, size):
    session = newcomer(3)
    text = plot_text(view, session, *size)
    top = next(row for row in text.split("\n") if "┌" in row)
    assert "┬" not in top, "a rule crossing the top of the frame"
    rows = inside_frame(text)
    for column in range(len(rows[0])):
        assert not all(row[column] in "│┼" for row in rows), f"a rule down column {column}"


def test_the_tangent_is_a_line_of_one_glyph_not_scattered_dots():
    session = newcomer(0)  # z = 1: the sigmoid's tangent rises, slope 0.1966
    text = plot_text("activation", session, 60, 20)
    body = "".join(inside_frame(text))
    assert "·" not in body
    assert body.count("╱") >= 8, "the tangent, drawn rising"
    assert not set("─╲│") & set(body)


def test_the_tangent_runs_through_the_point_it_touches():
    chart = plots.Chart((0.0, 10.0), (0.0, 5.0))
    chart.points.append(((4.0, 2.0), "●"))
    chart.tangent = ((0.0, 0.0), (1.0, 0.8))  # unit box: through (0.4, 0.4), the point's place
    plots.load_plotting()
    rows = inside_frame(plots.draw_chart(chart, 40, 14, plots.UNICODE_GLYPHS))
    row, column = cell_of(rows, "●")
    neighbours = [rows[r][c] for r in (row - 1, row, row + 1) for c in (column - 1, column + 1)
                  if 0 <= r < len(rows) and 0 <= c < len(rows[0])]  # fmt: skip
    assert set("─╱╲│") & set(neighbours)


def test_a_tangent_on_a_blank_canvas_has_no_gap():
    plots.load_plotting()
    for segment in [((0.0, 0.1), (1.0, 0.9)), ((0.0, 1.0), (0.3, 0.0)), ((0.2, 0.5), (0.9, 0.5)),
                    ((0.5, 0.0), (0.5, 1.0))]:  # fmt: skip
        chart = plots.Chart((0.0, 1.0), (0.0, 1.0), tangent=segment)
        rows = inside_frame(plots.draw_chart(chart, 40, 14, plots.ASCII_GLYPHS))
        cells = sorted((c, r) for r, row in enumerate(rows) for c, ch in enumerate(row)
                       if ch in "-/\\|")  # fmt: skip
        columns = sorted({c for c, _ in cells})
        assert columns == list(range(columns[0], columns[-1] + 1)), segment
        for left, right in zip(columns, columns[1:]):
            left_rows = {r for c, r in cells if c == left}
            right_rows = {r for c, r in cells if c == right}
            assert min(abs(a - b) for a in left_rows for b in right_rows) <= 1, segment


# ---- titles ----------------------------------------------------------------------------------


def test_panel_titles_fit_beside_the_frame_of_the_narrowest_side_column():
    # The side column is 26 cells at 64–79 columns; "╭─ " and " ─╮" take 6 of them.
    assert all(len(name) <= 26 - 6 for name in PLOT_TITLES.values())


@pytest.mark.parametrize("view", PLOT_VIEWS)
@pytest.mark.parametrize("updates", [0, 1, 3, 120])
def test_every_label_in_ascii_mode_is_ascii(view, updates):
    session = newcomer(updates)
    for step in (None, 1, session.length + 1):
        text = plot_text(view, session, SIDE_COLUMN, 16, ascii_only=True, step=step)
        assert text.isascii(), text


@pytest.mark.parametrize("view", CHART_VIEWS)
@pytest.mark.parametrize("width", [SIDE_COLUMN, NARROW_SIDE_COLUMN])
def test_the_first_title_row_says_the_numbers_at_the_side_columns_width(view, width):
    """In the side column the title row still gives the update's slope, or its loss before."""
    session = newcomer(3)
    shown = session.record(3)
    heading = title(plot_text(view, session, width, PLOT_ROWS))
    number = {"loss": shown.loss, "loss-vs-w": shown.dloss_dw[0], "activation": shown.dy_dz,
              "slopes": shown.dy_dz, "layers": abs(shown.dloss_dw[0])}  # fmt: skip
    assert dashless(fmt_plain(number[view])) in heading
    words = {"loss": "before", "loss-vs-w": "dLoss/dW", "activation": "dy/dz", "slopes": "σ′",
             "layers": "|dLoss/dW|"}  # fmt: skip
    assert words[view] in heading
