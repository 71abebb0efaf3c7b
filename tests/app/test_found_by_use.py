"""Defects found by using the app, each as the learner met it."""

from __future__ import annotations

from textual.command import CommandList

from calc_tutor.tui.screens.progress import ProgressScreen
from calc_tutor.tui.widgets.choice import ChoiceMenu

from .conftest import SIZE, make_app, region_text, screen_text, wait_until


async def test_stepping_keys_do_not_move_the_session_while_editing() -> None:
    """e, tab to the loss list, 2, shift+tab back, Enter: W must not jump to a stale value."""
    app = make_app(steps=10)
    async with app.run_test(size=SIZE) as pilot:
        w = app.session.params(10)
        await pilot.press("e", *["tab"] * 6)  # the loss list
        await pilot.press("2", "1", "n", "right", "b", "left", "r", "u", "p")  # space opens it
        await pilot.pause(0.2)
        assert app.session.cursor == 10
        assert not app.main.playing
        await pilot.press(*["shift+tab"] * 6, "enter")  # back to W, and apply
        assert app.session.params(app.session.cursor) == w
        assert "nothing changed" in region_text(app, "#status")


async def test_autoplay_pauses_when_editing_starts() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await wait_until(pilot, lambda: app.session.cursor >= 1)
        await pilot.press("e")
        stopped_at = app.session.cursor
        await pilot.pause(1.0)
        assert not app.main.playing
        assert app.session.cursor == stopped_at
        assert "paused while editing" in region_text(app, "#status")


async def test_no_key_but_q_acts_behind_the_enlarge_request() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert "Please enlarge" in screen_text(app)
        await pilot.press("n", "3", "s", "r", "e", "p", "v", "question_mark")
        assert app.session.cursor == 0
        assert app.main.revealed == 0 and not app.main.playing
        assert app.screen is app.main
        await pilot.resize_terminal(*SIZE)
        await pilot.press("n")
        assert app.session.cursor == 1


async def test_enter_on_a_list_picks_once_and_the_error_stays_visible() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", *["tab"] * 6, "enter")  # the loss list
        assert isinstance(app.screen, ChoiceMenu)
        await pilot.press("down", "down", "enter")  # bce
        await pilot.press("e", *["tab"] * 5, "enter")  # the activation list
        await pilot.press("down", "enter")  # tanh: bce refuses it
        await pilot.pause()
        assert app.screen is app.main  # the list did not open again
        assert "bce" in region_text(app, "#inputs-message")


async def test_the_palette_lists_each_command_once() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        listed = [str(option.prompt).split("\n")[0] for option in
                  app.screen.query_one(CommandList).options]  # fmt: skip
        assert listed
        assert len(listed) == len(set(listed)), listed
        assert sum("Quit" in entry for entry in listed) == 1


async def test_a_long_launch_shows_progress_at_once_and_q_quits() -> None:
    app = make_app(steps=10_000_000)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen), 2.0)
        await pilot.pause()
        assert "Applying" in screen_text(app)
        assert await wait_until(pilot, lambda: app.screen.done > 0, 3.0)
        await pilot.press("q")
        assert await wait_until(pilot, lambda: not app.is_running, 2.0)
    assert app.session.cursor < 10_000_000


async def test_esc_stops_long_work_where_it_got_to_and_shows_that_update() -> None:
    app = make_app(steps=10_000_000)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen), 2.0)
        assert await wait_until(pilot, lambda: app.screen.done > 0, 3.0)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is app.main, 3.0)
        await pilot.pause()
        cursor = app.session.cursor
        assert 0 < cursor < 10_000_000
        status = region_text(app, "#status").replace(",", "")
        assert f"Step {cursor}" in status or f"update {cursor}" in status
        assert f"stopped at update {cursor:,}" in region_text(app, "#status")
        await pilot.press("n")  # keys act again
        assert app.session.cursor == cursor + 1


async def test_a_launch_that_fits_in_a_moment_needs_no_progress_screen() -> None:
    app = make_app(steps=50)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen is app.main
        assert app.session.cursor == 50


async def test_a_full_history_says_so_instead_of_a_silent_stop() -> None:
    from calc_tutor.core.session import HistoryLimits, Session

    app = make_app()
    app.session = Session(app.session.model, limits=HistoryLimits(updates=50))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # 100 updates asked, 50 fit
        await pilot.pause()
        assert app.session.cursor == 50
        assert "history full" in region_text(app, "#status")
        assert not isinstance(app.screen, ProgressScreen)


async def test_a_long_launch_counts_every_update_it_applied() -> None:
    """--steps N, part before the first frame and the rest behind the bar: the status says +N,
    not just the worker's share."""
    from .test_network_mode import network_app

    app = network_app(steps=30_000)  # the network: far more than the launch's tenth of a second
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_until(pilot, lambda: app.session.cursor == 30_000, 60.0)
        assert await wait_until(pilot, lambda: app.screen is app.main, 5.0)
        await pilot.pause()
        assert "+30,000 updates" in region_text(app, "#status")
