"""``calc-tutor class``: one row per learner of a class server, as a table or JSON Lines, read
without touching the learners' files; every bad --data-dir or --format named in one line."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from calc_tutor.core.lesson import built_in_lessons
from calc_tutor.tui.learner_progress import ProgressStore, learner_directory

from .conftest import run_cli

LESSONS = built_in_lessons()
MORNING = datetime(2026, 11, 30, 9, 5, tzinfo=timezone.utc)


def clock_at(moment: datetime):
    return lambda: moment


@pytest.fixture
def class_dir(tmp_path):
    """Ada finished lessons 3 and 1 (3 of 4 right first time, then 2 of 2) and her own
    lesson; "b/o" (a name that is no folder name) was only seen; nothing else is a learner."""
    data_dir = tmp_path / "class"
    ada = ProgressStore(learner_directory(data_dir, "ada"), clock=clock_at(MORNING))
    ada.record_lesson(LESSONS[2].id, 3, 4)
    ada.record_lesson(LESSONS[0].id, 2, 2)
    ada.record_lesson("fractions", 1, 1)
    ProgressStore(learner_directory(data_dir, "b/o"), clock=clock_at(MORNING)).record_visit()
    (data_dir / "learners" / "not-encoded%2").mkdir()  # not a name the server would have made
    return data_dir


def test_the_table_has_a_row_per_learner(class_dir) -> None:
    result = run_cli("class", "--data-dir", str(class_dir))
    assert result.code == 0 and result.err == ""
    header, ada, bo = result.out.splitlines()
    assert header.split() == ["LEARNER", "LESSONS", "FINISHED", "SCORE", "LAST", "SEEN"]
    seen = MORNING.astimezone().strftime("%Y-%m-%d %H:%M")
    assert ada.split() == ["ada", "2", "of", str(len(LESSONS)) + ":", "1", "3", "fractions", "6/7", *seen.split()]
    assert bo.split() == ["b/o", "0", "of", str(len(LESSONS)), "-", *seen.split()]
    # Columns line up: each row's score starts where the header's does.
    assert ada.index("6/7") == header.index("SCORE") == bo.index("-")


def test_jsonl_has_an_object_per_learner(class_dir) -> None:
    result = run_cli("class", "--data-dir", str(class_dir), "--format", "jsonl")
    assert result.code == 0
    ada, bo = (json.loads(line) for line in result.out.splitlines())
    assert ada == {
        "learner": "ada",
        "finished": sorted([LESSONS[0].id, LESSONS[2].id, "fractions"]),
        "right_first_time": 6,
        "asked": 7,
        "last_seen": MORNING.isoformat(),
        "problem": None,
    }
    assert bo["learner"] == "b/o" and bo["finished"] == [] and bo["asked"] == 0


def test_an_unreadable_file_is_a_row_and_a_line_and_is_left_alone(class_dir) -> None:
    path = learner_directory(class_dir, "ada") / "progress.json"
    path.write_text("{not json")
    result = run_cli("class", "--data-dir", str(class_dir))
    assert result.code == 0
    assert str(path) in result.err and result.err.count("\n") == 1
    assert "(progress file unreadable)" in result.out.splitlines()[1]
    assert path.read_text() == "{not json"  # the learner's file: never moved by the teacher's view
    jsonl = run_cli("class", "--data-dir", str(class_dir), "--format", "jsonl")
    assert str(path) in json.loads(jsonl.out.splitlines()[0])["problem"]


def test_no_learner_yet_is_said_on_stderr(tmp_path) -> None:
    (tmp_path / "class").mkdir()
    result = run_cli("class", "--data-dir", str(tmp_path / "class"))
    assert result.code == 0 and result.out == ""
    assert "no learner has connected yet" in result.err


def test_the_default_is_the_folder_serve_uses(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from calc_tutor.tui.serve.learners import default_class_directory

    ProgressStore(learner_directory(default_class_directory(), "cy")).record_visit()
    assert default_class_directory() == tmp_path / "data" / "calc-tutor" / "class"
    assert run_cli("class").out.splitlines()[1].split()[0] == "cy"


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (("--data-dir", "missing"), "--data-dir: 'missing' does not exist"),
        (("--data-dir", "a-file"), "--data-dir: 'a-file' is a file, not a folder"),
        (("--data-dir", " "), "--data-dir: is empty"),
        (("--format", "csv"), "--format: invalid choice: 'csv'"),
        (("--w", "1"), "--w"),
    ],
)
def test_a_bad_flag_is_one_line(tmp_path, monkeypatch, flags, named) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("")
    result = run_cli("class", *flags)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and named in result.err, result.err


def test_state_flags_before_class_or_lessons_are_refused() -> None:
    for command in ("class", "lessons"):
        result = run_cli("--w", "1", command)
        assert result.code == 2
        assert result.err == f"calc-tutor {command}: error: --w: does not apply to calc-tutor {command}\n"
