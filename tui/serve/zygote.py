"""The fork server ("zygote"): a process that loads the tutor once and forks one per session.

A forked tutor starts in a fraction of the time a new interpreter takes, and shares the
loaded code's memory pages with its siblings. The zygote is a fresh interpreter of its own,
not a fork of the SSH server: forking a process that runs threads and an event loop is unsafe,
and this way a zygote that died is replaced the same way it was started.

Protocol, over a Unix SOCK_SEQPACKET pair: the server sends the session's environment (JSON)
with the PTY's slave as an attached fd; the zygote answers with the new tutor's pid (ASCII).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Callable

from .children import Child

MAX_MESSAGE = 1 << 20
# The first request waits for the zygote to finish loading the app (seconds on a busy machine).
REPLY_SECONDS = 30.0


class ZygoteLauncher:
    """Starts tutors by asking the zygote; starts (or restarts) the zygote when needed."""

    def __init__(self, tutor_argv: list[str], report: Callable[[str], None]) -> None:
        self.tutor_argv = tutor_argv
        self.report = report
        self.process: subprocess.Popen | None = None
        self.socket: socket.socket | None = None
        self.lock: asyncio.Lock | None = None
        self._launch()

    def _launch(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [sys.executable, "-m", "calc_tutor.tui.serve.zygote", str(theirs.fileno()),
                   *self.tutor_argv]  # fmt: skip
        self.process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        ours.setblocking(False)
        self.socket = ours

    async def start(self, tty_fd: int, env: dict[str, str]) -> Child:
        if self.lock is None:
            self.lock = asyncio.Lock()
        async with self.lock:  # one request at a time: each reply answers the request before it
            try:
                return await self._ask(tty_fd, env)
            except (OSError, ValueError, asyncio.TimeoutError) as error:
                # A zygote that died or hangs would leave every later learner waiting: replace it.
                self.report(f"the fork server failed ({error!r}); starting a new one")
                self.close()
                self._launch()
                return await self._ask(tty_fd, env)

    async def _ask(self, tty_fd: int, env: dict[str, str]) -> Child:
        loop = asyncio.get_running_loop()
        socket.send_fds(self.socket, [json.dumps(env).encode()], [tty_fd])
        reply = await asyncio.wait_for(loop.sock_recv(self.socket, 64), REPLY_SECONDS)
        if not reply:
            raise ConnectionError("the fork server closed its socket")
        return Child(int(reply))

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()  # the zygote ends when its socket closes
            self.socket = None
        if self.process is not None:
            try:
                self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


def preload() -> None:
    """Load what every tutor needs, then freeze it: the collector never touches (and so never
    copies) the shared pages."""
    import numpy  # noqa: F401
    import plotext  # noqa: F401
    import textual.drivers.linux_driver  # noqa: F401

    import calc_tutor.tui.app  # noqa: F401
    import calc_tutor.tui.cli  # noqa: F401
    import calc_tutor.tui.launch  # noqa: F401

    gc.collect()
    gc.freeze()


def warm_up_when_idle(sock: socket.socket, tutor_argv: list[str]) -> bool:
    """Run one tutor (warm_up.py) unless a learner is waiting: those who came first are served
    first, without it. True once it has run."""
    if select.select([sock], [], [], 0)[0]:
        return False
    from .warm_up import warm_up

    try:
        warm_up(tutor_argv)
    except Exception as error:  # noqa: BLE001 (tutors then start as they would without it)
        print(f"calc-tutor serve: no tutor could be run ahead ({error!r}); each starts cold",
              file=sys.stderr)  # fmt: skip
    gc.collect()
    gc.freeze()  # what the tutor left loaded is shared from now on, as the imports are
    return True


def serve_forks(sock: socket.socket, tutor_argv: list[str]) -> None:
    """Fork a tutor for each request, until the server closes the socket."""
    from .in_pty import run_tutor, take_terminal

    warm = False
    while True:
        if not warm:
            warm = warm_up_when_idle(sock, tutor_argv)
        try:
            message, fds, _flags, _address = socket.recv_fds(sock, MAX_MESSAGE, 1)
        except ConnectionResetError:
            return
        if not message:
            return  # the server closed the socket: it is stopping
        env = json.loads(message)
        pid = os.fork()
        if pid == 0:
            sock.close()
            # The signal handling of a freshly started Python, as a spawned tutor has.
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            take_terminal(fds[0])
            os.environ.clear()
            os.environ.update(env)
            code = 1
            try:
                code = run_tutor(tutor_argv)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        for fd in fds:
            os.close(fd)  # the tutor holds the PTY now; the hang-up must not wait for this copy
        sock.send(str(pid).encode())


def main() -> None:
    # The teacher's ctrl+c is for the server, which then closes the socket: that ends the zygote.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.setpgrp()
    # The tutors' exits are seen by the server through pidfds; here they are only reaped.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    sock = socket.socket(fileno=int(sys.argv[1]))
    preload()
    serve_forks(sock, sys.argv[2:])


if __name__ == "__main__":
    main()
