"""--theme, --ascii and --lesson given to serve reach every learner's tutor, checked first: a bad
one stops the server before it starts, in one line naming the flag."""

from __future__ import annotations

import pytest

from calc_tutor.tui.serve import command, run

from ..cli.conftest import run_cli

SSH = ("serve", "ssh")


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The tutor argv each call to the server would start tutors with (no server is started)."""
    calls: list[list[str]] = []
    monkeypatch.setattr(command, "has_asyncssh", lambda: True)
    monkeypatch.setattr(run, "run_ssh_server", lambda flags, argv: calls.append(argv) or 0)
    return calls


@pytest.mark.parametrize("before", [True, False], ids=["before serve", "after ssh"])
def test_the_tutors_own_flags_reach_each_tutor(served, tmp_path, before) -> None:
    lesson = tmp_path / "mine.md"
    lesson.write_text("---\ntitle: T\nflags: --w 1\n---\n## P\nThe loss is {loss}.\n")
    own = ["--theme", "textual-ansi", "--ascii", "--lesson", str(lesson)]
    argv = [*own, *SSH] if before else [*SSH, *own]
    result = run_cli(*argv)
    assert result.code == 0, result.err
    assert served == [["--theme=textual-ansi", "--ascii", f"--lesson={lesson}"]]


def test_a_built_in_lesson_is_passed_by_its_number(served) -> None:
    assert run_cli(*SSH, "--lesson", "3").code == 0
    assert served == [["--lesson=3"]]


@pytest.mark.parametrize(("flags", "named"), [
    (["--theme", "no-such-theme"], "--theme"),
    (["--lesson", "99"], "--lesson"),
    (["--lesson", "1", "--w", "2"], "--w"),  # a lesson sets the starting state itself
])  # fmt: skip
def test_a_bad_tutor_flag_stops_before_serving(served, flags, named) -> None:
    result = run_cli(*SSH, *flags)
    assert result.code == 2 and result.out == "" and served == []
    assert result.err.count("\n") == 1 and named in result.err


def test_a_malformed_lesson_file_names_its_line(served, tmp_path) -> None:
    lesson = tmp_path / "broken.md"
    lesson.write_text("---\ntitle: T\nflags: --lr -1\n---\n## P\ntext\n")
    result = run_cli(*SSH, "--lesson", str(lesson))
    assert result.code == 2 and served == []
    assert f"{lesson}, line 3:" in result.err and "--lr" in result.err
