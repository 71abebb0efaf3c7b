"""The plot panel's text: its exact size at every panel size, no escape codes, pure ASCII on
request, the shown update marked, a bounded number of points at any history length, and no
crash on an empty or diverged session."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import plotext
import pytest
from rich.cells import cell_len

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import Session
from calc_tutor.tui import plots
from calc_tutor.tui.plots import PLOT_TITLES, PLOT_VIEWS, plot_text

# The views drawn as a chart in a frame (attribution is signed bars and text).
# Views drawn as a chart for a model without a dataset (the rest draw text, or need --data).
CHART_VIEWS = tuple(view for view in PLOT_VIEWS
                    if view not in ("attribution", "network", "decision", "mean-loss"))

SIZES = [(0, 0), (1, 1), (5, 2), (9, 3), (19, 5), (20, 6), (24, 7), (30, 8), (40, 11), (40, 12),
         (40, 14), (80, 24), (120, 40), (300, 100)]  # fmt: skip


def session_after(model, updates: int) -> Session:
    session = Session(model)
    session.forward(updates)
    return session


def seed_session(updates: int = 30) -> Session:
    return session_after(Neuron(NeuronConfig()), updates)


def exploding_session() -> Session:
    """Stopped by the growth check: every stored loss is finite but they grow ×10⁷."""
    model = Neuron(NeuronConfig(activation="linear", loss="mse", target=0.0, lr=10.0))
    return session_after(model, 500)


def overflowing_session() -> Session:
    """The last loss is inf and the weight that follows it is inf as well."""
    model = Neuron(NeuronConfig(activation="linear", loss="mse", target=0.0, lr=1e200, w=(1e100,)))
    return session_after(model, 50)


def infinite_session() -> Session:
    """z = 1e200 × 1e200 overflows: the first loss is inf and the next weight -inf."""
    model = Neuron(NeuronConfig(activation="linear", loss="mse", target=0.0, w=(1e200,),
                                x=(1e200,)))  # fmt: skip
    return session_after(model, 50)


SESSIONS = {
    "empty": lambda: seed_session(0),
    "seed": seed_session,
    "two features and a bias": lambda: session_after(
        Neuron(NeuronConfig(w=(0.5, -0.25), x=(1.0, 2.0), b=0.1, activation="tanh", loss="mse",
                            target=0.3)), 12),  # fmt: skip
    "mlp": lambda: session_after(Mlp(MlpConfig()), 20),
    "exploding": exploding_session,
    "overflowing": overflowing_session,
    "infinite": infinite_session,
}


def canvas(text: str) -> list[str]:
    """The plot's rows without the title line and the x-label line."""
    return text.split("\n")[1:-1]


def column_of(text: str, glyph: str) -> int:
    (column,) = {line.index(glyph) for line in canvas(text) if glyph in line}
    return column


def plain_minus(text: str) -> str:
    return text.replace("−", "-")


# ---- size, escape codes and ASCII ------------------------------------------------------------


@pytest.mark.parametrize("name", SESSIONS)
@pytest.mark.parametrize("view", PLOT_VIEWS)
def test_every_size_gives_exactly_the_lines_asked_for_and_no_escape_codes(name, view):
    session = SESSIONS[name]()
    steps = (None, 1, session.length + 1)
    for (width, height), ascii_only, step in itertools.product(SIZES, (False, True), steps):
        text = plot_text(view, session, width, height, ascii_only=ascii_only, step=step)
        where = f"{view} {name} {width}x{height} ascii={ascii_only} step={step}"
        lines = text.split("\n") if height else []
        assert len(lines) == height, where
        assert all(cell_len(line) <= width for line in lines), where
        assert "\x1b" not in text, where
        if ascii_only:
            assert text.isascii(), where


@pytest.mark.parametrize("view", CHART_VIEWS)
def test_a_roomy_plot_fills_its_width_with_a_frame(view):
    text = plot_text(view, seed_session(), 80, 24)
    assert all(cell_len(line) == 80 for line in text.split("\n"))
    assert "┌" in text and "┘" in text


@pytest.mark.parametrize("view", CHART_VIEWS)
def test_ascii_mode_swaps_braille_and_box_drawing_for_plain_characters(view):
    session = session_after(Mlp(MlpConfig()), 20)
    unicode_text = plot_text(view, session, 60, 16)
    ascii_text = plot_text(view, session, 60, 16, ascii_only=True)
    if view not in ("slopes", "layers"):  # these draw each curve with its own letter or digit
        assert any("\u2800" <= char <= "\u28ff" for char in unicode_text), "braille by default"
    assert not unicode_text.isascii() and ascii_text.isascii()
    assert "+" in ascii_text and "|" in ascii_text and "-" in ascii_text  # the frame survives
    assert ascii_text.count("\n") == unicode_text.count("\n")


