"""``calc-tutor lessons`` and ``--lesson``: the list, the finished marks, and every bad choice or
malformed lesson file refused in one line naming the file, the line and what is wrong."""

from __future__ import annotations

import pytest

from calc_tutor.core.lesson import built_in_lessons
from calc_tutor.tui.learner_progress import ProgressStore

from .conftest import run_cli


def test_lessons_lists_each_lesson_on_one_numbered_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    result = run_cli("lessons")
    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    lessons = built_in_lessons()
    assert len(lines) == len(lessons)
    for number, (line, lesson) in enumerate(zip(lines, lessons), start=1):
        assert line.startswith(f"{number:>2}. ") and line.endswith(lesson.title)
        assert "✓" not in line


def test_lessons_marks_the_finished_ones(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    first = built_in_lessons()[0]
    store = ProgressStore()
    store.load()
    assert store.record_lesson(first.id, 2, 3) == []
    lines = run_cli("lessons").out.splitlines()
    assert "✓" in lines[0] and all("✓" not in line for line in lines[1:])


def test_a_corrupt_progress_file_is_reported_and_the_list_still_printed(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    (tmp_path / "calc-tutor").mkdir()
    (tmp_path / "calc-tutor" / "progress.json").write_text("[1, 2")
    result = run_cli("lessons")
    assert result.code == 0 and len(result.out.splitlines()) == len(built_in_lessons())
    assert "progress.json" in result.err and result.err.count("\n") == 1


@pytest.mark.parametrize(("argv", "names"), [
    (["--lesson", "99"], ["--lesson", "99"]),
    (["--lesson", "0"], ["--lesson"]),
    (["--lesson", "no-such-file.md"], ["--lesson", "no-such-file.md"]),
    (["--lesson", "1", "--w", "2"], ["--w", "--lesson"]),
    (["trace", "--lesson", "1"], ["--lesson"]),
])  # fmt: skip
def test_bad_lesson_choices_exit_2_with_one_line(argv, names) -> None:
    result = run_cli(*argv)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1
    for name in names:
        assert name in result.err


BROKEN = {
    "no front matter": ("## Page\ntext\n", 1, "front matter"),
    "a bad flag": ("---\ntitle: T\nflags: --lr -1\n---\n## P\n? z: z?\n", 3, "--lr"),
    "a bad page flag": ("---\ntitle: T\nflags: --w 1\n---\n## P\nstate: --activation nope\n? z: z?\n",
                        6, "--activation"),
    "an unknown name": ("---\ntitle: T\nflags: --w 1\n---\n## P\nThe {nope}.\n", 6, "nope"),
    "a bad question": ("---\ntitle: T\nflags: --w 1\n---\n## P\n? z without colon\n", 6, "question"),
}  # fmt: skip


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_malformed_lesson_file_names_the_file_the_line_and_what(case, tmp_path) -> None:
    text, line, what = BROKEN[case]
    path = tmp_path / "mine.md"
    path.write_text(text)
    result = run_cli("--lesson", str(path))
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1
    assert str(path) in result.err and f"line {line}:" in result.err and what in result.err
