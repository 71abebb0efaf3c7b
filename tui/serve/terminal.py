"""A session's pseudo-terminal, and the environment its tutor runs in."""

from __future__ import annotations

import fcntl
import os
import struct
import termios

DEFAULT_SIZE = (80, 24)
# Textual would take these over the terminal's real size, and never see a resize.
SIZE_VARIABLES = ("COLUMNS", "LINES")


def open_pty(columns: int, rows: int) -> tuple[int, int]:
    """(master, slave), the slave sized as the client's window (80×24 if it sent none)."""
    if columns <= 0 or rows <= 0:
        columns, rows = DEFAULT_SIZE
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return master, slave


def tutor_env(base: dict[str, str], term: str) -> dict[str, str]:
    """The server's environment with the client's TERM; nothing else the client sent is used."""
    env = {name: value for name, value in base.items() if name not in SIZE_VARIABLES}
    env["TERM"] = term or "xterm"
    return env
