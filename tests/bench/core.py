"""Benchmark: the session's fast run against autograd and PyTorch, side by side in one run.

    python tests/bench/core.py [--updates 1000000] [--repeats 5]

For the seed neuron (W = 0.5, X = 2, α = 0.5, sigmoid, Loss = 1 − y) it prints:
- updates per second of Session.forward() with the full history kept, and of the same updates
  computed with the `autograd` package and with PyTorch (CPU), as medians of several runs,
  with the ratios;
- the history's memory per update over the full run (tracemalloc, in a separate run so tracing
  does not slow the timed ones);
- the final W of each, to show they computed the same trajectory.
PyTorch is optional (`pip install torch==2.13.0`); without it, its row says so.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import Session

SEED = NeuronConfig()


def session_run(updates: int) -> tuple[float, float]:
    session = Session(Neuron(SEED))
    start = time.perf_counter()
    session.forward(updates)
    elapsed = time.perf_counter() - start
    assert session.length == updates, "the seed neuron must not diverge"
    return elapsed, session.params(updates)[0]


def autograd_run(updates: int) -> tuple[float, float]:
    import autograd.numpy as anp
    from autograd import grad

    x, lr = SEED.x[0], SEED.lr

    def loss(w):
        return 1.0 - 1.0 / (1.0 + anp.exp(-(w * x)))

    dloss_dw = grad(loss)
    w = SEED.w[0]
    start = time.perf_counter()
    for _ in range(updates):
        w = w - lr * dloss_dw(w)
    return time.perf_counter() - start, float(w)


def torch_run(updates: int) -> tuple[float, float]:
    import torch

    torch.set_num_threads(1)  # one tiny scalar: threads only add overhead
    x = torch.tensor(SEED.x[0], dtype=torch.float64)
    w = torch.tensor(SEED.w[0], dtype=torch.float64, requires_grad=True)
    lr = SEED.lr
    start = time.perf_counter()
    for _ in range(updates):
        loss = 1.0 - torch.sigmoid(w * x)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return time.perf_counter() - start, float(w)


def bytes_per_update(updates: int) -> float:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    session = Session(Neuron(SEED))
    session.forward(updates)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert session.length == updates
    return (after - before) / updates


def measure(run, updates: int, repeats: int) -> tuple[float, float]:
    """Median updates/s over ``repeats`` runs, and the final W."""
    rates, final_w = [], 0.0
    for _ in range(repeats):
        elapsed, final_w = run(updates)
        rates.append(updates / elapsed)
    return statistics.median(rates), final_w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1_000_000, help="updates per session run")
    parser.add_argument("--peer-updates", type=int, default=20_000, help="updates per peer run")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    ours, ours_w = measure(session_run, args.updates, args.repeats)
    rows = [("calc-tutor Session.forward (history kept)", args.updates, ours, ours_w)]
    # The peers run fewer updates (they are ~100× slower); compare W after the same count.
    _, ours_w_short = session_run(args.peer_updates)
    peers = [("autograd", autograd_run)]
    try:
        import torch  # noqa: F401

        peers.append(("PyTorch (CPU)", torch_run))
    except ImportError:
        print("PyTorch is not installed: pip install torch==2.13.0 to compare with it")
    for name, run in peers:
        rate, final_w = measure(run, args.peer_updates, args.repeats)
        rows.append((name, args.peer_updates, rate, final_w))

    print(f"seed neuron: W={SEED.w[0]}, X={SEED.x[0]}, α={SEED.lr}, sigmoid, Loss = 1 − y")
    print(f"{'implementation':44} {'updates':>9} {'median updates/s':>17} {'ours ÷ it':>10}  final W")
    for name, updates, rate, final_w in rows:
        print(f"{name:44} {updates:>9,} {rate:>17,.0f} {ours / rate:>9.1f}×  {final_w!r}")
    print(f"(calc-tutor's W after {args.peer_updates:,} updates: {ours_w_short!r})")
    print(f"history memory: {bytes_per_update(args.updates):.1f} bytes per update over {args.updates:,}")
    print("goals: >= 300,000 updates/s with the full history; <= 64 bytes per update")


if __name__ == "__main__":
    main()
