"""`trace --format text|markdown`: the derivation a learner reads, from the same numbers as JSON."""

from __future__ import annotations

import io
import json

from calc_tutor.core.numbers import fmt_value
from calc_tutor.tui.cli import build_parser, join_negative_values, setup_from_args
from calc_tutor.tui.trace import run_trace

from .conftest import run_cli

FLAGS = ("--w", "0.5,-0.25", "--x", "2,1", "--bias", "0.1", "--lr", "0.1", "--steps", "3")


def test_text_shows_every_factor_with_the_json_values():
    text = run_cli("trace", *FLAGS, "--format", "text").out
    lines = [json.loads(line) for line in run_cli("trace", *FLAGS).out.splitlines()]
    assert "\x1b" not in text  # not a terminal: no colour codes
    steps = text.split("\nStep ")[1:]
    assert len(steps) == 3
    for block, line in zip(steps, lines):
        for symbol in ("z = W·X + b", "dy/dz = y(1 − y)", "dLoss/dz = dLoss/dy · dy/dz",
                       "dLoss/dW = dLoss/dy · dy/dz · dz/dW = −1 · y(1 − y) · X",
                       "dLoss/db", "W ← W − α·dLoss/dW", "b ← b − α·dLoss/db"):  # fmt: skip
            assert symbol in block
        for key in ("z", "y", "loss", "dy_dz", "dloss_dw", "dloss_db", "w_next", "b_next"):
            assert f"= {fmt_value(tuple(line[key]) if isinstance(line[key], list) else line[key])}" in block


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def trace_text_on_a_terminal() -> str:
    args = build_parser().parse_args(join_negative_values(["trace", "--steps", "1"]))
    out = Terminal()
    run_trace(setup_from_args(args, default_steps=1).model, 1, "text", out, io.StringIO())
    return out.getvalue()


def test_text_is_coloured_only_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[1m" in trace_text_on_a_terminal()


def test_no_color_turns_colour_off_on_a_terminal(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    text = trace_text_on_a_terminal()
    assert "\x1b" not in text and "dLoss/dW" in text


def test_markdown_is_a_document_with_meanings():
    md = run_cli("trace", *FLAGS, "--format", "markdown").out
    assert md.startswith("# calc-tutor trace\n")
    assert md.count("\n## Step ") == 3
    assert md.count("| formula | with numbers | value | what it means |") == 9
    assert "The sigmoid is steepest at z = 0, where dy/dz = 0.25" in md  # its note travels along
    assert "\x1b" not in md


def test_text_and_markdown_stop_at_a_divergence():
    flags = ("--activation", "linear", "--loss", "mse", "--target", "0", "--lr", "1e300", "--steps", "9")
    text = run_cli("trace", *flags, "--format", "text")
    json_lines = run_cli("trace", *flags).out.splitlines()
    assert text.code == 0 and text.out.count("\nStep ") == len(json_lines) < 9
    assert "α too large" in text.err


def test_text_says_each_value_once_and_one_element_vectors_as_numbers():
    text = run_cli("trace", "--w", "0.5", "--x", "2", "--lr", "0.1", "--steps", "1",
                   "--format", "text").out
    assert "    dz/dW = X = 2\n" in text  # not "= 2 = [2]"
    assert "    dLoss/dy = −1\n" in text  # not "dLoss/dy = −1 = −1"
    assert "[" not in text.split("Step 1")[1]
    assert "-" not in text.split("Step 1")[1].replace("-y", "")  # one minus sign: "−"


def test_saturated_text_adds_up_as_read():
    text = run_cli("trace", "--w", "10", "--x", "1", "--steps", "1", "--format", "text").out
    assert "1 × (1 − 1)" not in text and "= 1 − 1 =" not in text


def test_trace_notes_stalls_and_bouncing_on_stderr_once():
    dead = run_cli("trace", "--activation", "relu", "--loss", "mse", "--w", "-0.5", "--steps", "5")
    assert dead.code == 0 and len(dead.out.splitlines()) == 5
    assert dead.err == ("calc-tutor trace: step 1: dead ReLU: z = −1 < 0, so dy/dz = 0 and W "
                        "cannot move\n")
    bouncing = run_cli("trace", "--activation", "tanh", "--loss", "mse", "--target", "0.2",
                       "--bias", "0.1", "--lr", "0.5", "--steps", "400")
    notes = bouncing.err.splitlines()
    assert len(notes) == 1 and "bouncing" in notes[0] and "stable limit 2/L″" in notes[0]
