"""Benchmark: calc-tutor serve ssh under a class's load, with and without the fork server.

    python tests/bench/ssh.py [--sessions 30] [--seconds 60] [--mode both|fork|spawn] [--in-step]

For each mode a server starts on a free loopback port; --sessions asyncssh clients connect at
the same instant (80×24, xterm-256color), wait for their first frame, then each presses n once a
second for --seconds, each at its own moment within the second (--in-step: all at once).
Printed per mode:
- time to first frame: from the connection's start to the settled first screen, for the class
  connecting at once and for a learner joining every few seconds while the class steps;
- keypress-to-frame latency: from writing n to the last byte of the settled frame that shows
  that update applied (stepping starts once every session has drawn);
- memory per tutor: proportional set size (PSS, /proc/PID/smaps_rollup: shared pages split
  among the processes sharing them), sampled while all sessions run; the server's and the fork
  server's own PSS apart;
- CPU: the tutors' share of one core while stepping.
"Settled" means nothing more arrived for QUIET seconds. Goals (issue 8): key p95 ≤ 150 ms,
first frame ≤ 1 s under that load, ≤ 60 MB per session.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.serve.server import CSI, Server, connect, descendants, tutor_pids  # noqa: E402

QUIET = 0.15
FIRST_FRAME = "Step 1 (preview)"
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


async def read_until_quiet(process, quiet: float, timeout: float = 10.0) -> tuple[bytes, float]:
    """What arrives until ``quiet`` seconds pass without a byte: (bytes, time of the last byte)."""
    received, last = b"", time.perf_counter()
    deadline = last + timeout
    while time.perf_counter() < deadline:
        try:
            chunk = await asyncio.wait_for(process.stdout.read(65536), quiet)
        except asyncio.TimeoutError:
            break
        if not chunk:
            break
        received += chunk
        last = time.perf_counter()
    return received, last


async def first_frame(port: int) -> tuple[object, object, float]:
    """Connect and wait for the settled first screen: (connection, process, seconds)."""
    began = time.perf_counter()
    conn = await connect(port)
    process = await conn.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
    screen = b""
    while FIRST_FRAME not in CSI.sub("", screen.decode("utf-8", errors="replace")):
        chunk = await asyncio.wait_for(process.stdout.read(65536), 120)
        if not chunk:
            raise RuntimeError("the session ended before its first frame")
        screen += chunk
    _, last = await read_until_quiet(process, QUIET)
    return conn, process, last - began


async def step(process, number: int) -> float:
    """Press n; seconds until the frame showing update ``number`` applied has settled."""
    sent = time.perf_counter()
    process.stdin.write(b"n")
    # The status line of an applied update reads "Step N · ..." (a preview says "(preview)").
    marker, screen = f"Step {number} ·", b""
    while marker not in CSI.sub("", screen.decode("utf-8", errors="replace")):
        chunk = await asyncio.wait_for(process.stdout.read(65536), 30)
        if not chunk:
            raise RuntimeError("the session ended while stepping")
        screen += chunk
    _, last = await read_until_quiet(process, QUIET)
    return max(last, sent) - sent


async def learner(port: int, everyone_in: asyncio.Barrier, seconds: int, results: dict) -> None:
    conn, process, seconds_to_frame = await first_frame(port)
    results["storm"].append(seconds_to_frame)
    await everyone_in.wait()  # stepping starts once the whole class is in
    # Learners press at their own moments; --in-step makes every press land at the same instant.
    stepping = time.perf_counter() + (0.0 if results["in_step"] else random.random())
    for tick in range(seconds):
        await asyncio.sleep(max(0.0, stepping + tick - time.perf_counter()))
        results["key"].append(await step(process, tick + 1))
    conn.close()
    await conn.wait_closed()


async def latecomers(port: int, everyone_in: asyncio.Barrier, seconds: int, results: dict) -> None:
    """While the class steps, one more learner joins every few seconds (and leaves again)."""
    await everyone_in.wait()
    for _ in range(max(1, seconds // 6)):
        await asyncio.sleep(5)
        conn, _process, seconds_to_frame = await first_frame(port)
        results["late"].append(seconds_to_frame)
        conn.close()
        await conn.wait_closed()


def pss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pids: set[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except OSError:
            pass
    return total / TICKS_PER_SECOND


async def sample_memory(server: Server, everyone_in: asyncio.Barrier, seconds: int,
                        results: dict) -> None:  # fmt: skip
    """A few seconds into stepping: each process's PSS; then the tutors' CPU while they step."""
    await everyone_in.wait()
    await asyncio.sleep(3)
    tutors = tutor_pids(server.process.pid)
    others = descendants(server.process.pid) - tutors
    results["tutor_pss"] = [m for m in map(pss_mb, tutors) if m is not None]
    results["server_pss"] = pss_mb(server.process.pid)
    results["helper_pss"] = [m for m in map(pss_mb, others) if m is not None]
    server_side = {server.process.pid} | others
    cpu_start, server_start = cpu_seconds(tutors), cpu_seconds(server_side)
    wall_start = time.perf_counter()
    await asyncio.sleep(max(1, seconds - 8))  # while every session is still stepping
    wall = time.perf_counter() - wall_start
    results["cpu_share"] = (cpu_seconds(tutors) - cpu_start) / wall
    results["server_cpu_share"] = (cpu_seconds(server_side) - server_start) / wall


async def run(mode: str, sessions: int, seconds: int, in_step: bool) -> dict:
    # Room for the latecomers too.
    flags = ["--max-sessions", str(sessions + 1), "--per-address", str(sessions + 1),
             "--idle-timeout", "0"]  # fmt: skip
    if mode == "spawn":
        flags.append("--no-fork-server")
    server = Server.start(Path(tempfile.mkdtemp()), *flags)
    results: dict = {"storm": [], "late": [], "key": [], "in_step": in_step}
    try:
        await asyncio.sleep(3)  # as in a class: the server was started before the learners came
        everyone_in = asyncio.Barrier(sessions + 2)
        await asyncio.gather(
            *(learner(server.port, everyone_in, seconds, results) for _ in range(sessions)),
            latecomers(server.port, everyone_in, seconds, results),
            sample_memory(server, everyone_in, seconds, results),
        )
    finally:
        server.stop()
    return results


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(mode: str, sessions: int, results: dict) -> None:
    storm, late, key = results["storm"], results["late"], [k * 1000 for k in results["key"]]
    tutors = results["tutor_pss"]
    print(f"\n{mode}: {sessions} sessions{', pressing in step' if results['in_step'] else ''}")
    print(f"  first frame, all connecting at once   median {statistics.median(storm):.2f} s"
          f"   p95 {quantile(storm, 0.95):.2f} s   max {max(storm):.2f} s")
    print(f"  first frame, joining while they step  median {statistics.median(late):.2f} s"
          f"   max {max(late):.2f} s   ({len(late)} joins)")
    print(f"  key to frame    median {statistics.median(key):.0f} ms   p95 {quantile(key, 0.95):.0f} ms"
          f"   max {max(key):.0f} ms   ({len(key)} keys)")
    print(f"  PSS per tutor   median {statistics.median(tutors):.1f} MB   mean {statistics.mean(tutors):.1f} MB"
          f"   ({len(tutors)} tutors)")
    helpers = ", ".join(f"{m:.1f}" for m in results["helper_pss"])
    print(f"  server PSS      {results['server_pss'] or 0:.1f} MB; fork server {helpers or 'none'} MB")
    print(f"  CPU while stepping: tutors {results['cpu_share'] * 100:.0f}% of one core, server and "
          f"fork server {results['server_cpu_share'] * 100:.0f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--mode", choices=("both", "fork", "spawn"), default="both")
    parser.add_argument("--in-step", action="store_true",
                        help="every learner presses at the same instant (the worst case)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    for mode in ("fork", "spawn") if args.mode == "both" else (args.mode,):
        report(mode, args.sessions, asyncio.run(run(mode, args.sessions, args.seconds, args.in_step)))


if __name__ == "__main__":
    main()
