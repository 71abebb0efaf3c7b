"""Bad flags: status 2, one stderr line naming the flag and the problem, nothing on stdout."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from calc_tutor.tui.cli import STATE_NAMES, SWITCH_NAMES

from .conftest import run_cli

# Bad starting states: the app and trace refuse each the same way.
BAD_STATES = [
    (["--w", "abc"], "--w", "not a number"),
    (["--w", "0.5,"], "--w", "missing a number"),
    (["--x", "1,,2"], "--x", "missing a number at position 2"),
    (["--x", ""], "--x", "missing a number"),
    (["--lr", "nan"], "--lr", "NaN"),
    (["--lr", "inf"], "--lr", "infinite"),
    (["--lr", "-inf"], "--lr", "infinite"),
    (["--bias", "NaN"], "--bias", "NaN"),
    (["--target", "1e999"], "--target", "infinite"),
    (["--lr", "0"], "--lr", "not positive"),
    (["--lr", "-0.1"], "--lr", "not positive"),
    (["--w", "1,2", "--x", "1"], "--w", "2 value(s)"),
    (["--w", "1", "--x", "1,2,3"], "--w", "give one weight per input"),
    (["--activation", "softmax"], "--activation", "unknown activation 'softmax'"),
    (["--loss", "hinge"], "--loss", "unknown loss 'hinge'"),
    (["--loss", "bce", "--activation", "tanh"], "--loss", "sigmoid"),
    (["--loss", "bce", "--activation", "relu"], "--loss", "sigmoid"),
    (["--loss", "bce", "--target", "1.5"], "--target", "outside [0, 1]"),
    (["--loss", "bce", "--target", "-0.1"], "--target", "outside [0, 1]"),
    (["--target", "0.5"], "--target", "fixed target of 1"),
    (["--steps", "-3"], "--steps", "out of range"),
    (["--steps", "2.5"], "--steps", "not a whole number"),
    (["--steps", "many"], "--steps", "not a whole number"),
    (["--steps", "100000000"], "--steps", "out of range"),
    # Loss = 1 − y falls forever unless the output stays at or below 1 (issue 9).
    (["--activation", "relu"], "--loss", "never exceeds 1"),
    (["--activation", "leaky-relu", "--loss", "one-minus-y"], "--loss", "falls forever"),
    (["--activation", "linear"], "--loss", "give --loss mse and a --target"),
    (["--activation", "softplus"], "--loss", "with softplus"),
    (["--activation", "silu"], "--loss", "sigmoid or tanh"),
    # What Python's float() and int() accept but a learner cannot tell apart (issue 10).
    (["--steps", "\uff11"], "--steps", "plain digits 0-9"),
    (["--w", "\uff10.5"], "--w", "plain digits 0-9"),
    (["--steps", "1_000"], "--steps", "'_'"),
    (["--lr", "+5"], "--lr", "'+'"),
    (["--x", "1,+2"], "--x", "value 2: '+2' has a '+'"),
    (["--w", "1e-400"], "--w", "'1e-400' is too small to store: it would round to 0"),
    (["--bias", "-1e-400"], "--bias", "round to 0"),
    (["--target", "\u22121", "--loss", "mse"], "--target", "typographic minus"),
]
# Flags that only trace takes.
BAD_TRACE_FLAGS = [
    (["--format", "yaml"], "--format", "invalid choice"),
    (["--model", "cnn"], "--model", "unknown model 'cnn'; choose one of: neuron, mlp"),
    (["--model", "mlp", "--hidden", "0"], "--hidden", "out of range"),
    (["--model", "mlp", "--hidden", "x"], "--hidden", "not a whole number"),
    (["--model", "mlp", "--seed", "-1"], "--seed", "out of range"),
    (["--model", "mlp", "--seed", "+1"], "--seed", "'+'"),
    (["--model", "mlp", "--w", "1"], "--w", "--model mlp"),
    (["--model", "mlp", "--loss", "bce", "--target", "2"], "--target", "outside [0, 1]"),
    (["--hidden", "3"], "--hidden", "--model mlp"),
    (["--w"], "--w", "expected one argument"),
    (["--nonsense"], "--nonsense", "unrecognized"),
]


def ids(value):
    return " ".join(value) if isinstance(value, list) else None


def assert_one_line_naming(result, flag: str, phrase: str) -> None:
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert flag in lines[0] and phrase in lines[0], lines[0]


@pytest.mark.parametrize(("flags", "flag", "phrase"), BAD_STATES + BAD_TRACE_FLAGS, ids=ids)
def test_bad_trace_input_is_refused_clearly(flags, flag, phrase):
    assert_one_line_naming(run_cli("trace", *flags), flag, phrase)


@pytest.mark.parametrize(("flags", "flag", "phrase"), BAD_STATES, ids=ids)
def test_the_app_refuses_the_same_starting_state(flags, flag, phrase):
    # The app shares the starting-state flags: it must refuse before opening any screen.
    assert_one_line_naming(run_cli(*flags), flag, phrase)


@pytest.mark.parametrize(("flags", "flag", "phrase"), BAD_STATES, ids=ids)
def test_bad_state_flags_before_trace_are_refused_too(flags, flag, phrase):
    assert_one_line_naming(run_cli(*flags, "trace"), flag, phrase)


def test_the_app_refuses_weights_for_the_network_before_it_starts():
    """The network opens in the app; its weights come from the seed, so --w is refused by name."""
    result = run_cli("--model", "mlp", "--w", "0.5")
    assert_one_line_naming(result, "--w", "its weights come from --seed")


def test_console_script_reports_without_a_traceback():
    """Through the installed entry point, as a user or a worksheet script calls it."""
    script = os.path.join(os.path.dirname(sys.executable), "calc-tutor")
    result = subprocess.run(
        [script, "trace", "--w=-0.5,oops"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == "calc-tutor trace: error: --w: value 2: 'oops' is not a number"


def test_version():
    result = run_cli("--version")
    assert result.code == 0 and result.out.startswith("calc-tutor ")


HUGE = 100_000  # characters in one flag value
LONG_VALUES = {"activation": "z" * HUGE, "loss": "z" * HUGE, "model": "z" * HUGE}


@pytest.mark.parametrize("before", [True, False], ids=["before trace", "after trace"])
@pytest.mark.parametrize("name", [name for name in STATE_NAMES if name not in SWITCH_NAMES])
def test_a_huge_flag_value_is_not_echoed_back(name, before):
    value = LONG_VALUES.get(name, "9" * HUGE)
    flag = [f"--{name}", value]
    result = run_cli(*flag, "trace") if before else run_cli("trace", *flag)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert f"--{name}" in line and len(line) < 300, line[:400]


@pytest.mark.parametrize("argv", [
    ["trace", "--format", "z" * HUGE],
    ["trace", "z" * HUGE],
    ["z" * HUGE],
    ["--" + "z" * HUGE],
])  # fmt: skip
def test_argparse_messages_are_cut_short_too(argv):
    result = run_cli(*argv)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert len(line) < 300 and "zzz…" in line, line[:400]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        # argparse alone would take 0.5 for the subcommand: "invalid choice: '0.5'".
        (["--b", "0.5"], "unknown flag --b; did you mean --bias or --b1 or --b2?"),
        (["--bais", "0.5", "trace"], "unknown flag --bais; did you mean --bias?"),
        (["--zzz"], "unknown flag --zzz; calc-tutor --help lists them"),
    ],
)
def test_an_unknown_flag_is_named_with_the_flags_it_may_mean(argv, expected) -> None:
    result = run_cli(*argv)
    assert result.code == 2 and result.out == ""
    assert result.err == f"calc-tutor: error: {expected}\n"
