"""A real ``calc-tutor serve ssh`` (or ``serve web``) on a free loopback port, and an asyncssh
client's view of it."""

from __future__ import annotations

import asyncio
import math
import os
import re
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

SERVE = [sys.executable, "-m", "calc_tutor.tui.cli", "serve"]
LISTENING = re.compile(r"on (\S+):(\d+) ")
# Textual positions and colours text with CSI sequences; the screen's words are what is left.
CSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")
START_SECONDS = 20.0
FRAME_SECONDS = 8.0


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    state_dir: Path
    log: list[str] = field(default_factory=list)
    unread: bytes = b""

    @classmethod
    def start(cls, state_dir: Path, *flags: str, mode: str = "ssh") -> Server:
        env = {**os.environ, "XDG_STATE_HOME": str(state_dir)}
        process = subprocess.Popen([*SERVE, mode, "--port", "0", *flags], env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        server = cls(process, 0, state_dir)
        line = server.read_log_line(START_SECONDS)
        match = LISTENING.search(line)
        if match is None:
            server.stop()
            raise AssertionError(f"the server did not start: {line!r}")
        server.port = int(match.group(2))
        return server

    def read_log_line(self, timeout: float) -> str:
        """The server's next line on stderr (its log), or '' after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        fd = self.process.stderr.fileno()
        while b"\n" not in self.unread:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return ""
            chunk = os.read(fd, 65536)  # unbuffered: a line never waits in a reader's buffer
            if not chunk:
                return ""
            self.unread += chunk
        line, self.unread = self.unread.split(b"\n", 1)
        self.log.append(line.decode() + "\n")
        return self.log[-1]

    def wait_log(self, text: str, timeout: float = 5.0) -> str:
        """The first log line holding ``text``, reading on as lines arrive."""
        deadline = time.monotonic() + timeout
        for line in self.log:
            if text in line:
                return line
        while (left := deadline - time.monotonic()) > 0:
            line = self.read_log_line(left)
            if text in line:
                return line
        raise AssertionError(f"no log line holds {text!r}: {self.log}")

    def tutors(self) -> set[int]:
        return tutor_pids(self.process.pid)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        rest = self.unread + self.process.stderr.read()
        self.log.extend(line.decode() + "\n" for line in rest.splitlines())
        self.process.stderr.close()
        return code


def step_one_w(w: float, x: float = 2.0, lr: float = 0.5) -> float:
    """W after one update of the default neuron (sigmoid, Loss = 1 − y): W + α·y(1 − y)·X."""
    y = 1 / (1 + math.exp(-w * x))
    return w + lr * y * (1 - y) * x


def tutor_pids(server_pid: int) -> set[int]:
    """The server's running descendants that lead a session: its learners' tutors."""
    return descendants(server_pid, session_leaders=True)


def descendants(server_pid: int, session_leaders: bool = False) -> set[int]:
    """The running processes below ``server_pid`` (only those leading a session, if asked)."""
    parents: dict[int, int] = {}
    leaders: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The name (field 2) may hold spaces: the fields after its closing parenthesis.
        fields = stat[stat.rindex(")") + 2 :].split()
        state, ppid, session = fields[0], int(fields[1]), int(fields[3])
        pid = int(entry)
        parents[pid] = ppid
        if state != "Z" and (session == pid or not session_leaders):
            leaders.add(pid)
    return {pid for pid in leaders if _descends(pid, server_pid, parents)}


def _descends(pid: int, ancestor: int, parents: dict[int, int]) -> bool:
    while pid > 1:
        pid = parents.get(pid, 0)
        if pid == ancestor:
            return True
    return False


def wait_until(condition, timeout: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


async def connect(port: int, **options: object) -> asyncssh.SSHClientConnection:
    options = {"username": "learner", "client_keys": None, "agent_path": None, **options}
    return await asyncssh.connect("127.0.0.1", port, known_hosts=None, **options)


class Screen:
    """What a session's client has received, read as text."""

    def __init__(self, process: asyncssh.SSHClientProcess) -> None:
        self.process = process
        self.raw = bytearray()

    @property
    def text(self) -> str:
        return CSI.sub("", self.raw.decode("utf-8", errors="replace"))

    async def wait_for(self, pattern: str | re.Pattern[str], timeout: float = FRAME_SECONDS,
                       raw: bool = False) -> re.Match[str]:  # fmt: skip
        """Read until ``pattern`` appears (in the text, or in the raw bytes with ``raw``)."""
        start = len(self.raw)
        deadline = time.monotonic() + timeout
        while True:
            seen = self.raw[start:].decode("utf-8", errors="replace")
            match = re.search(pattern, seen if raw else CSI.sub("", seen))
            if match:
                return match
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{pattern!r} never arrived; last text: {self.text[-400:]!r}")
            try:
                chunk = await asyncio.wait_for(self.process.stdout.read(65536), left)
            except asyncio.TimeoutError:
                continue
            if not chunk:
                raise AssertionError(f"the session ended before {pattern!r}; text: {self.text[-400:]!r}")
            self.raw += chunk


async def open_tutor(conn: asyncssh.SSHClientConnection, size: tuple[int, int] = (80, 24),
                     term: str = "xterm-256color") -> Screen:  # fmt: skip
    process = await conn.create_process(term_type=term, term_size=size, encoding=None)
    return Screen(process)
