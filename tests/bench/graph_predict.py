"""Benchmark: predict mode in the graph view (c, then k) through a real pseudo-terminal at 80×24.

    python tests/bench/graph_predict.py [--updates 3]

Bytes written and latency, medians, for the Enter that sends a right answer (the box's gradient
shows, the next box is asked) and for the Enter after the last box (the update shown and
applied), at a history of 0 and of 100,000 updates. Goals (tests/bench/app.py): at most 4 KB a
key; latency flat in the history. Each answer is typed before its Enter is timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from pty_terminal import PtyTerminal

from calc_tutor.core.neuron import Neuron
from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.predict import next_askable_step
from calc_tutor.core.session import Session

TUTOR = [sys.executable, "-m", "calc_tutor.tui.cli"]
MODELS = {"neuron": {}, "neuron with a bias": {"b": 0.25}}


def flags(config: dict) -> list[str]:
    return ["--bias", str(config["b"])] if "b" in config else []


def answers(config: dict, history: int, updates: int) -> list[list[str]]:
    """The right answers, update by update, from the engine (what the app asks, in order)."""
    session = Session(Neuron(NeuronConfig(**config)))
    session.forward(history)
    out = []
    for _ in range(updates):
        graph = session.model.graph(session.preview())
        index, values = 0, []
        while (index := next_askable_step(graph, index)) is not None:
            values.append(repr(graph.backward[index - 1].gradient))
        out.append(values)
        session.forward(1)
    return out


def run(config: dict, history: int, updates: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    terminal = PtyTerminal(TUTOR + flags(config) + ["--steps", str(history)])
    revealed, applied = [], []
    try:
        terminal.first_frame(b"Step")
        terminal.press(b"c")
        terminal.press(b"k")
        for values in answers(config, history, updates):
            for i, value in enumerate(values):
                terminal.press(value.encode())
                (applied if i == len(values) - 1 else revealed).append(terminal.press(b"\r"))
            terminal.press(b"\r")  # Enter: predict the next update
        return revealed, applied
    finally:
        terminal.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=3)
    args = parser.parse_args()
    for name, config in MODELS.items():
        for history in (0, 100_000):
            revealed, applied = run(config, history, args.updates)
            for what, keys in (("right answer", revealed), ("last: applied", applied)):
                sizes = [size for size, _ in keys]
                latency = statistics.median(seconds for _, seconds in keys)
                print(f"{name:20} {what:14} history {history:>7,}: "
                      f"{statistics.median(sizes):6.0f} bytes (max {max(sizes)}), {latency * 1000:5.1f} ms")


if __name__ == "__main__":
    main()
