"""`calc-tutor trace` streams: each update is written as it is computed, and what it writes is
exactly what the app's session holds for the same run (same records, same divergence)."""

from __future__ import annotations

import io
import tracemalloc

import pytest

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.derivation import derive
from calc_tutor.core.diagnosis import NoteWatch
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import Session
from calc_tutor.tui.render import render_markdown, render_markdown_header, render_text, render_text_header
from calc_tutor.tui.trace import record_json, run_trace

MODELS = {
    "seed neuron": lambda: Neuron(NeuronConfig()),
    "bias, two features, tanh, mse": lambda: Neuron(NeuronConfig(
        w=(0.7, -0.3), x=(1.5, 2.0), b=0.1, lr=0.3, activation="tanh", loss="mse", target=0.25)),
    "growth divergence": lambda: Neuron(NeuronConfig(
        w=(1.0,), x=(1.0,), lr=5.0, activation="linear", loss="mse", target=0.0)),
    "non-finite divergence": lambda: Neuron(NeuronConfig(
        w=(1.0,), x=(3.0,), lr=1e300, activation="linear", loss="mse", target=0.0)),
    "overflow at the first update": lambda: Neuron(NeuronConfig(w=(1e300,), x=(1e300,))),
    "mlp": lambda: Mlp(MlpConfig(x=(0.5, -1.0), hidden=3, seed=5, activation="relu", loss="bce",
                                 target=0.2)),
}  # fmt: skip


def expected_from_session(model, steps: int, fmt: str) -> tuple[str, str]:
    """The trace rebuilt from a session's stored run: its records, its notes, its divergence."""
    session = Session(model)
    session.forward(steps)
    divergence = session.divergence
    out = {"text": render_text_header(model, False), "markdown": render_markdown_header(model)}.get(fmt, "")
    notes, err = NoteWatch(model), ""
    for step in range(1, session.length + 1):
        record = session.record(step)
        note = notes.see(record) if divergence is None or step < divergence.step else None
        if note is not None:
            err += f"calc-tutor trace: step {step}: {note.text}\n"
        if fmt == "jsonl":
            out += record_json(record, step, divergence is not None and step == divergence.step) + "\n"
        else:
            derivation = derive(session.model_at(step - 1), record, step)
            out += render_text(derivation, False) if fmt == "text" else render_markdown(derivation)
    if divergence:
        err += f"calc-tutor trace: stopped after step {divergence.step}: {divergence.reason}\n"
    return out, err


@pytest.mark.parametrize("fmt", ["jsonl", "text", "markdown"])
@pytest.mark.parametrize("kind", MODELS)
def test_the_stream_is_the_sessions_run(kind, fmt):
    steps = 40
    out, err = io.StringIO(), io.StringIO()
    assert run_trace(MODELS[kind](), steps, fmt, out, err) == 0
    expected_out, expected_err = expected_from_session(MODELS[kind](), steps, fmt)
    assert out.getvalue() == expected_out
    assert err.getvalue() == expected_err
    if "divergence" in kind or "overflow" in kind:
        assert expected_err  # these configs really diverge within the run


class FirstLine(Exception):
    pass


class StopAtFirstLine(io.StringIO):
    """An output that ends the run at its first write, noting the memory in use by then."""

    def write(self, text: str) -> int:
        self.traced = tracemalloc.get_traced_memory()[0]
        raise FirstLine


def test_the_first_line_is_written_before_the_run_is_computed():
    out = StopAtFirstLine()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        with pytest.raises(FirstLine):
            run_trace(Neuron(NeuronConfig()), 1_000_000, "jsonl", out, io.StringIO())
    finally:
        tracemalloc.stop()
    assert out.traced - before < 100_000  # a stored run of 10⁶ updates holds 16 MB


class Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def peak_memory(steps: int) -> int:
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run_trace(Neuron(NeuronConfig()), steps, "jsonl", Discard(), io.StringIO())
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_whatever_the_number_of_steps():
    short, long = peak_memory(1_000), peak_memory(15_000)
    assert long < short + 50_000  # storing the run would add 15,000 × 16 bytes = 240 KB
