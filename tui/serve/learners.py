"""Who a connection is, as a learner, and where their progress is kept on a class server."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Callable
from pathlib import Path

from calc_tutor.core.config import quote

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


# A browser's own learner token (a cookie of ours): what tells apart learners who give no name.
BROWSER_COOKIE = "calc_tutor_learner"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_browser_token() -> str:
    return secrets.token_urlsafe(18)


def browser_learner(user: str | None, token: str | None) -> str:
    """A browser tab's learner: the user name given with the class password; else this
    browser's token, so the same browser finds its progress again; else one for this tab only
    (a browser that keeps no cookie)."""
    if user and user.strip():
        return user.strip()
    if token is None or not _TOKEN.fullmatch(token):
        token = new_browser_token()
    return f"browser-{token}"


def progress_env(data_dir: Path, learner: str) -> dict[str, str]:
    """The variable that points a learner's tutor at their own progress; ValueError names what
    is wrong with an unusable name (empty, or too long to be a folder's name)."""
    return {PROGRESS_DIR_VARIABLE: str(learner_directory(data_dir, learner).absolute())}


def unusable_name(error: ValueError, how_to_change: str) -> str:
    """The line a learner reads when their name cannot name a folder."""
    return f"Sorry, your name cannot name the folder your progress is kept in ({error}). {how_to_change}"


async def note_visit(data_dir: Path, learner: str, log: Callable[[str], None]) -> None:
    """"Last seen" becomes now, for the teacher's class view; problems go to ``log``. In a
    thread: a slow disk must not hold up every other learner's screen."""
    store = ProgressStore(learner_directory(data_dir, learner))
    for problem in await asyncio.to_thread(store.record_visit):
        log(f"learner {quote(learner)}: {problem}")
