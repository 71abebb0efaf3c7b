"""One table, four views of it: bindings, footer, help screen and command palette agree."""

from __future__ import annotations

import io

from rich.console import Console
from textual.command import CommandPalette
from textual.keys import format_key

from calc_tutor.tui.commands import COMMANDS, key_text
from calc_tutor.tui.screens.help import HelpScreen
from calc_tutor.tui.screens.main import MainScreen

from .conftest import SIZE, make_app, region_text, screen_text


def test_every_command_is_bound_by_id_to_its_keys() -> None:
    bound = {binding.id: binding for binding in MainScreen.BINDINGS}  # type: ignore[union-attr]
    ids = [command.id for command in COMMANDS]
    assert len(set(ids)) == len(ids)  # an id names one command, so a keymap can move it
    assert set(bound) == set(ids)
    for command in COMMANDS:
        binding = bound[command.id]
        assert (binding.key, binding.action, binding.show) == (
            command.keys, command.action, command.footer)  # fmt: skip
        assert hasattr(MainScreen, f"action_{command.action.split('(')[0]}")


async def test_the_footer_shows_each_footer_command_and_its_first_key() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        for command in COMMANDS:
            shown = f"{format_key(command.keys.split(',')[0])} {command.label}"
            if command.footer and command.id != "leave":  # leave shows only while editing
                assert shown in footer
        assert "Slower" not in footer  # not a footer command


async def test_the_footer_offers_escape_while_editing() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert "esc Done" in screen_text(app).splitlines()[-1]


def help_keys_text(app) -> str:
    """The table of keys as laid out at its width on screen (at 80×24 the help scrolls), its
    rows joined."""
    table = app.screen.query_one("#help-keys")
    console = Console(width=table.content_size.width, file=io.StringIO(), color_system=None)
    console.print(table.content)  # the rich Table it was given
    rows = console.file.getvalue().splitlines()
    return " ".join(" ".join(row.split()) for row in rows)


async def test_help_lists_every_command_and_closes_with_escape_question_mark_or_q() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for close in ("escape", "question_mark", "q"):
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            help_text = help_keys_text(app)
            for command in COMMANDS:
                assert command.description in help_text
                assert key_text(command) in help_text
            await pilot.press(close)
            assert isinstance(app.screen, MainScreen)
            assert app.is_running


async def test_keys_of_the_main_screen_do_nothing_under_help() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark", "n", "1", "r")
        assert app.session.cursor == 0
        await pilot.press("escape", "n")
        assert app.session.cursor == 1


async def test_the_palette_lists_every_command_and_runs_the_one_chosen() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"fast-forward 100 ")
        await pilot.pause()
        text = screen_text(app)
        assert "Fast-forward 100 updates" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.session.cursor == 100


async def test_the_palette_shows_all_commands_before_any_typing() -> None:
    app = make_app()
    # Every command in view, none scrolled: the list holds 70% of the screen, and its order
    # (ours and Textual's own commands, gathered side by side) varies from run to run.
    async with app.run_test(size=(120, 110)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        text = screen_text(app)
        for command in COMMANDS:
            if command.id != "leave":
                assert command.description in text, command.id
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_says_what_the_numbers_mean_before_the_panels() -> None:
    app = make_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        shown = " ".join(str(w.render()) for w in help_screen.query("#help Static"))
        for said in ("What you are looking at", "A negative dLoss/dW moves W up",
                     "a step size you choose", "a target strictly inside the output's range"):
            assert said in shown, said
        assert shown.index("What you are looking at") < shown.index("The panels")


async def test_the_status_line_explains_a_frozen_w() -> None:
    app = make_app(w=(-0.5,), activation="relu", loss="mse", target=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n")
        await pilot.pause()
        status = screen_text(app).splitlines()[-2]
        assert "dead ReLU: z = -1 < 0, so dy/dz = 0 and W cannot move" in status
