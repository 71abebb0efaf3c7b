"""Benchmark: memory stays bounded in `calc-tutor trace` and in a long session with many edits.

    python tests/bench/memory.py [--trace-steps 100000 10000000] [--session-steps 10000000]
                                 [--edits 20] [--wide-steps 1000000]

Every figure comes from a separate child process (peak resident memory from the kernel's
accounting of that child, ``ru_maxrss``), so one measurement never inflates another:
- `calc-tutor trace --steps N` for each N: time to the first line, peak memory, lines written
  (a streamed trace: the peak should not depend on N);
- a seed-neuron session run to ``--session-steps``, then ``--edits`` edits of α, each after
  stepping back one update, as the app does (`b`, then an edit): memory before and after;
- a 64-feature neuron session run to ``--wide-steps`` (its parameter rows are thinned to fit).
Pass 0 to skip a part. A 10⁷-step trace writes ~1.6 GB of JSON: several minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import time

SESSION_CHILD = """
import json, resource, time
from dataclasses import replace
from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import Session

def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

config = NeuronConfig(**{config})
figures = {{"baseline_mb": rss_mb()}}
session = Session(Neuron(config))
start = time.perf_counter()
session.forward({steps})
figures["run_s"] = time.perf_counter() - start
figures["length"] = session.length
figures["after_run_mb"] = rss_mb()
for edit in range({edits}):
    session.back(1)  # `b`
    session.branch(Neuron(replace(config, lr=config.lr * (1 + edit) / 10)),
                   session.params(session.cursor))
figures["after_edits_mb"] = rss_mb()
figures["can_undo"] = session.can_undo
print(json.dumps(figures))
"""


def peak_of(process: subprocess.Popen) -> float:
    """Wait for ``process``; its peak resident memory in MB."""
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def trace_figures(steps: int) -> dict:
    command = [sys.executable, "-m", "calc_tutor.tui.cli", "trace", "--steps", str(steps)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    assert process.stdout is not None
    first = process.stdout.readline()
    first_line_s = time.perf_counter() - start
    lines = 1 if first else 0
    while chunk := process.stdout.read(1 << 20):
        lines += chunk.count(b"\n")
    peak = peak_of(process)
    return {"steps": steps, "first_line_s": first_line_s, "total_s": time.perf_counter() - start,
            "peak_mb": peak, "lines": lines}  # fmt: skip


def session_figures(config: str, steps: int, edits: int) -> dict:
    code = textwrap.dedent(SESSION_CHILD).format(config=config, steps=steps, edits=edits)
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert process.stdout is not None
    output = process.stdout.read()
    figures = json.loads(output)
    figures["peak_mb"] = peak_of(process)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trace-steps", type=int, nargs="*", default=[100_000, 10_000_000])
    parser.add_argument("--session-steps", type=int, default=10_000_000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--wide-steps", type=int, default=1_000_000)
    args = parser.parse_args()

    traces = [trace_figures(steps) for steps in args.trace_steps if steps]
    if traces:
        print("calc-tutor trace --steps N > pipe (seed neuron, jsonl)")
        print(f"{'N':>12} {'first line':>11} {'total':>9} {'peak RSS':>9} {'lines':>11}")
        for row in traces:
            print(f"{row['steps']:>12,} {row['first_line_s'] * 1000:>9.1f}ms {row['total_s']:>8.1f}s "
                  f"{row['peak_mb']:>7.1f}MB {row['lines']:>11,}")  # fmt: skip
        if len(traces) > 1:
            print(f"peak ratio, largest N ÷ smallest N: {traces[-1]['peak_mb'] / traces[0]['peak_mb']:.2f}")
    if args.session_steps:
        row = session_figures("{}", args.session_steps, args.edits)
        print(f"\nseed-neuron session, {row['length']:,} updates in {row['run_s']:.1f}s, "
              f"then {args.edits} edits each after stepping back:")
        print(f"  RSS at start {row['baseline_mb']:.1f} MB, after the run {row['after_run_mb']:.1f} MB, "
              f"after the edits {row['after_edits_mb']:.1f} MB "
              f"(+{row['after_edits_mb'] - row['after_run_mb']:.1f} MB); peak {row['peak_mb']:.1f} MB")
    if args.wide_steps:
        wide = "{'w': (0.01,) * 64, 'x': tuple((i % 5 - 2) / 2 for i in range(64)), 'lr': 0.05}"
        row = session_figures(wide, args.wide_steps, 0)
        print(f"\n64-feature neuron session, {row['length']:,} updates in {row['run_s']:.1f}s: "
              f"RSS {row['after_run_mb']:.1f} MB, peak {row['peak_mb']:.1f} MB (goal: under ~256 MB)")


if __name__ == "__main__":
    main()
