"""The SSH server: each session runs its own tutor in its own PTY, and nothing else is served.

Refused: exec requests, subsystems (sftp), port and agent forwarding, X11, and shells without a
PTY. A session's keys reach the PTY through asyncssh's redirect (which also passes window
changes on); the screen is copied back here, so the server knows when it has all been sent.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

import asyncssh

from calc_tutor.core.config import quote

from .auth import KEYS, NONE, PASSWORD, Auth
from .authorized_keys import AuthorizedKeys
from .children import Child, exit_status
from .learners import learner_name, note_visit, progress_env, unusable_name
from .limits import SessionLimits, idle_for, note_drawn
from .log import log_line
from .terminal import open_pty, tutor_env

NO_PTY = "calc-tutor needs a terminal: connect with ssh -t HOST, and no command."
FAILED = "Sorry, the tutor could not start. Please tell your teacher, then try again."
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# Time for the app's last frame (leaving the alternate screen) to be sent before the session closes.
DRAIN_SECONDS = 2.0
READ_SIZE = 65536
# Open connections allowed per session place: room for a learner's second try while a first
# connection is still closing, and for logins in progress.
CONNECTIONS_PER_SESSION = 2


class Launcher(Protocol):
    async def start(self, tty_fd: int, env: dict[str, str]) -> Child: ...


@dataclass(frozen=True)
class ServerOptions:
    host: str
    port: int
    max_sessions: int
    per_address: int
    idle_timeout: int  # seconds without a key before a session ends; 0: never
    auth: Auth
    data_dir: Path  # each learner's progress is kept under it
    authorized_keys: AuthorizedKeys | None = None  # read_keys(auth), with KEYS


class TutorProcess(asyncssh.SSHServerProcess):
    """A session that can only run the tutor; it notes when the learner last typed."""

    def __init__(self, handler: Callable[[TutorProcess], Awaitable[None]]) -> None:
        super().__init__(handler, None, 0, False)
        self.last_input = time.monotonic()
        self.drawn = asyncio.Event()

    def exec_requested(self, command: str) -> bool:
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        pass  # ctrl+c reaches the app as a key through the PTY; no client signals a process

    def break_received(self, msec: int) -> bool:
        return False

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self.last_input = time.monotonic()
        super().data_received(data, datatype)


class Hub:
    """What every connection shares: options, limits, the running tutors and the log."""

    def __init__(self, options: ServerOptions, launcher: Launcher, log: TextIO) -> None:
        self.options = options
        self.launcher = launcher
        self.limits = SessionLimits(options.max_sessions, options.per_address)
        # Connections, logged in or not, so a flood of half-open logins cannot exhaust the server.
        self.connection_limits = SessionLimits(options.max_sessions * CONNECTIONS_PER_SESSION,
                                               options.per_address * CONNECTIONS_PER_SESSION)  # fmt: skip
        self.children: set[Child] = set()
        self.sessions: set[asyncio.Task] = set()
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.log_file = log
        self.env = dict(os.environ)

    def log(self, line: str) -> None:
        log_line(self.log_file, line)

    async def run_session(self, connection: TutorServer, process: TutorProcess) -> None:
        connection.sessions += 1
        task = asyncio.current_task()
        self.sessions.add(task)
        try:
            if process.term_type is None:
                return _refuse(process, NO_PTY)
            try:
                learner_env = progress_env(self.options.data_dir, connection.learner)
            except ValueError as error:
                connection.note = "refused: unusable name"
                return _refuse(process, unusable_name(error, "Connect again with another: ssh NAME@HOST."))
            refusal = self.limits.admit(connection.address)
            if refusal is not None:
                connection.note = "refused: full"
                return _refuse(process, refusal)
            try:
                await note_visit(self.options.data_dir, connection.learner, self.log)
                status = await self._run_tutor(process, learner_env)
            finally:
                self.limits.release(connection.address)
                await note_visit(self.options.data_dir, connection.learner, self.log)  # they left
            if not process.is_closing():
                process.exit(status)
        except Exception as error:  # one failing session must not stop the server
            connection.note = f"failed: {error!r}"
            if not process.is_closing():
                _refuse(process, FAILED)
        finally:
            self.sessions.discard(task)
        await process.wait_closed()

    async def _run_tutor(self, process: TutorProcess, learner_env: dict[str, str]) -> int:
        columns, rows, _, _ = process.term_size
        master, slave = open_pty(columns, rows)
        try:
            env = {**tutor_env(self.env, process.term_type), **learner_env}
            child = await self.launcher.start(slave, env)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self.children.add(child)
        screen = asyncio.create_task(copy_screen(os.dup(master), process))
        # The channel's own close: process.wait_closed() also waits for the redirect to end.
        waits = {child.ended, asyncio.ensure_future(process.channel.wait_closed())}
        if self.options.idle_timeout:
            waits.add(asyncio.create_task(idle_for(process, self.options.idle_timeout)))
        try:
            process.set_redirect_pid(child.pid)
            # The keys, and window changes (asyncssh sizes the PTY and signals the app).
            await process.redirect(stdin=master, send_eof=False)
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            farewell = ""
            if not child.ended.done():
                if process.is_closing():  # the learner left: hang up their PTY, the app ends
                    screen.cancel()
                    await asyncio.wait({screen})  # its copy of the master is closed now
                    await child.stop(signal.SIGHUP)
                else:
                    minutes = self.options.idle_timeout / 60
                    farewell = f"\r\nSession ended after {minutes:g} min without a key press.\r\n"
                    await child.stop(signal.SIGTERM)
            # The app's last bytes restore the learner's terminal: send them before closing.
            await asyncio.wait({screen}, timeout=DRAIN_SECONDS)
            if farewell and not process.is_closing():
                process.stdout.write(farewell.encode())
            return exit_status(child.ended.result())
        finally:
            screen.cancel()
            for wait in waits:
                if wait is not child.ended:
                    wait.cancel()
            if not child.ended.done():
                await child.stop(signal.SIGHUP)
            self.children.discard(child)
            child.close()

    async def stop_all(self) -> None:
        """End every tutor: SIGTERM first (the app leaves cleanly), SIGKILL after the grace;
        then give each session a moment to send its last frame and close."""
        await asyncio.gather(*(child.stop(signal.SIGTERM) for child in list(self.children)))
        if self.sessions:
            await asyncio.wait(list(self.sessions), timeout=DRAIN_SECONDS * 2)
        for connection in list(self.connections):
            connection.close()
        if self.connections:
            await asyncio.wait([asyncio.ensure_future(c.wait_closed()) for c in self.connections],
                               timeout=DRAIN_SECONDS)  # fmt: skip


async def copy_screen(fd: int, process: TutorProcess) -> None:
    """The app's output to the client, until the PTY ends (every copy of its slave is closed)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0)
    )
    try:
        while chunk := await reader.read(READ_SIZE):
            note_drawn(process)
            process.stdout.write(chunk)
            await process.stdout.drain()
    except (OSError, asyncssh.Error):
        pass  # EIO: the app and its terminal are gone; or the channel closed
    finally:
        transport.close()


