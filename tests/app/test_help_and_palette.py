"""One table, four views of it: bindings, footer, help screen and command palette agree."""

from __future__ import annotations

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


async def test_help_lists_every_command_and_closes_with_escape_question_mark_or_q() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for close in ("escape", "question_mark", "q"):
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            help_text = region_text(app, "#help-keys")
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
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        text = screen_text(app)
        for command in COMMANDS:
            if command.id != "leave":
                assert command.description in text, command.id
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
