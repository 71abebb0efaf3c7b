"""Plots never crash or hang, whatever the numbers: each repro from the bug report by name, then
every view driven with arbitrary floats, each call timed and its output's shape checked."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from calc_tutor.core.config import ConfigError, MlpConfig, NeuronConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import Session
from calc_tutor.tui import plots
from calc_tutor.tui.plots import PLOT_VIEWS, plot_text

SECONDS_PER_CALL = 2.0  # generous: a plot takes about 10 ms; a hang takes forever
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def timed_plot(view: str, session: Session, width: int, height: int, **options) -> str:
    """plot_text, checked for time and for shape: ``height`` lines of at most ``width`` cells."""
    started = time.perf_counter()
    text = plot_text(view, session, width, height, **options)
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS_PER_CALL, f"{view} took {elapsed:.2f} s"
    lines = text.split("\n") if height > 0 else []
    assert len(lines) == max(height, 0), (view, width, height)
    assert all(cell_len(line) <= width for line in lines), (view, width, height)
    if options.get("ascii_only"):
        assert text.isascii(), text
    return text


def session_of(updates: int = 0, **config: object) -> Session:
    session = Session(Neuron(NeuronConfig(**config)))  # type: ignore[arg-type]
    session.forward(updates)
    return session


def drawn(text: str) -> bool:
    """A plot was drawn (a frame), not a message."""
    return "┌" in text or "+--" in text


# ---- the repros, by name ---------------------------------------------------------------------


def test_w_1e17_then_v_draws_the_flat_loss_curve():
    """calc-tutor --w 1e17 --x 1, then v: W ± 3/X rounded to zero width (ZeroDivisionError)."""
    session = session_of(w=(1e17,), x=(1.0,))
    text = timed_plot("loss-vs-w", session, 30, 11)
    assert drawn(text) and "1e+17" in text


def test_lr_1e17_then_n_v_draws_both_updates():
    """calc-tutor --lr 1e17, then n v: the second update starts at W ≈ 4e16."""
    session = session_of(1, lr=1e17)
    for step in (None, 1, 2):
        for view in PLOT_VIEWS:
            timed_plot(view, session, 30, 11, step=step)
    assert drawn(timed_plot("loss-vs-w", session, 30, 11, step=2))


def test_an_edited_w_of_1e17_draws():
    session = session_of(2)
    session.branch(Neuron(NeuronConfig(w=(1e17,))))
    for view in PLOT_VIEWS:
        timed_plot(view, session, 30, 11, step=session.length + 1)


def test_bias_1e17_then_v_v_draws_the_saturated_activation():
    """calc-tutor --bias 1e17 --w 0.5 --x 1, then v v: z = 1e17 in the activation view."""
    session = session_of(b=1e17, w=(0.5,), x=(1.0,))
    text = timed_plot("activation", session, 30, 11)
    assert drawn(text) and "1e+17" in text


def test_linear_mse_lr_1e308_two_steps_does_not_overflow():
    """calc-tutor --activation linear --loss mse --lr 1e308 --x 1 --steps 2: OverflowError."""
    session = session_of(2, activation="linear", loss="mse", target=0.0, lr=1e308, x=(1.0,))
    for view in PLOT_VIEWS:
        for step in (None, 1, session.length + 1):
            timed_plot(view, session, 30, 11, step=step)


@pytest.mark.parametrize(
    "losses",
    [[0.0, -4e305], [0.0, 4e305], [1.0, 1.7976931348623157e308], [-1.7e308, 1.7e308],
     [5e-324, -0.0], [0.25, 0.25], [1.0, math.inf, math.nan, 2.0]],
)  # fmt: skip
def test_extreme_losses_draw_in_bounded_time(monkeypatch, losses):
    """calc-tutor --activation linear --lr 1e305 --steps 2: losses like [0, −4e305] made plotext
    build a matrix the size of the range (100% CPU, gigabytes) and never return."""
    session = session_of(len(losses))
    history = np.array(losses, dtype=np.float64)
    monkeypatch.setattr(session, "losses", lambda: history)
    session.goto(len(losses))
    for step in range(1, len(losses) + 1):
        text = timed_plot("loss", session, 30, 11, step=step)
        if math.isfinite(losses[step - 1]):
            assert "●" in text


def test_a_huge_loss_is_plotted_where_it_is_not_clipped_to_a_smaller_one(monkeypatch):
    session = session_of(2)
    monkeypatch.setattr(session, "losses", lambda: np.array([0.0, 4e305]))
    text = timed_plot("loss", session, 40, 14, step=2)
    assert "4e+305" in text  # the marked loss, in its title
    assert any(label in text for label in ("4e+305", "3e+305", "2e+305")), "a y tick up there"


# ---- any float, any view ---------------------------------------------------------------------

any_float = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0.0, -0.0, 5e-324, -5e-324, 1e-300, 1e17, -1e17, 1e300, 1e305, -1e305, 1.7976931348623157e308]
)
ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky-relu", "linear", "softplus", "silu"]
LOSSES = ["one-minus-y", "mse", "bce"]


positive_float = st.floats(min_value=5e-324, allow_infinity=False) | st.sampled_from(
    [5e-324, 1e-300, 1e17, 1e300, 1e305, 1e308]
)


@st.composite
def training(draw) -> dict:
    """An activation, a loss, a target and α the config accepts (mostly), from any floats."""
    loss = draw(st.sampled_from(LOSSES))
    if loss == "bce":
        activation, target = "sigmoid", draw(st.floats(0.0, 1.0))
    elif loss == "one-minus-y":
        activation, target = draw(st.sampled_from(["sigmoid", "tanh"])), 1.0
    else:
        activation, target = draw(st.sampled_from(ACTIVATIONS)), draw(any_float)
    return {"activation": activation, "loss": loss, "target": target, "lr": draw(positive_float)}


@st.composite
def sessions(draw) -> Session:
    """A session from arbitrary numbers, a few updates in, with the cursor anywhere."""
    features = draw(st.integers(1, 3))
    x = tuple(draw(any_float) for _ in range(features))
    if draw(st.integers(0, 5)) == 0:
        make, config = Mlp, MlpConfig(x=x, **draw(training()))
    else:
        w = tuple(draw(any_float) for _ in range(features))
        bias = draw(st.none() | any_float)
        make, config = Neuron, NeuronConfig(w=w, x=x, b=bias, **draw(training()))
    try:
        model = make(config)
    except ConfigError:
        model = make(type(config)())  # an input the app refuses: the default stands in
    session = Session(model)
    session.forward(draw(st.integers(0, 4)))
    session.goto(draw(st.integers(0, session.length)))
    return session


@PROPERTY_SETTINGS
@given(
    session=sessions(),
    view=st.sampled_from(PLOT_VIEWS),
    width=st.integers(0, 160),
    height=st.integers(0, 60),
    ascii_only=st.booleans(),
    step=st.none() | st.integers(-2, 8),
)
def test_any_numbers_any_size_any_step_give_a_plot_of_the_size_asked(
    session, view, width, height, ascii_only, step
):
    timed_plot(view, session, width, height, ascii_only=ascii_only, step=step)


@PROPERTY_SETTINGS
@given(
    losses=st.lists(
        any_float | st.sampled_from([math.inf, -math.inf, math.nan]), min_size=1, max_size=300
    ),
    width=st.integers(20, 120),
    height=st.integers(6, 40),
    data=st.data(),
)
def test_any_loss_history_draws_in_bounded_time(losses, width, height, data):
    session = session_of(len(losses))
    history = np.array(losses, dtype=np.float64)
    session.losses = lambda: history  # this one session's history, replaced by the drawn one
    step = data.draw(st.integers(1, len(losses) + 1))
    timed_plot("loss", session, width, height, step=step)


@PROPERTY_SETTINGS
@given(
    low=any_float, high=any_float, count=st.integers(0, 40), integer=st.booleans()
)
def test_ticks_never_overflow_and_stay_inside_their_range(low, high, count, integer):
    low, high = min(low, high), max(low, high)
    started = time.perf_counter()
    ticks = plots.nice_ticks(low, high, count, integer=integer)
    assert time.perf_counter() - started < SECONDS_PER_CALL
    assert len(ticks) <= max(count, 1) + 1
    assert all(low <= tick <= high for tick in ticks)
    if low < high:
        positions, labels = plots.axis_ticks((low, high), count, integer=integer)
        assert len(labels) == len(set(labels)) == len(positions) >= 1
