"""Bad flags: status 2, one stderr line naming the flag and the problem, nothing on stdout."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import run_cli

BAD_INPUTS = [
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
    (["--format", "yaml"], "--format", "invalid choice"),
    (["--model", "cnn"], "--model", "invalid choice"),
    (["--model", "mlp", "--hidden", "0"], "--hidden", "out of range"),
    (["--model", "mlp", "--hidden", "x"], "--hidden", "not a whole number"),
    (["--model", "mlp", "--seed", "-1"], "--seed", "out of range"),
    (["--model", "mlp", "--w", "1"], "--w", "--model mlp"),
    (["--model", "mlp", "--loss", "bce", "--target", "2"], "--target", "outside [0, 1]"),
    (["--hidden", "3"], "--hidden", "--model mlp"),
    (["--w"], "--w", "expected one argument"),
    (["--nonsense"], "--nonsense", "unrecognized"),
]


@pytest.mark.parametrize(("flags", "flag", "phrase"), BAD_INPUTS, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_bad_trace_input_is_refused_clearly(flags, flag, phrase):
    result = run_cli("trace", *flags)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert flag in lines[0] and phrase in lines[0], lines[0]


@pytest.mark.parametrize(("flags", "flag", "phrase"), BAD_INPUTS[:24], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_the_app_refuses_the_same_starting_state(flags, flag, phrase):
    # The app shares the starting-state flags: it must refuse before opening any screen.
    result = run_cli(*flags)
    assert result.code == 2 and result.out == ""
    assert flag in result.err and phrase in result.err and len(result.err.splitlines()) == 1


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
