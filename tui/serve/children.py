"""A running tutor, and the simplest way to start one: a new process per session."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable

# After a hang-up or SIGTERM the app leaves cleanly within its own 2 s grace; past this, SIGKILL.
STOP_GRACE_SECONDS = 3.0


class Child:
    """A tutor process watched through a pidfd: its end is seen whichever process is its parent,
    and a signal can never reach another process that reused its pid."""

    def __init__(self, pid: int, reap: Callable[[], int | None] = lambda: None) -> None:
        self.pid = pid
        self._reap = reap
        loop = asyncio.get_running_loop()
        self.ended: asyncio.Future[int | None] = loop.create_future()
        try:
            self.pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # already gone (and reaped by its parent)
            self.pidfd = None
            self.ended.set_result(None)
            return
        loop.add_reader(self.pidfd, self._on_end)

    def _on_end(self) -> None:
        asyncio.get_running_loop().remove_reader(self.pidfd)
        if not self.ended.done():
            self.ended.set_result(self._reap())

    def send(self, signum: int) -> None:
        if self.pidfd is None or self.ended.done():
            return
        try:
            signal.pidfd_send_signal(self.pidfd, signum)
        except ProcessLookupError:
            pass  # it ended a moment ago

    async def stop(self, first: int = signal.SIGTERM, grace: float = STOP_GRACE_SECONDS) -> None:
        """Ask it to leave (``first``), then end it if it has not within ``grace`` seconds."""
        self.send(first)
        try:
            await asyncio.wait_for(asyncio.shield(self.ended), grace)
        except asyncio.TimeoutError:
            self.send(signal.SIGKILL)
            await self.ended

    def close(self) -> None:
        if self.pidfd is not None:
            if not self.ended.done():
                asyncio.get_running_loop().remove_reader(self.pidfd)
            os.close(self.pidfd)
            self.pidfd = None


def exit_status(returncode: int | None) -> int:
    """A process's end as an SSH exit status: killed by signal N is 128 + N, as in a shell."""
    if returncode is None:
        return 0
    return 128 - returncode if returncode < 0 else returncode


class SpawnLauncher:
    """Starts each tutor as a new Python process (simple; slower to start than the fork server)."""

    def __init__(self, tutor_argv: list[str]) -> None:
        self.command = [sys.executable, "-m", "calc_tutor.tui.serve.in_pty", *tutor_argv]

    async def start(self, tty_fd: int, env: dict[str, str]) -> Child:
        # setsid happens in the child (start_new_session); it takes the PTY as its terminal itself.
        process = subprocess.Popen(self.command, stdin=tty_fd, stdout=tty_fd, stderr=tty_fd,
                                   env=env, start_new_session=True, close_fds=True)  # fmt: skip
        return Child(process.pid, reap=process.poll)

    def close(self) -> None:
        pass
