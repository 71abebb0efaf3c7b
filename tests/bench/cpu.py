"""Benchmark: the tutor's own CPU for a step and for a start as the fork server starts one.

    python tests/bench/cpu.py [--presses 30] [--starts 10]

1. A step: the tutor in a pseudo-terminal at 80×24, n pressed --presses times, each frame let
   settle; CPU seconds (user + system, all its threads) per press, from /proc.
2. A start: this process loads the tutor as the fork server does (zygote.preload, then the
   tutor run ahead when the fork server has one), forks a tutor on a new pseudo-terminal and
   reads until its first frame has settled: the child's CPU up to then, median of --starts.
CPU, not wall time: other work on the machine barely moves it. Run it from two checkouts to
compare them.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pty_terminal import PtyTerminal  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
MARKER = b"Step 1 (preview)"


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def step_cpu(presses: int) -> float:
    terminal = PtyTerminal([sys.executable, "-m", "calc_tutor.tui.cli"])
    try:
        terminal.first_frame(b"Step")
        before = cpu_seconds(terminal.process.pid)
        for _ in range(presses):
            terminal.press(b"n", quiet=0.12)
        return (cpu_seconds(terminal.process.pid) - before) / presses
    finally:
        terminal.close()


def start_cpu(starts: int) -> list[float]:
    import fcntl
    import struct
    import termios

    from calc_tutor.tui.serve import zygote
    from calc_tutor.tui.serve.in_pty import run_tutor, take_terminal

    zygote.preload()
    if hasattr(zygote, "warm_up_when_idle"):  # this checkout runs a tutor ahead
        from calc_tutor.tui.serve.warm_up import warm_up

        warm_up([])
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    seconds = []
    for _ in range(starts):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        pid = os.fork()
        if pid == 0:
            os.close(master)
            take_terminal(slave)
            os.environ.update(TERM="xterm-256color")
            os._exit(run_tutor([]))
        os.close(slave)
        screen = b""
        while MARKER not in screen:
            select.select([master], [], [], 10)
            screen += os.read(master, 65536)
        while select.select([master], [], [], 0.3)[0]:  # settled: nothing more for 0.3 s
            if not os.read(master, 65536):
                break
        seconds.append(cpu_seconds(pid))
        os.write(master, b"q")
        os.waitpid(pid, 0)
        os.close(master)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--starts", type=int, default=10)
    args = parser.parse_args()
    per_step = step_cpu(args.presses)
    print(f"1. a step (n) at 80×24: {per_step * 1000:.1f} ms CPU (mean of {args.presses} presses)")
    starts = start_cpu(args.starts)
    print(f"2. a forked tutor's start to its settled first frame: {statistics.median(starts) * 1000:.0f} ms CPU "
          f"(median of {args.starts}; {min(starts) * 1000:.0f}–{max(starts) * 1000:.0f})")


if __name__ == "__main__":
    main()
