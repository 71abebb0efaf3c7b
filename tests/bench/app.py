"""Benchmark: the app through a real pseudo-terminal at 80×24, side by side with its peers.

    python tests/bench/app.py [--repeats 21] [--presses 20]

Parts 2 and 3 run for the single neuron and for the two-layer network (--model mlp).

1. Startup: seconds until the first full screen has settled, calc-tutor against a bare Textual
   app with a Header and a Footer (tests/bench/bare_app.py), launched alternately.
   Goal: within 1.5× of the bare app.
2. Step latency: keypress (n) to settled frame with a history of 100,000 updates against a
   history of 0. Goal: within 1.5×. (4. the same for the network)
3. Bytes written to the terminal per step at 80×24. Goal: at most 4 KB. (5. for the network)
Figures are medians (these machines are noisy); "settled" means no output for a quiet period,
and a time is that of the last byte before it.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import sys
from pathlib import Path

import calc_tutor.core
import calc_tutor.tui

from pty_terminal import PtyTerminal

HERE = Path(__file__).parent
TUTOR = [sys.executable, "-m", "calc_tutor.tui.cli"]
BARE = [sys.executable, str(HERE / "bare_app.py")]
TUTOR_MARKER = b"Step"
BARE_MARKER = b"Quit"


def startup(argv: list[str], marker: bytes) -> float:
    terminal = PtyTerminal(argv)
    try:
        return terminal.first_frame(marker)
    finally:
        terminal.close()


MODELS = {"neuron": [], "network": ["--model", "mlp", "--x", "1,2"]}  # name → flags


def steps(history: int, presses: int, flags: list[str]) -> tuple[list[float], list[int]]:
    terminal = PtyTerminal(TUTOR + flags + ["--steps", str(history)])
    try:
        terminal.first_frame(TUTOR_MARKER)
        latencies, sizes = [], []
        for _ in range(presses):
            size, latency = terminal.press(b"n")
            latencies.append(latency)
            sizes.append(size)
        return latencies, sizes
    finally:
        terminal.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)  # launches are noisy: many, alternated
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args()
    # `pip install .` byte-compiles the package; an editable checkout run with
    # PYTHONDONTWRITEBYTECODE set would instead compile every module at every launch.
    for package in (calc_tutor.core, calc_tutor.tui):
        compileall.compile_dir(package.__path__[0], quiet=1)

    tutor_times, bare_times = [], []
    for _ in range(args.repeats):
        bare_times.append(startup(BARE, BARE_MARKER))
        tutor_times.append(startup(TUTOR, TUTOR_MARKER))
    tutor, bare = statistics.median(tutor_times), statistics.median(bare_times)
    print("1. startup to first settled full screen, 80×24 (median of", args.repeats, "launches)")
    print(f"   bare Textual app (Header + Footer): {bare * 1000:7.0f} ms")
    print(f"   calc-tutor:                         {tutor * 1000:7.0f} ms   ratio {tutor / bare:.2f}× (goal ≤ 1.5×)")

    network_times = [startup(TUTOR + MODELS["network"], TUTOR_MARKER) for _ in range(args.repeats)]
    network = statistics.median(network_times)
    print(f"   calc-tutor --model mlp:             {network * 1000:7.0f} ms   ratio {network / bare:.2f}×")

    for number, (name, flags) in enumerate(MODELS.items()):
        short_latency, short_sizes = steps(0, args.presses, flags)
        long_latency, long_sizes = steps(100_000, args.presses, flags)
        short, long = statistics.median(short_latency), statistics.median(long_latency)
        print(f"{2 + 2 * number}. {name}: keypress n → settled frame (median of {args.presses} presses)")
        print(f"   history 0:       {short * 1000:6.1f} ms")
        print(f"   history 100,000: {long * 1000:6.1f} ms   ratio {long / short:.2f}× (goal ≤ 1.5×)")
        sizes = short_sizes + long_sizes
        print(f"{3 + 2 * number}. {name}: bytes written per step at 80×24")
        print(f"   median {statistics.median(sizes):,.0f} B, max {max(sizes):,} B (goal ≤ 4,096 B)")

if __name__ == "__main__":
    main()
