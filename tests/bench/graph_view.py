"""Benchmark: the graph view (key c) through a real pseudo-terminal at 80×24.

    python tests/bench/graph_view.py [--presses 20]

Bytes written and latency per key, medians, for a step (n) and a backward-walk key (s) with
the graph shown, at a history of 0 and of 100,000 updates. Goals (tests/bench/app.py): at most
4 KB a step; latency flat in the history.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from pty_terminal import PtyTerminal

TUTOR = [sys.executable, "-m", "calc_tutor.tui.cli"]
MODELS = {"neuron": [], "neuron with a bias": ["--bias", "0.25"], "network (a path)": ["--model", "mlp"]}


def presses(flags: list[str], history: int, key: bytes, count: int) -> tuple[list[int], list[float]]:
    terminal = PtyTerminal(TUTOR + flags + ["--steps", str(history)])
    try:
        terminal.first_frame(b"Step")
        terminal.press(b"c")
        sizes, latencies = [], []
        for _ in range(count):
            size, latency = terminal.press(key)
            sizes.append(size)
            latencies.append(latency)
        return sizes, latencies
    finally:
        terminal.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args()
    for name, flags in MODELS.items():
        for key, what in ((b"n", "step (n)"), (b"s", "walk key (s)")):
            for history in (0, 100_000):
                sizes, latencies = presses(flags, history, key, args.presses)
                print(f"{name:20} {what:13} history {history:>7,}: "
                      f"{statistics.median(sizes):6.0f} bytes (max {max(sizes)}), "
                      f"{statistics.median(latencies) * 1000:5.1f} ms")


if __name__ == "__main__":
    main()
