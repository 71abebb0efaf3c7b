"""The app in a real pseudo-terminal: SIGTERM and SIGHUP leave the terminal as ``q`` does, a
hung-up terminal ends the app, and without a terminal the app says so instead of hanging
(issue 10)."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time

import pytest

from calc_tutor.tui.launch import GRACE_SECONDS

from ..bench.pty_terminal import PtyTerminal

APP = [sys.executable, "-m", "calc_tutor.tui.cli"]
ALT_SCREEN_ON = b"\x1b[?1049h"
# What a terminal needs to be itself again: main screen, cursor shown, every mouse mode off.
RESTORED = (b"\x1b[?1049l", b"\x1b[?25h", b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l")


def read_until_exit(terminal: PtyTerminal, timeout: float) -> float:
    """Read what the app writes until it ends; the seconds it took."""
    start = time.perf_counter()
    while terminal.process.poll() is None and time.perf_counter() - start < timeout:
        terminal.read_until_quiet(0.1, timeout=0.5)
    elapsed = time.perf_counter() - start
    terminal.read_until_quiet(0.1, timeout=1.0)  # whatever was still in the PTY
    return elapsed


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_restores_the_terminal_and_ends_the_app(signum):
    terminal = PtyTerminal(APP)
    try:
        terminal.wait_for(ALT_SCREEN_ON, timeout=60)
        terminal.read_until_quiet(0.5)  # the first frame has settled
        drawn = len(terminal.received)
        os.kill(terminal.process.pid, signum)
        elapsed = read_until_exit(terminal, timeout=10)
        after = bytes(terminal.received[drawn:])
        assert terminal.process.returncode == 128 + signum  # the status of a signalled end
        for sequence in RESTORED:
            assert sequence in after, sequence
        # The app itself left (not the fallback that ends it after the grace period).
        assert elapsed < GRACE_SECONDS
    finally:
        terminal.close()


def _take_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the PTY becomes the child's controlling terminal


def test_a_hung_up_terminal_ends_the_app():
    # As when an SSH client drops: the PTY's master closes and the app gets SIGHUP with no
    # terminal left to write to. It must end, not spin.
    master, slave = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color"}
    process = subprocess.Popen(APP, stdin=slave, stdout=slave, stderr=slave, env=env,
                               start_new_session=True, preexec_fn=_take_terminal)  # fmt: skip
    os.close(slave)
    try:
        received, deadline = b"", time.perf_counter() + 60
        while ALT_SCREEN_ON not in received and time.perf_counter() < deadline:
            if select.select([master], [], [], 0.5)[0]:
                received += os.read(master, 65536)
        assert ALT_SCREEN_ON in received
        time.sleep(0.5)
        closed = time.perf_counter()
        os.close(master)
        master = None
        process.wait(timeout=GRACE_SECONDS + 3)
        # Well before the grace a SIGTERM gets: a dropped learner's place frees at once.
        assert time.perf_counter() - closed < GRACE_SECONDS
    finally:
        if master is not None:
            os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("where", ["stdin", "stdout"])
def test_without_a_terminal_the_app_says_so_and_ends(where):
    # ``calc-tutor < /dev/null`` wrote escape codes and never ended.
    terminal = PtyTerminal(["/bin/sh", "-c", f'exec "$@" {"<" if where == "stdin" else ">"} /dev/null',
                            "sh", *APP])  # fmt: skip
    try:
        read_until_exit(terminal, timeout=60)
        assert terminal.process.returncode == 2
        text = terminal.received.decode()
        assert "\x1b" not in text
        (line,) = text.splitlines()
        assert line.startswith("calc-tutor: error: the tutor needs a terminal, and ")
        assert f" {where} is not one;" in line and line.endswith("use: calc-tutor trace")
    finally:
        terminal.close()


def test_the_web_driver_is_not_refused_on_pipes():
    # textual-serve runs the app over pipes with TEXTUAL_DRIVER set: the app must start.
    env = {**os.environ, "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}
    process = subprocess.Popen(APP, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)  # fmt: skip
    try:
        started = b""
        deadline = time.perf_counter() + 60
        while b"__GANGLION__" not in started and time.perf_counter() < deadline:
            if select.select([process.stdout], [], [], 0.5)[0]:
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                started += chunk
        assert b"__GANGLION__" in started, process.stderr.read1() if process.poll() else started
    finally:
        process.terminate()  # the web driver ends on SIGTERM by itself
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            stream.close()
