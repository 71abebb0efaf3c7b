"""Start the app from validated flags: a terminal is checked for and an unknown --theme is a
usage error before anything runs; SIGTERM and SIGHUP leave the terminal as ``q`` does."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import termios
import threading
from typing import TYPE_CHECKING

from calc_tutor.core.config import quote

if TYPE_CHECKING:
    from calc_tutor.core.lesson import Lesson

    from .app import CalcTutorApp
    from .cli import Setup

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
# After a signal the app gets this long to leave cleanly; a hung-up or stuck one is then ended.
GRACE_SECONDS = 2.0
# After SIGHUP the terminal is gone (an SSH client dropped): nothing is left to restore, and a
# served learner's place should free at once, not after the full grace.
HANGUP_GRACE_SECONDS = 0.25
# What Textual writes when it leaves: kitty keys off, main screen, cursor shown, no focus
# reports, mouse tracking off; written directly only if the app could not leave in time.
RESTORE = (
    "\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l"
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l"
)


def not_terminals() -> list[str]:
    """The standard streams that are not a terminal, where the app needs one to run.

    Textual reads keys from stdin and draws on stderr; stdout is checked too, as a redirected
    stdout means a script is reading. Textual's web driver (TEXTUAL_DRIVER, as textual-serve
    sets it) talks over pipes instead: nothing to check then.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return []
    streams = {"stdin": sys.__stdin__, "stdout": sys.__stdout__, "stderr": sys.__stderr__}
    return [name for name, stream in streams.items() if stream is None or not stream.isatty()]


def launch(
    setup: Setup, theme: str | None, ascii_only: bool, parser: argparse.ArgumentParser,
    lesson: Lesson | None = None, demo_pace: float | None = None,
) -> int:
    missing = not_terminals()
    if missing:
        names = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
        parser.exit(2, f"calc-tutor: error: the tutor needs a terminal, and {names} "
                       f"{'is' if len(missing) == 1 else 'are'} not one; "
                       "for a scriptable run use: calc-tutor trace\n")  # fmt: skip
    from .app import CalcTutorApp, theme_names

    names = theme_names()
    if theme is not None and theme not in names:
        parser.exit(2, f"calc-tutor: error: --theme: unknown theme {quote(theme)}; "
                       f"choose one of: {', '.join(names)}\n")  # fmt: skip
    # The Linux console's font has no braille and little box drawing: plain ASCII there.
    ascii_only = ascii_only or os.environ.get("TERM") == "linux"
    app = CalcTutorApp(setup.model, steps=setup.steps, theme=theme, ascii_only=ascii_only,
                       lesson=lesson, demo_pace=demo_pace)  # fmt: skip
    with exit_on_signals(app):
        app.run()
    return app.return_code or 0


class exit_on_signals:  # noqa: N801 (used as a context manager, named like one)
    """While the app runs, SIGTERM and SIGHUP make it exit as ``q`` does, restoring the terminal.

    The handler asks the app's event loop to exit (thread-safe, so it wakes a loop that waits
    for input). If the app has not ended after GRACE_SECONDS (a hung-up terminal can block its
    writes), the restore sequences are written directly and the process ends.
    """

    def __init__(self, app: CalcTutorApp) -> None:
        self.app = app
        self.previous: dict[int, object] = {}
        self.timer: threading.Timer | None = None
        self.terminal_mode: list | None = None

    def __enter__(self) -> exit_on_signals:
        try:
            self.terminal_mode = termios.tcgetattr(sys.__stdin__.fileno())
        except (termios.error, AttributeError, ValueError):
            self.terminal_mode = None  # not a terminal (the web driver's pipes)
        for signum in EXIT_SIGNALS:
            self.previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.timer is not None:
            self.timer.cancel()
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def _on_signal(self, signum: int, frame: object) -> None:
        code = 128 + signum  # the shell's status for a process ended by a signal
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise SystemExit(code) from None  # not drawing yet, or any more: nothing to restore
        if self.timer is None:
            grace = HANGUP_GRACE_SECONDS if signum == signal.SIGHUP else GRACE_SECONDS
            self.timer = threading.Timer(grace, self._end_now, args=(code,))
            self.timer.daemon = True
            self.timer.start()
        loop.call_soon_threadsafe(lambda: self.app.exit(return_code=code))

    def _end_now(self, code: int) -> None:
        try:
            if self.terminal_mode is not None:
                termios.tcsetattr(sys.__stdin__.fileno(), termios.TCSANOW, self.terminal_mode)
            os.write(sys.__stderr__.fileno(), RESTORE.encode())
        except (OSError, termios.error, AttributeError, ValueError):
            pass  # the terminal is gone: nothing left to restore
        os._exit(code)
