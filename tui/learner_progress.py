"""A learner's progress through the lessons, kept on disk between sessions.

One small JSON file per learner: ``$XDG_DATA_HOME/calc-tutor/progress.json`` by default, or
``progress.json`` in a directory the caller names (a class server keeps one per learner, under
``learner_directory``). Disk trouble never stops a lesson: a file that is not progress is moved
aside and reported, a directory that cannot be written is reported once, and the session keeps
its progress in memory either way.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, unquote

FILE_NAME = "progress.json"
FORMAT_VERSION = 1
# A year of lessons is a few kilobytes: a bigger file is not ours, and is not read into memory.
LARGEST_FILE = 1 << 20
# Most file systems allow 255 bytes in a name.
LONGEST_NAME = 255
# Set by a class server for each learner's tutor: the directory of that learner's progress.
PROGRESS_DIR_VARIABLE = "CALC_TUTOR_PROGRESS_DIR"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def data_directory() -> Path:
    """``$XDG_DATA_HOME/calc-tutor``, or ``~/.local/share/calc-tutor`` when XDG_DATA_HOME is
    unset, empty or relative (the XDG spec says a relative path is to be ignored)."""
    data_home = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local" / "share"
    return base / "calc-tutor"


def default_directory() -> Path:
    """Where this learner's progress is kept: the directory a class server named for them
    (``PROGRESS_DIR_VARIABLE``), else ``data_directory()``."""
    given = os.environ.get(PROGRESS_DIR_VARIABLE, "")
    return Path(given) if os.path.isabs(given) else data_directory()


@dataclass(frozen=True)
class LessonRecord:
    """One lesson's results: its best score is (right first time, asked)."""

    finished: bool
    best: tuple[int, int] | None
    last_finished: datetime | None


@dataclass(frozen=True)
class Progress:
    """A read-only view of a learner's progress: lesson id → its record, and when they were last
    seen (the last time anything was saved)."""

    lessons: Mapping[str, LessonRecord] = field(default_factory=lambda: MappingProxyType({}))
    last_seen: datetime | None = None

    def finished(self, lesson_id: str) -> bool:
        record = self.lessons.get(lesson_id)
        return record is not None and record.finished

    def best(self, lesson_id: str) -> tuple[int, int] | None:
        record = self.lessons.get(lesson_id)
        return None if record is None else record.best

    def last_finished(self, lesson_id: str) -> datetime | None:
        record = self.lessons.get(lesson_id)
        return None if record is None else record.last_finished

    def finished_lessons(self) -> tuple[str, ...]:
        return tuple(sorted(lesson_id for lesson_id, record in self.lessons.items() if record.finished))

    def total_score(self) -> tuple[int, int]:
        """The best scores of all lessons added up: (right first time, asked)."""
        bests = [record.best for record in self.lessons.values() if record.best is not None]
        return sum(right for right, _ in bests), sum(asked for _, asked in bests)


def better(new: tuple[int, int], old: tuple[int, int] | None) -> bool:
    """More right first time is better; a tie keeps the earlier score."""
    return old is None or new[0] > old[0]


def later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None or second is None:
        return first or second
    return max(first, second)


def with_lesson_finished(
    progress: Progress, lesson_id: str, score: tuple[int, int], now: datetime
) -> Progress:
    old = progress.lessons.get(lesson_id)
    old_best = None if old is None else old.best
    best = score if better(score, old_best) else old_best
    lessons = {**progress.lessons, lesson_id: LessonRecord(True, best, now)}
    return Progress(MappingProxyType(lessons), now)


def merged(base: Progress, other: Progress) -> Progress:
    """Both progresses in one: every lesson either finished, the better best (``base``'s on a
    tie), the later times. Saving merges with the file as it is now, so two sessions of one
    learner, or a save that failed earlier, lose nothing."""
    lessons = dict(base.lessons)
    for lesson_id, theirs in other.lessons.items():
        ours = lessons.get(lesson_id)
        if ours is None:
            lessons[lesson_id] = theirs
            continue
        best = theirs.best if theirs.best is not None and better(theirs.best, ours.best) else ours.best
        finished_at = later(ours.last_finished, theirs.last_finished)
        lessons[lesson_id] = LessonRecord(ours.finished or theirs.finished, best, finished_at)
    return Progress(MappingProxyType(lessons), later(base.last_seen, other.last_seen))


# ---- the file ---------------------------------------------------------------------------------


class NotProgress(Exception):
    """The file is not progress this version can read; the text completes "the file …"."""


