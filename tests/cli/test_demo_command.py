"""calc-tutor demo's flags: --pace checked (one line, exit 2), the display flags passed on, and
the starting-state flags and --lesson refused (the scenes set the state)."""

from __future__ import annotations

import pytest

from calc_tutor.tui import launch as launch_module

from .conftest import run_cli


@pytest.mark.parametrize(
    ("pace", "says"),
    [("abc", "--pace"), ("0", "out of range"), ("-1", "out of range"), ("0.1", "out of range"),
     ("601", "out of range"), ("nan", "NaN"), ("inf", "infinite"), ("", "empty"),
     ("1e400", "infinite")],
)  # fmt: skip
def test_a_bad_pace_is_one_line_naming_it_and_exit_2(pace: str, says: str) -> None:
    result = run_cli("demo", "--pace", pace)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("calc-tutor demo: error: --pace: ")
    assert says in result.err


@pytest.mark.parametrize("flags", [("--w", "0.5"), ("--lr", "0.1"), ("--model", "mlp"),
                                   ("--lesson", "2"), ("--batch",)])  # fmt: skip
def test_starting_state_flags_and_lesson_are_refused(flags: tuple[str, ...]) -> None:
    before = run_cli(*flags, "demo")
    assert before.code == 2 and before.out == ""
    assert before.err == (f"calc-tutor demo: error: {flags[0]}: does not go with demo: each "
                          "scene sets its own starting state\n")  # fmt: skip
    after = run_cli("demo", *flags)
    assert after.code == 2 and after.out == ""
    # demo's parser has neither starting-state flags nor --lesson (its help lists none of
    # them): argparse's own line names the flag.
    assert after.err.count("\n") == 1 and f"unrecognized arguments: {flags[0]}" in after.err


def test_the_pace_and_display_flags_reach_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    launched: list[dict] = []

    def fake_launch(setup, **kwargs):  # noqa: ANN001, ANN003
        launched.append(kwargs)
        return 0

    monkeypatch.setattr(launch_module, "launch", fake_launch)
    assert run_cli("demo", "--pace", "0.5", "--theme", "textual-ansi", "--ascii").code == 0
    assert run_cli("--theme", "monochrome", "demo").code == 0  # before the subcommand too
    assert run_cli("demo").code == 0
    first, second, third = launched
    assert (first["demo_pace"], first["theme"], first["ascii_only"]) == (0.5, "textual-ansi", True)
    assert (second["theme"], second["ascii_only"]) == ("monochrome", False)
    assert third["demo_pace"] == 2.0 and third["lesson"] is None


def test_the_tutor_without_demo_is_not_a_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    launched: list[dict] = []
    monkeypatch.setattr(launch_module, "launch", lambda setup, **kw: launched.append(kw) or 0)
    assert run_cli().code == 0
    assert launched[0]["demo_pace"] is None


def test_help_names_the_flags() -> None:
    result = run_cli("demo", "--help")
    assert result.code == 0
    for flag in ("--pace SECONDS", "--theme", "--ascii"):
        assert flag in result.out
