"""Learners' progress on disk: where it lives, what it keeps, and every way the disk can let it
down (a file that is not progress, a write that fails halfway, a directory that cannot be
written) without a lesson ever stopping. Real files in tmp_path; works as root too."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from calc_tutor.tui import learner_progress
from calc_tutor.tui.learner_progress import (
    FILE_NAME,
    LARGEST_FILE,
    PROGRESS_DIR_VARIABLE,
    ProgressStore,
    default_directory,
    learner_directory,
    learners,
    read_progress,
)

START = datetime(2026, 11, 30, 2, 15, tzinfo=timezone.utc)


class Clock:
    """A clock that moves one minute forward each time it is read."""

    def __init__(self, start: datetime = START, tick: timedelta = timedelta(minutes=1)) -> None:
        self.now, self.tick = start - tick, tick

    def __call__(self) -> datetime:
        self.now += self.tick
        return self.now


def stopped_clock() -> datetime:
    return START


def files_in(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def write_raw(directory: Path, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    path.write_bytes(data)
    return path


# ---- where -------------------------------------------------------------------------------------


def test_xdg_data_home_names_the_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_directory() == tmp_path / "data" / "calc-tutor"
    store = ProgressStore(clock=stopped_clock)
    assert store.record_lesson("1", 2, 3) == []
    assert (tmp_path / "data" / "calc-tutor" / FILE_NAME).is_file()


def test_a_class_servers_directory_for_the_learner_comes_first(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv(PROGRESS_DIR_VARIABLE, str(tmp_path / "class" / "ada"))
    assert ProgressStore(clock=stopped_clock).record_lesson("1", 1, 1) == []
    assert (tmp_path / "class" / "ada" / FILE_NAME).is_file()
    assert not (tmp_path / "data").exists()
    monkeypatch.setenv(PROGRESS_DIR_VARIABLE, "relative/ada")  # ignored, as XDG's relative paths
    assert default_directory() == tmp_path / "data" / "calc-tutor"


@pytest.mark.parametrize(
    "value", [None, "", "relative/data", "./data"], ids=["unset", "empty", "relative", "dot"]
)
def test_an_unset_empty_or_relative_xdg_data_home_falls_back_to_home(monkeypatch, tmp_path, value):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    if value is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", value)
    expected = tmp_path / "home" / ".local" / "share" / "calc-tutor"
    assert default_directory() == expected
    assert ProgressStore(clock=stopped_clock).record_lesson("1", 1, 1) == []
    assert (expected / FILE_NAME).is_file()
    assert not (tmp_path / "relative").exists() and not (tmp_path / "data").exists()


# ---- what it keeps -----------------------------------------------------------------------------


def test_progress_survives_a_new_store(tmp_path):
    clock = Clock()
    store = ProgressStore(tmp_path / "deep" / "calc-tutor", clock=clock)  # parents are made too
    assert store.load() == []
    assert store.progress.last_seen is None and not store.progress.finished("1")
    assert store.record_lesson("1", 3, 4) == []
    assert store.record_lesson("teacher-derivatives", 0, 2) == []

    again = ProgressStore(tmp_path / "deep" / "calc-tutor", clock=clock)
    assert again.load() == []
    progress = again.progress
    assert progress.finished("1") and progress.finished("teacher-derivatives")
    assert not progress.finished("2") and progress.best("2") is None
    assert progress.best("1") == (3, 4) and progress.best("teacher-derivatives") == (0, 2)
    assert progress.last_finished("1") == START
    assert progress.last_finished("teacher-derivatives") == START + timedelta(minutes=1)
    assert progress.last_seen == START + timedelta(minutes=1)
    assert progress.finished_lessons() == ("1", "teacher-derivatives")
    assert progress.total_score() == (3, 6)


def test_the_file_is_small_versioned_json_with_sorted_keys(tmp_path):
    store = ProgressStore(tmp_path, clock=stopped_clock)
    store.record_lesson("2", 1, 5)
    store.record_lesson("10", 4, 4)
    text = (tmp_path / FILE_NAME).read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["version"] == 1
    assert text == json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n"
    assert document["lessons"]["2"] == {"best": [1, 5], "finished": True, "last_finished": START.isoformat()}
    assert document["last_seen"] == START.isoformat()
    assert len(text) < 250
    assert files_in(tmp_path) == [FILE_NAME]  # no temporary file left behind


def test_a_new_result_replaces_the_best_only_when_more_are_right_first_time(tmp_path):
    clock = Clock()
    store = ProgressStore(tmp_path, clock=clock)
    store.record_lesson("3", 3, 5)
    store.record_lesson("3", 2, 5)  # worse: kept 3 of 5
    assert store.progress.best("3") == (3, 5)
    store.record_lesson("3", 3, 4)  # a tie on right first time keeps the earlier
    assert store.progress.best("3") == (3, 5)
    store.record_lesson("3", 4, 6)
    assert store.progress.best("3") == (4, 6)
    # The last finishing counts for "last finished", whatever its score.
    assert store.progress.last_finished("3") == START + timedelta(minutes=3)
    reloaded = ProgressStore(tmp_path, clock=clock)
    reloaded.load()
    assert reloaded.progress.best("3") == (4, 6)


def test_a_visit_updates_last_seen_and_keeps_the_lessons(tmp_path):
    clock = Clock()
    store = ProgressStore(tmp_path, clock=clock)
    store.record_lesson("1", 1, 2)
    assert store.record_visit() == []
    reloaded = ProgressStore(tmp_path)
    reloaded.load()
    assert reloaded.progress.last_seen == START + timedelta(minutes=1)
    assert reloaded.progress.last_finished("1") == START
    assert reloaded.progress.best("1") == (1, 2)


def test_the_clock_may_be_in_any_time_zone(tmp_path):
    tokyo = timezone(timedelta(hours=9))
    store = ProgressStore(tmp_path, clock=lambda: START.astimezone(tokyo))
    store.record_lesson("1", 1, 1)
    assert json.loads((tmp_path / FILE_NAME).read_text())["last_seen"] == "2026-11-30T02:15:00+00:00"
    assert store.progress.last_seen == START


def test_two_sessions_of_one_learner_keep_both_lessons(tmp_path):
    first, second = ProgressStore(tmp_path, clock=Clock()), ProgressStore(tmp_path, clock=Clock())
    first.load()
    second.load()
    first.record_lesson("1", 2, 2)
    second.record_lesson("2", 1, 3)
    second.record_lesson("1", 1, 2)  # worse than the other session's best
    reloaded = ProgressStore(tmp_path)
    reloaded.load()
    assert reloaded.progress.best("1") == (2, 2) and reloaded.progress.best("2") == (1, 3)


@pytest.mark.parametrize(
    ("lesson_id", "right", "asked"),
    [("", 1, 1), (3, 1, 1), ("1", -1, 2), ("1", 3, 2), ("1", 1.0, 2), ("1", True, 2), ("1", 1, None)],
)
def test_a_score_that_cannot_be_is_refused_and_nothing_changes(tmp_path, lesson_id, right, asked):
    store = ProgressStore(tmp_path, clock=stopped_clock)
    store.record_lesson("1", 1, 2)
    before = (tmp_path / FILE_NAME).read_bytes()
    with pytest.raises(ValueError, match="lesson id|score"):
        store.record_lesson(lesson_id, right, asked)
    assert store.progress.best("1") == (1, 2)
    assert (tmp_path / FILE_NAME).read_bytes() == before


# ---- a write that fails halfway ----------------------------------------------------------------


def refuse(error: OSError):
    def raising(*args, **kwargs):
        raise error

    return raising


@pytest.mark.parametrize(
    ("step", "error", "reason"),
    [
        ("replace", OSError(28, os.strerror(28)), os.strerror(28)),
        ("fsync", OSError(28, os.strerror(28)), os.strerror(28)),
        ("replace", PermissionError(13, os.strerror(13)), os.strerror(13)),
    ],
    ids=["replace-disk-full", "fsync-disk-full", "replace-refused"],
)
def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary_file(
    tmp_path, monkeypatch, step, error, reason
):
    store = ProgressStore(tmp_path, clock=Clock())
    store.record_lesson("1", 1, 2)
    before = (tmp_path / FILE_NAME).read_bytes()
    monkeypatch.setattr(learner_progress.os, step, refuse(error))

    messages = store.record_lesson("2", 2, 2)

    assert len(messages) == 1 and str(tmp_path) in messages[0] and reason in messages[0]
    assert (tmp_path / FILE_NAME).read_bytes() == before
    assert files_in(tmp_path) == [FILE_NAME]
    assert store.progress.best("2") == (2, 2) and store.progress.best("1") == (1, 2)  # kept in memory


def test_progress_kept_in_memory_is_saved_once_the_disk_works_again(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path, clock=Clock())
    store.record_lesson("1", 1, 2)
    with monkeypatch.context() as patched:
        patched.setattr(learner_progress.os, "replace", refuse(OSError(28, os.strerror(28))))
        assert len(store.record_lesson("2", 2, 2)) == 1
    assert store.record_lesson("3", 0, 1) == []  # reported once per store: no second message
    reloaded = ProgressStore(tmp_path)
    assert reloaded.load() == []
    assert [reloaded.progress.best(lesson) for lesson in "123"] == [(1, 2), (2, 2), (0, 1)]


# ---- a file that is not progress ---------------------------------------------------------------

TIME = "2026-11-30T02:15:00+00:00"
LESSON = {"best": [1, 2], "finished": True, "last_finished": TIME}


def document(**changes) -> bytes:
    base = {"version": 1, "last_seen": TIME, "lessons": {"1": LESSON}}
    base.update(changes)
    return json.dumps(base).encode()


NOT_PROGRESS = {
    "not-json": (b'{"version": 1, "lessons": {', "not valid JSON"),
    "empty": (b"", "not valid JSON"),
    "not-utf8": (b'{"version": 1, "lessons": {"\xff\xfe": {}}}', "not UTF-8 text"),
    "utf16": ('{"version": 1}'.encode("utf-16"), "not UTF-8 text"),
    "nan": (b'{"version": 1, "lessons": {"1": {"best": [NaN, 2]}}}', "not valid JSON"),
    "deep": (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    "list": (b"[1, 2]", "expected form"),
    "version-2": (document(version=2), "version of calc-tutor"),
    "version-missing": (json.dumps({"lessons": {}}).encode(), "version of calc-tutor"),
    "version-text": (document(version="1"), "version of calc-tutor"),
    "version-true": (document(version=True), "version of calc-tutor"),
    "lessons-list": (document(lessons=[LESSON]), "expected form"),
    "lesson-text": (document(lessons={"1": "done"}), "expected form"),
    "finished-text": (document(lessons={"1": {**LESSON, "finished": "yes"}}), "expected form"),
    "best-one-number": (document(lessons={"1": {**LESSON, "best": [1]}}), "best score"),
    "best-fraction": (document(lessons={"1": {**LESSON, "best": [1.5, 2]}}), "best score"),
    "best-more-right-than-asked": (document(lessons={"1": {**LESSON, "best": [3, 2]}}), "best score"),
    "best-negative": (document(lessons={"1": {**LESSON, "best": [-1, 2]}}), "best score"),
    "time-not-a-time": (document(lessons={"1": {**LESSON, "last_finished": "yesterday"}}), "last finished"),
    "time-without-zone": (document(last_seen="2026-11-30T02:15:00"), "last seen"),
    "time-number": (document(last_seen=1764468900), "last seen"),
    "too-large": (b" " * (LARGEST_FILE + 1) + b"{}", "too large"),
}


@pytest.mark.parametrize(("data", "reason"), NOT_PROGRESS.values(), ids=NOT_PROGRESS.keys())
def test_a_file_that_is_not_progress_is_moved_aside_and_new_progress_saved(tmp_path, data, reason):
    path = write_raw(tmp_path, data)
    store = ProgressStore(tmp_path, clock=stopped_clock)

    messages = store.load()

    aside = tmp_path / "progress.json.corrupt-20261130T021500Z"
    assert len(messages) == 1
    assert str(path) in messages[0] and aside.name in messages[0] and reason in messages[0]
    assert aside.read_bytes() == data
    assert store.progress.lessons == {}
    assert store.record_lesson("2", 1, 1) == []
    fresh = ProgressStore(tmp_path)
    assert fresh.load() == []
    assert fresh.progress.best("2") == (1, 1) and not fresh.progress.finished("1")


def test_a_folder_where_the_file_should_be_is_moved_aside(tmp_path):
    (tmp_path / FILE_NAME / "inside").mkdir(parents=True)
    store = ProgressStore(tmp_path, clock=stopped_clock)
    messages = store.load()
    assert len(messages) == 1 and "folder" in messages[0] and str(tmp_path / FILE_NAME) in messages[0]
    assert (tmp_path / "progress.json.corrupt-20261130T021500Z" / "inside").is_dir()
    assert store.record_lesson("1", 1, 1) == []
    assert (tmp_path / FILE_NAME).is_file()


def test_a_pipe_where_the_file_should_be_is_moved_aside_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / FILE_NAME)
    store = ProgressStore(tmp_path, clock=stopped_clock)
    messages = store.load()
    assert len(messages) == 1 and "not a regular file" in messages[0]
    assert store.record_lesson("1", 1, 1) == []
    assert (tmp_path / FILE_NAME).is_file()


def test_a_file_the_disk_cannot_read_is_moved_aside(tmp_path, monkeypatch):
    # As root no permission stops a read, so the disk's failure is played by open itself.
    path = write_raw(tmp_path, document())
    monkeypatch.setattr(learner_progress, "open", refuse(OSError(5, os.strerror(5))), raising=False)
    store = ProgressStore(tmp_path, clock=stopped_clock)
    messages = store.load()
    assert len(messages) == 1 and str(path) in messages[0] and os.strerror(5) in messages[0]
    assert (tmp_path / "progress.json.corrupt-20261130T021500Z").read_bytes() == document()
    assert store.record_lesson("2", 1, 1) == []
    assert json.loads(path.read_text())["lessons"]["2"]["best"] == [1, 1]


def test_a_file_spoilt_during_a_session_is_moved_aside_when_saving(tmp_path):
    store = ProgressStore(tmp_path, clock=stopped_clock)
    store.record_lesson("1", 1, 2)
    (tmp_path / FILE_NAME).write_bytes(b"\x00garbage")
    messages = store.record_lesson("2", 2, 2)
    assert len(messages) == 1 and "renamed" in messages[0]
    assert (tmp_path / "progress.json.corrupt-20261130T021500Z").read_bytes() == b"\x00garbage"
    fresh = ProgressStore(tmp_path)
    fresh.load()
    assert fresh.progress.best("1") == (1, 2) and fresh.progress.best("2") == (2, 2)  # from memory


def test_two_spoilt_files_in_the_same_second_are_both_kept(tmp_path):
    write_raw(tmp_path, b"first")
    first = ProgressStore(tmp_path, clock=stopped_clock)
    assert len(first.load()) == 1
    write_raw(tmp_path, b"second")
    messages = ProgressStore(tmp_path, clock=stopped_clock).load()
    write_raw(tmp_path, b"third")
    ProgressStore(tmp_path, clock=stopped_clock).load()
    stem = "progress.json.corrupt-20261130T021500Z"
    assert "renamed " + stem + "-2 " in messages[0]
    assert (tmp_path / stem).read_bytes() == b"first"
    assert (tmp_path / f"{stem}-2").read_bytes() == b"second"
    assert (tmp_path / f"{stem}-3").read_bytes() == b"third"
    assert not (tmp_path / FILE_NAME).exists()


def test_spoilt_files_aside_sort_by_time(tmp_path):
    clock = Clock(tick=timedelta(hours=7))  # crosses midnight: the date leads the name
    for content in (b"one", b"two", b"three"):
        write_raw(tmp_path, content)
        ProgressStore(tmp_path, clock=clock).load()
    aside = sorted(name for name in files_in(tmp_path) if ".corrupt-" in name)
    assert [(tmp_path / name).read_bytes() for name in aside] == [b"one", b"two", b"three"]
    assert all(set(name) <= set("progresjn.cut-0123456789TZ") for name in aside)  # filename-safe


def test_a_file_that_cannot_be_moved_aside_is_never_written_over(tmp_path, monkeypatch):
    path = write_raw(tmp_path, b"not json, but the learner's")
    monkeypatch.setattr(learner_progress.os, "rename", refuse(PermissionError(13, os.strerror(13))))
    store = ProgressStore(tmp_path, clock=stopped_clock)

    messages = store.load()

    assert len(messages) == 1 and str(path) in messages[0] and os.strerror(13) in messages[0]
    assert store.record_lesson("1", 1, 1) == []  # already told: progress is not saved
    assert store.record_lesson("2", 1, 1) == []
    assert path.read_bytes() == b"not json, but the learner's"
    assert files_in(tmp_path) == [FILE_NAME]
    assert store.progress.best("1") == (1, 1) and store.progress.best("2") == (1, 1)


def test_unknown_keys_are_ignored(tmp_path):
    write_raw(tmp_path, document(note="from a teacher", lessons={"1": {**LESSON, "stars": 3}}))
    store = ProgressStore(tmp_path)
    assert store.load() == []
    assert store.progress.best("1") == (1, 2)


def test_reading_for_a_teacher_changes_nothing_on_disk(tmp_path):
    assert read_progress(tmp_path) == (None, None)
    path = write_raw(tmp_path, b"{oops")
    progress, problem = read_progress(tmp_path)
    assert progress is None and str(path) in problem and "not valid JSON" in problem
    assert files_in(tmp_path) == [FILE_NAME]
    write_raw(tmp_path, document())
    progress, problem = read_progress(tmp_path)
    assert problem is None and progress.best("1") == (1, 2) and progress.last_seen == START


# ---- a directory that cannot be written --------------------------------------------------------


@pytest.mark.parametrize("where", ["is-a-file", "under-a-file"])
def test_a_directory_that_cannot_be_made_is_reported_once_and_never_raises(tmp_path, where):
    # A file in the way stops even root, unlike chmod.
    (tmp_path / "blocker").write_text("a file, not a folder")
    directory = tmp_path / "blocker" if where == "is-a-file" else tmp_path / "blocker" / "calc-tutor"
    store = ProgressStore(directory, clock=Clock())

    assert store.load() == []
    first = store.record_lesson("1", 1, 2)
    second = store.record_lesson("2", 2, 2)
    third = store.record_visit()

    assert len(first) == 1 and str(directory) in first[0] and "a file is where a folder should be" in first[0]
    assert second == [] and third == []
    assert store.progress.best("1") == (1, 2) and store.progress.best("2") == (2, 2)
    assert store.progress.last_seen == START + timedelta(minutes=2)
    assert (tmp_path / "blocker").read_text() == "a file, not a folder"


def test_each_store_reports_its_own_unwritable_directory(tmp_path):
    (tmp_path / "blocker").write_text("")
    messages = [ProgressStore(tmp_path / "blocker").record_lesson("1", 0, 0) for _ in range(2)]
    assert [len(each) for each in messages] == [1, 1]


def test_messages_are_plain_ascii_sentences(tmp_path):
    write_raw(tmp_path / "spoilt", b"\xff")
    (tmp_path / "blocker").write_text("")
    messages = ProgressStore(tmp_path / "spoilt").load()
    messages += ProgressStore(tmp_path / "blocker").record_lesson("1", 0, 0)
    assert len(messages) == 2
    for message in messages:
        assert message.isascii() and message.endswith(".") and "\n" not in message


# ---- one store per learner ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["ada", "Ada Lovelace", "..", ".", ".ssh", "a/../../b", "../etc", "x\\y", "ünïcode", "a%2Fb"]
)
def test_a_learners_directory_stays_inside_the_data_directory_and_names_them_back(tmp_path, name):
    directory = learner_directory(tmp_path, name)
    assert directory.parent == tmp_path / "learners"
    assert not directory.name.startswith(".") and "/" not in directory.name
    store = ProgressStore(directory, clock=stopped_clock)
    assert store.record_lesson("1", 1, 1) == []
    assert learners(tmp_path) == [(name, directory)]
    assert read_progress(directory)[0].best("1") == (1, 1)


def test_learners_are_listed_by_name_each_with_their_own_progress(tmp_path):
    assert learners(tmp_path) == []
    for name, right in (("bo", 1), ("al", 2), ("../al", 3)):
        ProgressStore(learner_directory(tmp_path, name)).record_lesson("1", right, 3)
    (tmp_path / "learners" / ".hidden").mkdir()  # not a name learner_directory makes
    (tmp_path / "learners" / "stray-file").write_text("")
    found = learners(tmp_path)
    assert [name for name, _ in found] == ["../al", "al", "bo"]
    assert [read_progress(directory)[0].best("1") for _, directory in found] == [(3, 3), (2, 3), (1, 3)]


@pytest.mark.parametrize("name", ["", "x" * 300])
def test_a_learner_name_that_cannot_be_a_directory_is_refused(tmp_path, name):
    with pytest.raises(ValueError, match="learner's name"):
        learner_directory(tmp_path, name)