def encode(progress: Progress) -> bytes:
    lessons = {
        lesson_id: {
            "finished": record.finished,
            "best": None if record.best is None else list(record.best),
            "last_finished": _time_text(record.last_finished),
        }
        for lesson_id, record in progress.lessons.items()
    }
    document = {"version": FORMAT_VERSION, "last_seen": _time_text(progress.last_seen), "lessons": lessons}
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def decode(data: bytes) -> Progress:
    """The progress in ``data``; raises NotProgress saying what is wrong. Unknown keys are
    ignored; anything of a wrong type makes the whole file unusable (half a file is not
    progress a learner would recognise)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotProgress("is not UTF-8 text") from None
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
        raise NotProgress("is not valid JSON") from None
    if not isinstance(document, dict):
        raise NotProgress("is not in the expected form (not a JSON object)")
    if not (_is_int(document.get("version")) and document["version"] == FORMAT_VERSION):
        raise NotProgress("was not written by this version of calc-tutor")
    lessons = document.get("lessons", {})
    if not isinstance(lessons, dict):
        raise NotProgress("is not in the expected form (lessons)")
    records = {lesson_id: _lesson_record(lesson_id, entry) for lesson_id, entry in lessons.items()}
    return Progress(MappingProxyType(records), _time(document.get("last_seen"), "last seen"))


def _lesson_record(lesson_id: str, entry: Any) -> LessonRecord:
    where = f"lesson {lesson_id!r}"
    if not isinstance(entry, dict) or not isinstance(entry.get("finished", False), bool):
        raise NotProgress(f"is not in the expected form ({where})")
    best = entry.get("best")
    if best is not None:
        shaped = isinstance(best, list) and len(best) == 2 and all(_is_int(count) for count in best)
        if not (shaped and 0 <= best[0] <= best[1]):
            raise NotProgress(f"is not in the expected form ({where}: best score)")
        best = (best[0], best[1])
    finished_at = _time(entry.get("last_finished"), f"{where}: last finished")
    return LessonRecord(entry.get("finished", False), best, finished_at)


def _time(value: Any, what: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:  # a time without its zone cannot be compared
        raise NotProgress(f"is not in the expected form ({what})")
    return moment


def _time_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON's true is not 1


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


class Unreadable(Exception):
    """Reading failed for a reason of the disk, not of the file's contents."""