@pytest.mark.parametrize("size", [(7, 2), (19, 12), (40, 5)])
def test_a_panel_too_small_to_plot_says_so_instead(size):
    width, height = size
    text = plot_text("loss", seed_session(), width, height)
    assert "enlarge" in text and "┌" not in text


def test_a_sliver_too_narrow_for_a_word_stays_blank():
    assert plot_text("loss", seed_session(), 5, 2) == "     \n     "


def test_an_unknown_view_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown plot view"):
        plot_text("surface", seed_session(), 40, 14)


def test_every_view_has_a_title():
    assert set(PLOT_TITLES) == set(PLOT_VIEWS) and all(PLOT_TITLES.values())


# ---- the loss per step -----------------------------------------------------------------------


def test_before_any_update_the_loss_view_says_the_first_loss_in_words():
    text = " ".join(plot_text("loss", seed_session(0), 40, 14).split())
    loss = 1 - 1 / (1 + math.exp(-1.0))  # the seed: z = 0.5 × 2, Loss = 1 − σ(z)
    assert f"The loss before update 1 is {loss:.4f}." in text
    assert "Press n" in text and "┌" not in text


def test_the_marked_update_moves_its_point():
    session = seed_session(100)
    at_end = plot_text("loss", session, 60, 16, ascii_only=True)
    session.back(50)
    halfway = plot_text("loss", session, 60, 16, ascii_only=True)
    assert "update 100 of 100" in at_end and "update 50 of 100" in halfway
    end_column, half_column = column_of(at_end, "@"), column_of(halfway, "@")
    assert half_column < end_column
    rows = canvas(halfway)[1:-2]  # inside the frame
    frame_left, frame_right = rows[0].index("|"), rows[0].rindex("|")
    share = (half_column - frame_left) / (frame_right - frame_left)
    assert share == pytest.approx(50 / 100, abs=0.05)


def test_back_at_the_start_of_a_history_the_first_update_is_marked():
    session = seed_session(20)
    session.goto(0)
    text = plot_text("loss", session, 40, 14)
    assert "loss before update 1" in text
    assert "●" in "".join(canvas(text))


def test_the_loss_plot_passes_a_bounded_number_of_points_at_any_history(monkeypatch):
    drawn: list[int] = []
    real_plot = plotext.plot

    def counting_plot(xs, ys, **options):
        drawn.append(len(xs))
        return real_plot(xs, ys, **options)

    monkeypatch.setattr(plots.plt, "plot", counting_plot)
    for history in (10, 1_000, 100_000):
        drawn.clear()
        plot_text("loss", seed_session(history), 40, 14)
        assert sum(drawn) <= 2 * 40, (history, drawn)
    assert sum(drawn) >= 40  # a long history still fills the width


def test_a_single_spike_in_a_long_history_survives_downsampling(monkeypatch):
    session = seed_session(5_000)
    spiked = session.losses().copy()
    spiked[3_999] = 5.0  # step 4,000: one bad update among 5,000
    monkeypatch.setattr(session, "losses", lambda: spiked)
    rows = canvas(plot_text("loss", session, 60, 16, ascii_only=True))[1:-2]  # inside the frame
    top = next(row for row in rows if "*" in row)
    assert rows.index(top) <= 1, "the spike reaches the top of the plot"
    frame_left, frame_right = rows[0].index("|"), rows[0].rindex("|")
    share = (top.index("*") - frame_left) / (frame_right - frame_left)
    assert share == pytest.approx(4_000 / 5_000, abs=0.06)


def test_an_exploding_run_still_plots_its_finite_losses():
    session = exploding_session()
    assert session.divergence is not None
    text = plot_text("loss", session, 50, 14)
    assert "e+07" in "".join(canvas(text))  # the y axis reaches the last, huge loss
    assert "●" in "".join(canvas(text))


def test_a_run_whose_last_loss_is_infinite_says_so():
    session = overflowing_session()
    assert math.isinf(session.losses()[-1])
    text = plot_text("loss", session, 50, 14)
    assert f"the loss before update {session.length} is not finite" in text
    assert "┌" in text, "the finite losses before it are still plotted"


def test_a_run_with_no_finite_loss_explains_itself():
    text = " ".join(plot_text("loss", infinite_session(), 50, 14).split())
    assert "the loss before update 1 is not a finite number: nothing to plot" in text


# ---- L(W) and y(z) ---------------------------------------------------------------------------


