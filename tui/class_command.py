"""``calc-tutor class``: what a teacher sees of a class server's learners, one row each.

Reads each learner's progress file without changing it (a learner's file is theirs: one that
cannot be read is reported, never moved). Light to import: the lessons load when it runs.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from .serve.command import add_data_dir_flag, data_dir_of

FORMATS = ("table", "jsonl")
NEVER = "-"


def add_class_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "class", allow_abbrev=False,
        help="for the teacher: each learner's lessons finished, score and last visit",
        description="One row per learner who connected to calc-tutor serve: the lessons they "
        "finished, their score (answers right the first time, of those asked, over their best "
        "try at each lesson) and when they were last seen.",
    )  # fmt: skip
    add_data_dir_flag(parser, "the folder serve --data-dir kept progress in (default: the "
                              "class folder in the data directory, as serve's)")  # fmt: skip
    parser.add_argument("--format", dest="class_format", choices=FORMATS,
                        help="a table to read (default) or one JSON object per learner")  # fmt: skip


@dataclass(frozen=True)
class LearnerRow:
    name: str
    finished: tuple[str, ...]  # lesson ids
    right: int
    asked: int
    last_seen: datetime | None
    problem: str | None  # why their progress could not be read


def class_rows(data_dir: Path) -> list[LearnerRow]:
    from .learner_progress import learners, read_progress

    rows = []
    for name, directory in learners(data_dir):
        progress, problem = read_progress(directory)
        if progress is None:
            rows.append(LearnerRow(name, (), 0, 0, None, problem))
            continue
        right, asked = progress.total_score()
        rows.append(LearnerRow(name, progress.finished_lessons(), right, asked, progress.last_seen, None))
    return rows


def run_class(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the class; a learner whose file cannot be read is a row saying so, and a line on
    ``err`` naming the file. A data directory that is not there yet says so (status 0)."""
    data_dir = data_dir_of(args)
    if not data_dir.is_dir():
        if args.data_dir is not None:
            from calc_tutor.core.config import ConfigError, quote

            raise ConfigError("data-dir", f"{quote(args.data_dir)} does not exist")
        print(f"calc-tutor class: no learner has connected yet ({data_dir} does not exist)", file=err)
        return 0
    rows = class_rows(data_dir)
    for row in rows:
        if row.problem is not None:
            print(f"calc-tutor class: {row.problem}", file=err)
    if not rows:
        print(f"calc-tutor class: no learner has connected yet (none in {data_dir})", file=err)
        return 0
    if (args.class_format or FORMATS[0]) == "jsonl":
        out.writelines(json.dumps(as_json(row), ensure_ascii=False) + "\n" for row in rows)
    else:
        out.write(table(rows, lesson_numbers()))
    return 0


def lesson_numbers() -> dict[str, int]:
    """Built-in lesson id → its number in ``calc-tutor lessons``."""
    from calc_tutor.core.lesson import built_in_lessons

    return {lesson.id: number for number, lesson in enumerate(built_in_lessons(), start=1)}


def as_json(row: LearnerRow) -> dict:
    return {
        "learner": row.name,
        "finished": list(row.finished),
        "right_first_time": row.right,
        "asked": row.asked,
        "last_seen": None if row.last_seen is None else row.last_seen.isoformat(),
        "problem": row.problem,
    }


def table(rows: Iterable[LearnerRow], numbers: dict[str, int]) -> str:
    header = ("LEARNER", "LESSONS FINISHED", "SCORE", "LAST SEEN")
    lines = [header] + [_cells(row, numbers) for row in rows]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header) - 1)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths)) + f"  {line[-1]}\n"
        for line in lines
    )


def _cells(row: LearnerRow, numbers: dict[str, int]) -> tuple[str, str, str, str]:
    if row.problem is not None:
        return (row.name, "(progress file unreadable)", NEVER, NEVER)
    return (row.name, _finished(row.finished, numbers), _score(row), _when(row.last_seen))


def _finished(finished: tuple[str, ...], numbers: dict[str, int]) -> str:
    """``3 of 8: 1 2 5``; a teacher's own lessons follow by name."""
    built_in = sorted(numbers[lesson] for lesson in finished if lesson in numbers)
    own = [lesson for lesson in finished if lesson not in numbers]
    count = f"{len(built_in)} of {len(numbers)}"
    listed = " ".join([*map(str, built_in), *own])
    return f"{count}: {listed}" if listed else count


def _score(row: LearnerRow) -> str:
    return f"{row.right}/{row.asked}" if row.asked else NEVER


def _when(moment: datetime | None) -> str:
    return NEVER if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")
