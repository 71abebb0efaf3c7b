"""The tutor's side of a session: take the PTY as the controlling terminal, then run the app.

Run as ``python -m calc_tutor.tui.serve.in_pty FLAGS`` by a new session (setsid) whose fds 0-2
are the PTY, or called by the fork server. Without the controlling terminal a dropped client
leaves the app spinning: the hang-up of the PTY reaches only a terminal's own session.
"""

from __future__ import annotations

import fcntl
import os
import sys
import termios


def take_terminal(tty_fd: int) -> None:
    """In a fresh process: a new session, ``tty_fd`` as fds 0-2 and as controlling terminal."""
    os.setsid()
    for fd in (0, 1, 2):
        os.dup2(tty_fd, fd)
    if tty_fd > 2:
        os.close(tty_fd)
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def run_tutor(argv: list[str]) -> int:
    from calc_tutor.tui.cli import main as cli_main

    try:
        return cli_main(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1


def main() -> None:
    # A spawned process is already a session leader with the PTY as fds 0-2.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    sys.exit(run_tutor(sys.argv[1:]))


if __name__ == "__main__":
    main()
