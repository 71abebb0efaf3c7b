"""The main screen: every key in the command table does what it says, on the session and on screen."""

from __future__ import annotations

import pytest

from calc_tutor.core.derivation import derive
from calc_tutor.tui.plots import PLOT_TITLES, PLOT_VIEWS
from calc_tutor.tui.screens.main import RATES
from calc_tutor.tui.widgets.derivation import DerivationPanel
from calc_tutor.tui.widgets.plot import PlotPanel

from .conftest import SIZE, make_app, region_text, screen_text, wait_until

# A run that diverges within a few updates: a linear neuron, squared error, a huge α.
DIVERGING = {"w": (1.0,), "activation": "linear", "loss": "mse", "lr": 10.0}


async def test_start_shows_a_preview_of_step_one() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the panels fill in once they know their size
        text = screen_text(app)
        assert app.session.cursor == 0
        assert "Step 1 (preview) · n applies it" in text
        # The status line speaks of the same update as the derivation: step 1, not yet taken.
        assert "Step 1 (preview) · W 0.5 → 0.5393 · loss before 0.2689 · after 0.2538" in text


async def test_three_steps_show_step_3_gradient_and_update_without_scrolling() -> None:
    """The newcomer's check: --w 0.5 --x 2 --lr 0.1, n three times, at 80×24."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "n")
        text = screen_text(app)
        assert app.session.cursor == 3
        assert "Step 3 · W 0.5772 → 0.6136" in text
        assert "dLoss/dW = -1 · y(1 - y) · X" in text
        assert "= (-1) × 0.18224 × 2 = -0.364475" in text
        assert "W ← W - α·dLoss/dW" in text
        assert "= 0.5772 - 0.1 × (-0.3645) = 0.613643" in text
        panel = app.main.query_one(DerivationPanel)
        assert panel.max_scroll_y == 0  # all of it on screen: nothing to scroll to


@pytest.mark.parametrize("key", ["n", "space", "right"])
async def test_step_keys_apply_one_update(key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert app.session.cursor == 1
        assert "Step 1 · W 0.5 → 0.5393" in screen_text(app)


@pytest.mark.parametrize("key", ["s", "full_stop"])
async def test_line_keys_reveal_one_line_at_a_time_then_apply(key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        text = screen_text(app)
        assert app.session.cursor == 0
        assert "Step 1 · line 1 of 10" in text
        assert "z = W·X = 0.5 × 2 = 1" in text
        assert "The weighted sum: each input times" in text
        assert "y = σ(z)" not in text  # the next line is not revealed yet

        await pilot.press(*[key] * 4)
        text = screen_text(app)
        assert "Step 1 · line 5 of 10" in text
        assert "dy/dz = y(1 - y)" in text
        note = derive(app.session.model, app.session.preview(), 1).lines[4].note
        assert " ".join(note.split()[:4]) in " ".join(text.split())  # the latest line's note
        assert "The weighted sum" not in text  # earlier notes make room at 80×24

        await pilot.press(*[key] * 5)  # the tenth line: the update itself is applied
        await pilot.pause()  # the panel scrolls to the note once the layout has settled
        text = screen_text(app)
        assert app.session.cursor == 1
        assert app.main.revealed == 0
        assert "Step 1 · W 0.5 → 0.5393" in text
        assert "Gradient descent: step against the" in text


async def test_step_during_a_walk_through_applies_the_update_at_once() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "n")
        assert app.session.cursor == 1
        assert app.main.revealed == 0
        assert "Step 1 · W 0.5 → 0.5393" in screen_text(app)


async def test_back_cancels_a_walk_through_before_stepping_back() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "s", "s", "b")
        assert (app.session.cursor, app.main.revealed) == (1, 0)
        assert "walk-through cancelled" in screen_text(app)
        await pilot.press("b")
        assert app.session.cursor == 0


@pytest.mark.parametrize("key", ["b", "left"])
async def test_back_keys_go_back_one_update_as_far_as_the_start(key: str) -> None:
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert app.session.cursor == 2
        assert "Step 2 · W 0.5393 → 0.5772" in screen_text(app)
        await pilot.press(key, key)
        assert app.session.cursor == 0
        await pilot.press(key)
        assert app.session.cursor == 0
        assert "already at the start" in screen_text(app)
        assert app.session.length == 3  # going back keeps the history: n replays it
        await pilot.press("n")
        assert app.session.cursor == 1


@pytest.mark.parametrize(("key", "count"), [("1", 10), ("2", 100), ("3", 1000)])
async def test_fast_forward_keys(key: str, count: int) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert app.session.cursor == count
        text = screen_text(app)
        assert f"Step {count} · W" in text
        assert f"+{count} updates" in text


async def test_play_runs_updates_until_paused() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus", "plus", "p")
        assert app.main.playing
        assert "playing 8/s" in screen_text(app)
        assert await wait_until(pilot, lambda: app.session.cursor >= 3)
        await pilot.press("p")
        assert not app.main.playing
        assert app.main.autoplay is None
        assert "playing" not in region_text(app, "#status")
        stopped_at = app.session.cursor
        await pilot.pause(0.3)
        assert app.session.cursor == stopped_at


async def test_slower_and_faster_change_the_autoplay_rate_within_bounds() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        start = app.main.rate
        await pilot.press("plus")
        assert app.main.rate > start
        await pilot.press("minus", "minus")
        assert app.main.rate < start
        await pilot.press(*["minus"] * len(RATES))
        assert app.main.rate == RATES[0]
        assert f"autoplay {RATES[0]:g}/s" in region_text(app, "#status")
        await pilot.press(*["equals_sign"] * (len(RATES) + 1))  # + without shift
        assert app.main.rate == RATES[-1]


async def test_faster_while_playing_restarts_the_timer_at_the_new_rate() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        first = app.main.autoplay
        await pilot.press("plus")
        assert app.main.autoplay is not None and app.main.autoplay is not first
        await pilot.press("p")


async def test_reset_returns_to_the_start_and_undo_brings_the_history_back() -> None:
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert (app.session.cursor, app.session.length) == (0, 0)
        assert "Step 1 (preview)" in screen_text(app)
        await pilot.press("u")
        assert (app.session.cursor, app.session.length) == (3, 3)
        assert "Step 3 · W 0.5772 → 0.6136" in screen_text(app)
        await pilot.press("u")
        assert "nothing to undo" in screen_text(app)


async def test_view_key_cycles_the_plot_views_in_order() -> None:
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        plot = app.main.query_one(PlotPanel)
        for view in (*PLOT_VIEWS[1:], PLOT_VIEWS[0]):
            await pilot.press("v")
            assert app.main.view == view
            assert plot.view == view
            assert plot.border_title == PLOT_TITLES[view]
            assert PLOT_TITLES[view][:20] in screen_text(app)  # a narrow panel may cut the rest


async def test_edit_focuses_the_inputs_and_escape_leaves_them_restored() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        field = app.main.inputs.field("w")
        assert app.focused is field
        await pilot.press("ctrl+u", "9", "n")  # typed, not stepped: the inputs have the keys
        assert field.value == "9n"
        assert app.session.cursor == 0
        await pilot.press("escape")
        assert field.value == "0.5"
        assert isinstance(app.focused, DerivationPanel)
        await pilot.press("n")
        assert app.session.cursor == 1


async def test_escape_outside_the_inputs_does_nothing() -> None:
    app = make_app(steps=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        assert app.session.cursor == 2
        assert app.screen is app.main


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_quit_keys_end_the_app(key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_forward_keys_stop_at_a_divergence_and_say_why() -> None:
    app = make_app(**DIVERGING)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        divergence = app.session.divergence
        assert divergence is not None
        assert app.session.cursor == divergence.step
        for key in ("n", "space", "right", "s", "1", "2", "3", "p"):
            await pilot.press(key)
            assert app.session.cursor == divergence.step
            assert not app.main.playing
        assert "can't go on: diverged" in region_text(app, "#status")
        why = region_text(app, "#divergence")
        assert f"Diverged at step {divergence.step}: α too large" in why
        assert "Press b to go back, e to edit (a smaller α), u to undo." in why
        await pilot.press("b")
        assert app.session.cursor == divergence.step - 1


async def test_autoplay_stops_by_itself_at_a_divergence() -> None:
    app = make_app(**DIVERGING)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["plus"] * len(RATES), "p")
        assert await wait_until(pilot, lambda: not app.main.playing)
        assert app.session.at_divergence
        assert "autoplay stopped" in region_text(app, "#status")
        assert f"Diverged at step {app.session.divergence.step}" in region_text(app, "#divergence")


async def test_steps_flag_opens_with_updates_done() -> None:
    app = make_app(steps=50)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.cursor == 50
        assert "Step 50 · W" in screen_text(app)
