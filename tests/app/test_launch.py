"""Launching: --theme, NO_COLOR, --ascii and --steps reach the app; terminal-friendly defaults."""

from __future__ import annotations

import io
import sys

import pytest
from textual.command import CommandInput
from textual.theme import BUILTIN_THEMES

from calc_tutor.tui import cli, launch
from calc_tutor.tui.app import MONOCHROME_THEME, CalcTutorApp, theme_names
from calc_tutor.tui.widgets.inputs import FieldInput

from .conftest import SIZE, make_app


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[CalcTutorApp]:
    """Apps that cli.main() would run, caught instead of run (no terminal in a test)."""
    apps: list[CalcTutorApp] = []
    monkeypatch.setattr(CalcTutorApp, "run", lambda self, *args, **kwargs: apps.append(self))
    monkeypatch.setattr(launch, "not_terminals", lambda: [])
    return apps


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("stdin", "stdout", "stderr", "missing"), [
    (True, True, True, []),
    (False, True, True, ["stdin"]),
    (True, False, True, ["stdout"]),
    (True, True, False, ["stderr"]),  # Textual draws on stderr
    (False, False, False, ["stdin", "stdout", "stderr"]),
])  # fmt: skip
def test_the_app_needs_a_terminal_on_every_standard_stream(
    stdin: bool, stdout: bool, stderr: bool, missing: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    for name, tty in (("__stdin__", stdin), ("__stdout__", stdout), ("__stderr__", stderr)):
        monkeypatch.setattr(sys, name, Stream(tty))
    assert launch.not_terminals() == missing
    monkeypatch.setattr(sys, "__stdin__", None)  # started with stdin closed
    assert "stdin" in launch.not_terminals()


def test_the_web_driver_runs_on_pipes(monkeypatch: pytest.MonkeyPatch) -> None:
    # textual-serve starts the app with TEXTUAL_DRIVER set and pipes, not a terminal.
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    for name in ("__stdin__", "__stdout__", "__stderr__"):
        monkeypatch.setattr(sys, name, Stream(False))
    assert launch.not_terminals() == []


def test_without_a_terminal_the_app_says_what_to_use(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setattr(sys, "__stdin__", Stream(False))
    monkeypatch.setattr(CalcTutorApp, "run", lambda self, *args, **kwargs: pytest.fail("ran"))
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "needs a terminal" in err and "stdin" in err and "calc-tutor trace" in err


def test_a_huge_theme_name_is_not_echoed_back(
    capsys: pytest.CaptureFixture[str], launched: list[CalcTutorApp]
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--theme", "t" * 100_000])
    _out, err = capsys.readouterr()
    assert err.count("\n") == 1 and len(err) < 2000 and "ttt…'" in err


def test_an_unknown_theme_is_a_usage_error_before_the_app_starts(
    capsys: pytest.CaptureFixture[str], launched: list[CalcTutorApp]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--theme", "nope"])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("calc-tutor: error: --theme: unknown theme 'nope'; choose one of: ")
    for name in ("textual-dark", "ansi-dark", "ansi-light", "textual-ansi", MONOCHROME_THEME):
        assert name in err
    assert launched == []


def test_flags_reach_the_app(launched: list[CalcTutorApp]) -> None:
    assert cli.main(["--w", "0.5", "--x", "2", "--lr", "0.1", "--steps", "7", "--theme", "nord",
                     "--ascii"]) == 0  # fmt: skip
    (app,) = launched
    assert (app.session.cursor, app.session.model.config.lr) == (7, 0.1)
    assert app.theme == "nord"
    assert app.ascii_only


@pytest.mark.parametrize(("term", "ascii_only"), [("linux", True), ("xterm-256color", False),
                                                  ("screen", False), ("xterm", False)])
def test_the_linux_console_gets_ascii(term: str, ascii_only: bool, launched: list[CalcTutorApp],
                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("TERM", term)
    cli.main([])
    assert launched[0].ascii_only is ascii_only


@pytest.mark.parametrize("theme", [*BUILTIN_THEMES, "textual-ansi", MONOCHROME_THEME])
def test_every_offered_theme_is_accepted(theme: str, launched: list[CalcTutorApp]) -> None:
    assert theme in theme_names()
    cli.main(["--theme", theme])
    assert launched[0].theme == theme


async def test_no_color_selects_the_monochrome_theme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=SIZE):
        assert app.theme == MONOCHROME_THEME
        theme = app.current_theme
        for color in (theme.primary, theme.secondary, theme.accent, theme.foreground,
                      theme.background, theme.error, theme.warning):  # fmt: skip
            red, green, blue = bytes.fromhex(color.lstrip("#"))
            assert red == green == blue, color  # greys only


async def test_an_explicit_theme_wins_over_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(theme="ansi-dark")
    async with app.run_test(size=SIZE):
        assert app.theme == "ansi-dark"


async def test_the_default_theme_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE):
        assert app.theme != MONOCHROME_THEME


async def test_no_animation_and_no_blinking_cursor() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.animation_level == "none"
        await pilot.press("e")
        fields = list(app.main.query(FieldInput))
        assert len(fields) == 5
        assert not any(field.cursor_blink for field in fields)
        await pilot.press("escape", "ctrl+p")
        assert not app.screen.query_one(CommandInput).cursor_blink
