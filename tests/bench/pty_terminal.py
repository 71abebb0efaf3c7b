"""A program in a pseudo-terminal of a fixed size, as a terminal (or an SSH channel) sees it.

Measures what crosses the wire: the bytes the program writes and when it stops writing. A frame
has *settled* when nothing more arrives for ``quiet`` seconds; its time is that of the last byte.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time


class PtyTerminal:
    def __init__(self, argv: list[str], columns: int = 80, rows: int = 24, env: dict | None = None):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
        environment.update(env or {})
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=environment,
            start_new_session=True, close_fds=True,
        )  # fmt: skip
        os.close(slave)
        self.received = bytearray()

    def read_until_quiet(self, quiet: float, timeout: float = 30.0) -> tuple[int, float]:
        """Read until ``quiet`` seconds pass with no output: (bytes read, time of the last byte)."""
        count, last = 0, time.perf_counter()
        deadline = last + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the program ended
                break
            if not chunk:
                break
            count += len(chunk)
            self.received += chunk
            last = time.perf_counter()
        return count, last

    def wait_for(self, text: bytes, timeout: float = 30.0) -> None:
        """Read until ``text`` has appeared in the output."""
        deadline = time.perf_counter() + timeout
        while text not in self.received:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{text!r} never appeared")
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                self.received += os.read(self.master, 65536)

    def first_frame(self, marker: bytes, quiet: float = 0.5) -> float:
        """Seconds from launch until the first full screen (one showing ``marker``) settled."""
        self.wait_for(marker)
        _, last = self.read_until_quiet(quiet)
        return last - self.started

    def press(self, key: bytes, quiet: float = 0.25) -> tuple[int, float]:
        """Send a key; (bytes written in reply, seconds from the keypress to the settled frame)."""
        sent = time.perf_counter()
        os.write(self.master, key)
        count, last = self.read_until_quiet(quiet)
        return count, (last - sent) if count else 0.0

    def close(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)