def _refuse(process: TutorProcess, message: str) -> None:
    process.stderr.write(f"{message}\r\n".encode())
    process.exit(1)


class TutorServer(asyncssh.SSHServer):
    """One client connection: its address and who it is, for the limits, progress and the log."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.address = "?"
        self.user = ""
        self.key_comment: str | None = None  # the comment of the listed key that let them in
        self.sessions = 0
        self.counted = False  # holds a place in the connection limits
        self.note = ""
        self.started = time.monotonic()
        self.connection: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        peer = conn.get_extra_info("peername")
        self.address = str(peer[0]) if peer else "?"
        self.connection = conn
        if self.hub.connection_limits.admit(self.address) is not None:
            self.note = "refused: too many connections"
            conn.abort()  # before any login: the client's own error says the connection closed
            return
        self.counted = True
        self.hub.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        self.hub.connections.discard(self.connection)
        if self.counted:
            self.hub.connection_limits.release(self.address)
        # One line per connection, never a password: time, address, user, duration.
        seconds = time.monotonic() - self.started
        note = f" ({self.note})" if self.note else ""
        learner = f" learner {quote(self.learner)}" if self.learner != self.user else ""
        self.hub.log(f"{self.address} user {quote(self.user)}{learner} {seconds:.1f} s{note}")

    @property
    def learner(self) -> str:
        return learner_name(self.user, self.key_comment)

    def begin_auth(self, username: str) -> bool:
        self.user = username
        return self.hub.options.auth.mode != NONE

    def password_auth_supported(self) -> bool:
        return self.hub.options.auth.mode == PASSWORD

    def validate_password(self, username: str, password: str) -> bool:
        return self.hub.options.auth.password_matches(password)

    def public_key_auth_supported(self) -> bool:
        return self.hub.options.auth.mode == KEYS

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        comment = self.hub.options.authorized_keys.match(key, self.address)
        if comment is None:
            return False
        self.key_comment = comment
        return True

    def session_requested(self) -> TutorProcess:
        return TutorProcess(lambda process: self.hub.run_session(self, process))


async def serve(options: ServerOptions, host_key: asyncssh.SSHKey, launcher: Launcher,
                announce: Callable[[int], None], log: TextIO = sys.stderr) -> int:  # fmt: skip
    """Serve until SIGTERM, SIGINT or SIGHUP; then end every tutor and return 0."""
    hub = Hub(options, launcher, log)
    server = await asyncssh.create_server(
        lambda: TutorServer(hub), options.host, options.port,
        server_host_keys=[host_key],
        encoding=None, line_editor=False,
        agent_forwarding=False, x11_forwarding=False, allow_scp=False,
        login_timeout=30, keepalive_interval=60,
    )  # fmt: skip
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    announce(server.get_port())
    try:
        await stop.wait()
    finally:
        server.close()  # no new connections
        await hub.stop_all()
        await server.wait_closed()
    hub.log("stopped; every tutor ended")
    return 0
