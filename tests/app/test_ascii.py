"""--ascii means ASCII everywhere: every view and screen of the app, driven by keys."""

from __future__ import annotations

from calc_tutor.tui.screens.progress import ProgressScreen

from .conftest import SIZE, make_app, raw_screen_text

# One tour of the app: stepping, a walk-through, every plot view, the inputs and a choice list,
# an input error, help, the palette, the size request, and a run that diverges.
TOUR = (
    ("start", ()),
    ("steps", ("n", "n", "n")),
    ("walk-through", ("s", "s", "s", "s", "s")),
    ("loss view", ("b", "v")),
    ("loss-vs-W view", ("v",)),
    ("activation view", ("v",)),
    ("inputs", ("e",)),
    ("input error", ("ctrl+u", *"0.5,1", "enter")),
    ("choice list", ("escape", "e", "tab", "tab", "tab", "tab", "tab", "enter")),
    ("help", ("escape", "escape", "question_mark")),
    ("palette", ("escape", "ctrl+p")),
    ("palette search", tuple("undo")),
)


def non_ascii(text: str) -> set[str]:
    return {char for char in text if not char.isascii()}


async def test_ascii_mode_shows_only_ascii_on_every_view_and_screen() -> None:
    app = make_app(ascii_only=True, b=0.1, x=(2.0, 1.0), w=(0.5, -0.25))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for name, keys in TOUR:
            await pilot.press(*keys)
            await pilot.pause()
            assert non_ascii(raw_screen_text(app)) == set(), name
        await pilot.press("escape")
        await pilot.resize_terminal(50, 15)  # the size request
        await pilot.pause()
        assert "Please enlarge" in raw_screen_text(app)
        assert non_ascii(raw_screen_text(app)) == set()


async def test_ascii_mode_divergence_and_progress_are_ascii() -> None:
    app = make_app(ascii_only=True, w=(1.0,), activation="linear", loss="mse", lr=10.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"nnnnnnnnnnnn")
        assert app.session.at_divergence
        assert non_ascii(raw_screen_text(app)) == set()
    app = make_app(ascii_only=True, steps=10_000_000)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert isinstance(app.screen, ProgressScreen)
        assert non_ascii(raw_screen_text(app)) == set()
        await pilot.press("q")


async def test_ascii_mode_predict_mode_the_lesson_menu_and_a_lesson_are_ascii() -> None:
    app = make_app(ascii_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k", "5", "enter")  # predict mode, with a wrong answer's hint
        await pilot.pause()
        assert non_ascii(raw_screen_text(app)) == set(), "predict mode"
        await pilot.press("escape", "l")
        await pilot.pause()
        assert non_ascii(raw_screen_text(app)) == set(), "lesson menu"
        await pilot.press("enter")  # lesson 1
        await pilot.pause()
        main = app.screen
        assert main.lesson is not None
        assert non_ascii(raw_screen_text(app)) == set(), "lesson"
        await pilot.press("escape")  # its answer shown, with why
        await pilot.pause()
        assert non_ascii(raw_screen_text(app)) == set(), "lesson, an answer shown"