def test_loss_vs_w_marks_the_current_w_and_where_the_update_lands():
    session = seed_session(0)  # W = 0.5, dLoss/dW = −0.393, α = 0.5: the step is 0.197 wide
    text = plot_text("loss-vs-w", session, 60, 16, ascii_only=True)
    title = text.split("\n")[0]
    assert "0.5" in title and "-0.3932" in title and "0.6966" in title
    assert column_of(text, "@") < column_of(text, "O")  # dLoss/dW < 0: the update moves W right
    inside = "".join(row[4:-1] for row in canvas(text)[1:-2])  # inside the frame
    assert set("-\\") & set(inside), "the tangent, falling or flat"


def test_loss_vs_w_says_what_it_holds_when_there_are_several_parameters():
    mlp_text = plot_text("loss-vs-w", session_after(Mlp(MlpConfig()), 3), 60, 16)
    assert "W1[1,1] (other weights and biases held)" in mlp_text
    bias_text = plot_text("loss-vs-w", session_after(Neuron(NeuronConfig(b=0.2)), 3), 40, 14)
    assert "W (b held)" in bias_text


def test_activation_view_names_its_curve_and_marks_the_current_z():
    text = plot_text("activation", seed_session(0), 60, 16, ascii_only=True)
    assert "y = sigmoid(z)" in text
    assert "z 1, y 0.7311, dy/dz 0.1966" in text.split("\n")[0]
    assert "@" in "".join(canvas(text))
    mlp_text = plot_text("activation", session_after(Mlp(MlpConfig()), 3), 60, 16)
    assert "h[1] = tanh(z1[1])" in mlp_text


@pytest.mark.parametrize("view", ["loss-vs-w", "activation"])
def test_a_diverged_state_shows_a_message_not_a_plot(view):
    text = plot_text(view, infinite_session(), 50, 14)  # the update after the diverged one
    assert "not a finite number" in text and "┌" not in text


# ---- the global figure -----------------------------------------------------------------------


def test_each_call_starts_from_a_clean_figure():
    session = seed_session(40)
    alone = plot_text("loss", session, 50, 14)
    plot_text("loss-vs-w", session, 70, 20)
    plot_text("activation", session, 30, 9, ascii_only=True)
    assert plot_text("loss", session, 50, 14) == alone


# ---- ticks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "count"),
    [(-0.04, 1.04, 3), (0.537, 3.553, 3), (-5.0, 5.0, 2), (-4000.0, 104000.0, 6),
     (0.2689, 0.2691, 4), (-1e300, 1e300, 4), (1e-9, 3e-9, 3), (-1.7e308, 1.7e308, 5),
     (0.0, 1e-320, 3)],
)  # fmt: skip
def test_ticks_are_round_inside_the_range_and_neither_crowded_nor_lonely(low, high, count):
    ticks = plots.nice_ticks(low, high, count)
    assert all(low <= tick <= high for tick in ticks)
    assert 2 <= len(ticks) <= count + 1
    positions, labels = plots.axis_ticks((low, high), count)
    labels = [plain_minus(label) for label in labels]
    assert 2 <= len(labels) <= count + 1
    assert len(set(labels)) == len(labels), labels  # each tick readable as a different number
    assert all(len(label) <= 10 for label in labels) and "-0" not in labels
    assert all(0 <= position <= 1 for position in positions)


def test_step_ticks_are_whole_numbers():
    assert plots.tick_labels(plots.nice_ticks(-0.04, 1.04, 5, integer=True), integer=True) == [
        "0", "1",
    ]  # fmt: skip


def test_axis_ticks_keep_only_labels_that_can_be_told_apart():
    # Around 1e17 a round step of 1e10 gives ticks the core writes alike ("1e+17"): keep one.
    positions, labels = plots.axis_ticks((1e17 - 1e11, 1e17 + 1e11), 5)
    assert len(labels) == len(set(labels)) >= 1
    assert all(0 <= position <= 1 for position in positions)


def test_the_first_frames_loss_view_loads_no_plotting_library():
    """Startup draws the loss view before any update: it must not pay for numpy and plotext."""
    code = (
        "import sys\n"
        "from calc_tutor.core.config import NeuronConfig\n"
        "from calc_tutor.core.neuron import Neuron\n"
        "from calc_tutor.core.session import Session\n"
        "from calc_tutor.tui.plots import plot_text\n"
        "text = plot_text('loss', Session(Neuron(NeuronConfig())), 30, 10)\n"
        "assert 'before update 1' in ' '.join(text.split()), text\n"
        "print(sorted(m for m in ('numpy', 'plotext') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
