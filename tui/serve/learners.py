"""Who a connection is, as a learner, and where their progress is kept on a class server."""

from __future__ import annotations

from pathlib import Path

from calc_tutor.tui.learner_progress import (
    PROGRESS_DIR_VARIABLE,
    ProgressStore,
    data_directory,
    learner_directory,
)


def default_class_directory() -> Path:
    """``$XDG_DATA_HOME/calc-tutor/class``: a server's learners, apart from the teacher's own."""
    return data_directory() / "class"


def learner_name(user: str, key_comment: str | None) -> str:
    """The key's comment names the learner when it has one (a class may share one user name);
    else the SSH user name."""
    return key_comment.strip() if key_comment and key_comment.strip() else user


def progress_env(data_dir: Path, learner: str) -> dict[str, str]:
    """The variable that points a learner's tutor at their own progress; ValueError names what
    is wrong with an unusable name (empty, or too long to be a folder's name)."""
    return {PROGRESS_DIR_VARIABLE: str(learner_directory(data_dir, learner).absolute())}


def note_visit(data_dir: Path, learner: str) -> list[str]:
    """"Last seen" becomes now, for the teacher's class view; the problems, as log lines."""
    return ProgressStore(learner_directory(data_dir, learner)).record_visit()