def read_file(path: Path) -> bytes | None:
    """The file's bytes, or None when there is none. Raises NotProgress for something that is
    not a file of ours (a folder, a pipe, too big) and Unreadable for a failed read."""
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise Unreadable(f"could not be read ({_reason(error)})") from None
    if stat.S_ISDIR(status.st_mode):
        raise NotProgress("is a folder, not a file")
    if not stat.S_ISREG(status.st_mode):  # opening a pipe would wait for a writer forever
        raise NotProgress("is not a regular file")
    if status.st_size > LARGEST_FILE:
        raise NotProgress("is too large to be progress")
    try:
        with open(path, "rb") as file:
            data = file.read(LARGEST_FILE + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise Unreadable(f"could not be read ({_reason(error)})") from None
    if len(data) > LARGEST_FILE:
        raise NotProgress("is too large to be progress")
    return data


def read_progress(directory: Path) -> tuple[Progress | None, str | None]:
    """Read ``directory``'s progress without changing anything on disk: (progress, None), or
    (None, None) when there is no file yet, or (None, what is wrong with the file). For a
    reader that must not move a learner's files, such as a teacher's class view."""
    path = directory / FILE_NAME
    try:
        data = read_file(path)
        return (None, None) if data is None else (decode(data), None)
    except (NotProgress, Unreadable) as error:
        return None, f"The progress file {path} {error}."


def aside_name(path: Path, now: datetime, copy: int) -> Path:
    """``progress.json.corrupt-20261130T021500Z``; the second of the same second ends ``-2``."""
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.corrupt-{stamp}" + ("" if copy == 1 else f"-{copy}"))


def move_aside(path: Path, now: datetime) -> Path:
    """Rename ``path`` to a name of its own beside it, never over an earlier one."""
    copy = 1
    while os.path.lexists(aside_name(path, now, copy)):
        copy += 1
    destination = aside_name(path, now, copy)
    os.rename(path, destination)
    return destination


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader, or a crash, finds the old file or
    the new one, never half of one. Raises the OSError of a failure, leaving no temporary file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())  # the data is on disk before the name points at it
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself survive a power cut, where the system allows it."""
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _reason(error: OSError) -> str:
    if error.errno in (errno.ENOTDIR, errno.EEXIST):  # from mkdir or open along the path
        return "a file is where a folder should be"
    return error.strerror or str(error)


# ---- the store --------------------------------------------------------------------------------


class ProgressStore:
    """One learner's progress file. ``load`` and ``record_…`` return the messages to show the
    learner (plain sentences, empty when all went well); none of them raises for the disk."""

    def __init__(self, directory: Path | None = None, clock: Clock = utc_now) -> None:
        self.directory = default_directory() if directory is None else Path(directory)
        self.path = self.directory / FILE_NAME
        self._clock = clock
        self._progress = Progress()
        self._save_failure_reported = False
        # Set when a file could neither be read nor moved aside: it is the learner's, so it is
        # never written over.
        self._keep_off = False

    @property
    def progress(self) -> Progress:
        return self._progress

    def load(self) -> list[str]:
        """Read the file; a file that is not progress is moved aside, and this starts empty."""
        on_disk, messages = self._read_or_move_aside()
        self._progress = on_disk or Progress()
        return messages

    def record_lesson(self, lesson_id: str, right: int, asked: int) -> list[str]:
        """A lesson finished with ``right`` answers right first time out of ``asked``."""
        if not isinstance(lesson_id, str) or not lesson_id:
            raise ValueError(f"lesson id must be a non-empty string, not {lesson_id!r}")
        if not (_is_int(right) and _is_int(asked) and 0 <= right <= asked):
            score = f"{right!r} of {asked!r}"
            raise ValueError(f"score must be whole numbers with 0 <= right <= asked, not {score}")
        now = self._now()
        return self._save_with(
            lambda progress: with_lesson_finished(progress, lesson_id, (right, asked), now)
        )

    def record_visit(self) -> list[str]:
        """The learner is here: "last seen" becomes now (a class server calls this on connect)."""
        now = self._now()
        return self._save_with(lambda progress: Progress(progress.lessons, now))

    def _now(self) -> datetime:
        return self._clock().astimezone(timezone.utc)

    def _save_with(self, change: Callable[[Progress], Progress]) -> list[str]:
        on_disk, messages = self._read_or_move_aside()
        base = self._progress if on_disk is None else merged(on_disk, self._progress)
        self._progress = change(base)  # kept in memory even when the disk refuses it
        if self._keep_off:
            return messages
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, encode(self._progress))
        except OSError as error:
            reason = _reason(error)
            messages += self._save_failed(f"Progress cannot be saved in {self.directory} ({reason})")
        return messages

    def _save_failed(self, message: str) -> list[str]:
        if self._save_failure_reported:  # once per store: a learner needs to hear it once
            return []
        self._save_failure_reported = True
        return [f"{message}; this session's progress is kept until you quit."]

    def _read_or_move_aside(self) -> tuple[Progress | None, list[str]]:
        if self._keep_off:
            return None, []
        try:
            data = read_file(self.path)
            return (None, []) if data is None else (decode(data), [])
        except (NotProgress, Unreadable) as problem:
            return None, self._move_aside(str(problem))

    def _move_aside(self, problem: str) -> list[str]:
        try:
            destination = move_aside(self.path, self._now())
        except FileNotFoundError:  # another session of this learner moved it first
            return []
        except OSError as error:
            self._keep_off = True
            self._save_failure_reported = True  # this message already says it
            return [
                f"The progress file {self.path} {problem} and could not be moved aside "
                f"({_reason(error)}), so this session's progress will not be saved."
            ]
        return [
            f"The progress file {self.path} {problem}, so it was renamed {destination.name} "
            "in the same folder and a new one is started."
        ]


# ---- one store per learner --------------------------------------------------------------------


def learner_directory(data_dir: Path, learner: str) -> Path:
    """The directory of ``learner``'s progress under a server's ``data_dir``. The name is
    percent-encoded, so no name ("..", "a/b", ".hidden") can reach outside ``data_dir/learners``."""
    if not learner:
        raise ValueError("a learner's name must not be empty")
    encoded = quote(learner, safe="")
    if encoded.startswith("."):  # ".", ".." and hidden names
        encoded = "%2E" + encoded[1:]
    if len(encoded.encode()) > LONGEST_NAME:
        raise ValueError(f"a learner's name must be shorter: {learner[:20]!r}... is too long")
    return Path(data_dir) / "learners" / encoded


def learners(data_dir: Path) -> list[tuple[str, Path]]:
    """Every learner under ``data_dir`` as (name, directory), sorted by name; entries that
    ``learner_directory`` would not have made are left out."""
    try:
        entries = list(os.scandir(Path(data_dir) / "learners"))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        name = unquote(entry.name)
        with contextlib.suppress(ValueError):
            if entry.is_dir() and learner_directory(data_dir, name).name == entry.name:
                found.append((name, Path(entry.path)))
    return sorted(found)
