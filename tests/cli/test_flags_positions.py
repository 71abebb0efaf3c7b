"""Starting-state flags work before and after ``trace`` alike (issue 9: flags before it were
dropped, so ``calc-tutor --steps 2 trace`` printed 10 lines)."""

from __future__ import annotations

import json

import pytest

from calc_tutor.tui.cli import STATE_NAMES, SWITCH_NAMES

from .conftest import run_cli

# Each flag with a value that changes the trace from the default one, and the flags it needs
# (always given after ``trace``). Every starting-state flag is here: the test below checks that.
CHANGES = {
    "w": ("0.3", ()),
    "x": ("1.5", ()),
    "bias": ("0.2", ()),
    "lr": ("0.2", ()),
    "activation": ("tanh", ()),
    "loss": ("mse", ()),
    "target": ("0.3", ("--loss", "mse")),
    "steps": ("2", ()),
    "model": ("mlp", ()),
    "hidden": ("5", ("--model", "mlp")),
    "seed": ("3", ("--model", "mlp")),
    "w1": ("0.3,0.2,0.1", ("--model", "mlp")),
    "b1": ("0.1,0,0", ("--model", "mlp")),
    "w2": ("1,2,3", ("--model", "mlp")),
    "b2": ("0.5", ("--model", "mlp")),
    "data": ("and", ()),
}
SWITCHES = set(SWITCH_NAMES)  # flags without a value: their positions are tested in test_data_flags


def trace_lines(*argv: str) -> list[dict]:
    result = run_cli(*argv)
    assert result.code == 0 and result.err == "", result.err
    return [json.loads(line) for line in result.out.splitlines()]


def test_every_starting_state_flag_is_covered():
    assert set(CHANGES) | SWITCHES == set(STATE_NAMES)


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_flag_before_trace_does_what_it_does_after(name):
    value, needs = CHANGES[name]
    after = trace_lines("trace", *needs, f"--{name}", value)
    before = trace_lines(f"--{name}", value, "trace", *needs)
    assert before == after
    assert after != trace_lines("trace", *needs)  # the flag changed something


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_flag_given_before_and_after_trace_must_agree(name):
    value, needs = CHANGES[name]
    other = {"activation": "sigmoid", "loss": "one-minus-y", "model": "neuron"}.get(name, "4")
    result = run_cli(f"--{name}", other, "trace", *needs, f"--{name}", value)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith(f"calc-tutor trace: error: --{name}: is given before and after trace")
    assert repr(other) in line and repr(value) in line
    # The same value in both places is no conflict.
    same = trace_lines(f"--{name}", value, "trace", *needs, f"--{name}", value)
    assert same == trace_lines("trace", *needs, f"--{name}", value)


def test_the_issues_examples():
    assert len(trace_lines("--steps", "2", "trace")) == 2
    lines = trace_lines("--loss", "mse", "--target", "0.3", "trace", "--steps", "1")
    (line,) = lines
    # Squared error against t = 0.3, computed here from the step's own y.
    assert line["loss"] == pytest.approx((line["y"] - 0.3) ** 2, rel=1e-12)
    assert line["dloss_dy"] == pytest.approx(2 * (line["y"] - 0.3), rel=1e-12)


def test_negative_values_work_in_both_positions():
    before = trace_lines("--w", "-0.5", "--bias", "-0.1", "trace", "--steps", "1")
    after = trace_lines("trace", "--steps", "1", "--w", "-0.5", "--bias", "-0.1")
    assert before == after
    assert before[0]["w"] == [-0.5] and before[0]["b"] == -0.1


def test_the_network_flags_before_trace_build_the_network():
    (line,) = trace_lines("--model", "mlp", "--hidden", "4", "--seed", "7", "trace", "--steps", "1")
    (same,) = trace_lines("trace", "--steps", "1", "--model", "mlp", "--hidden", "4", "--seed", "7")
    assert line == same
    assert "w1" in line and len(line["w1"]) == 4  # four hidden units, one row each


def test_format_works_before_trace_as_after():
    before = run_cli("--format", "markdown", "trace", "--steps", "1")
    after = run_cli("trace", "--steps", "1", "--format", "markdown")
    assert before.code == after.code == 0 and before.out == after.out
    assert before.out != run_cli("trace", "--steps", "1").out


@pytest.mark.parametrize(("argv", "flag", "phrase"), [
    (["--format", "text", "trace", "--format", "jsonl"], "--format", "given before and after trace"),
    (["--format", "text"], "--format", "only applies to calc-tutor trace"),
    (["--theme", "nord", "trace"], "--theme", "only applies to the app"),
    (["--ascii", "trace"], "--ascii", "only applies to the app"),
])  # fmt: skip
def test_a_flag_in_the_wrong_place_is_refused_not_ignored(argv, flag, phrase):
    result = run_cli(*argv)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert flag in line and phrase in line, line
