"""``calc-tutor gradcheck``: its JSON Lines against autograd, its exit status, ε, the planted bug,
and every bad flag (exit 2, one line naming the flag, nothing on stdout)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.core import oracle

from .conftest import run_cli

KEYS = ["name", "analytic", "numeric", "rel_error"]


def checks(*argv: str, code: int = 0) -> list[dict]:
    result = run_cli("gradcheck", *argv)
    assert result.code == code, result.err
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert lines and all(list(line) == KEYS for line in lines)
    return lines


def neuron_params_after(w, x, b, steps, lr=0.5, activation="sigmoid", loss="one-minus-y", target=1.0):
    """(W, b) after ``steps`` updates, each update's gradient from autograd."""
    w = np.array(w, dtype=float)
    for _ in range(steps):
        e = oracle.neuron_expected(w, x, b, lr, activation, loss, target)
        w, b = e["w_next"], e["b_next"]
    return w, b


@pytest.mark.parametrize("steps", [0, 3])
def test_neuron_checks_match_autograd_after_n_steps(steps):
    lines = checks("--w", "0.5,-0.25", "--x", "2,1", "--bias", "0.1", "--activation", "tanh",
                   "--loss", "mse", "--target", "0.2", "--steps", str(steps))  # fmt: skip
    assert [line["name"] for line in lines] == ["W[1]", "W[2]", "b"]
    w, b = neuron_params_after((0.5, -0.25), (2.0, 1.0), 0.1, steps, activation="tanh", loss="mse",
                               target=0.2)  # fmt: skip
    e = oracle.neuron_expected(w, (2.0, 1.0), b, 0.5, "tanh", "mse", 0.2)
    expected = [*e["dloss_dw"], e["dloss_db"]]
    for line, gradient in zip(lines, expected, strict=True):
        assert line["analytic"] == pytest.approx(gradient, rel=1e-12)
        assert line["numeric"] == pytest.approx(gradient, rel=1e-8)
        assert line["rel_error"] < 1e-6
        scale = max(abs(line["analytic"]), abs(line["numeric"]))
        assert line["rel_error"] == abs(line["analytic"] - line["numeric"]) / scale


def test_network_checks_name_every_parameter_and_match_autograd():
    lines = checks("--model", "mlp", "--hidden", "2", "--seed", "3", "--x", "1,-2")
    assert [line["name"] for line in lines] == [
        "W1[1,1]", "W1[1,2]", "W1[2,1]", "W1[2,2]", "b1[1]", "b1[2]", "w2[1]", "w2[2]", "b2",
    ]  # fmt: skip
    # The seed's weights, read back from attribute's JSON, into autograd.
    state = json.loads(run_cli("attribute", "--model", "mlp", "--hidden", "2", "--seed", "3",
                               "--x", "1,-2").out)  # fmt: skip
    e = oracle.mlp_expected(state["w1"], state["b1"], state["w2"], state["b2"], (1.0, -2.0), 0.5,
                            "tanh", "one-minus-y", 1.0)  # fmt: skip
    expected = [*np.ravel(e["dloss_dw1"]), *e["dloss_db1"], *e["dloss_dw2"], e["dloss_db2"]]
    for line, gradient in zip(lines, expected, strict=True):
        assert line["analytic"] == pytest.approx(gradient, rel=1e-12, abs=1e-15)
        assert line["numeric"] == pytest.approx(gradient, rel=1e-7, abs=1e-12)


def test_the_planted_bug_fails_the_check_and_says_what_it_dropped():
    result = run_cli("gradcheck", "--bug")
    assert result.code == 1
    (line,) = [json.loads(text) for text in result.out.splitlines()]
    # The seed neuron without dy/dz: dLoss/dW = dLoss/dy · X = −1 · 2.
    assert line["analytic"] == -2.0 and line["rel_error"] > 0.5
    y = float(oracle._sigmoid(1.0))
    assert result.err == f"calc-tutor gradcheck: --bug: dy/dz = {y * (1 - y):.6g} is left out\n"


def test_the_planted_bug_fails_in_the_network_too():
    lines = checks("--model", "mlp", "--bug", code=1)
    assert all(line["rel_error"] > 0.5 for line in lines)


def test_the_planted_bug_cannot_show_where_the_slope_is_1():
    result = run_cli("gradcheck", "--bug", "--activation", "linear", "--loss", "mse")
    assert result.code == 0  # the gradient is unchanged, so the check passes: and it says why
    assert result.err == ("calc-tutor gradcheck: --bug: dy/dz = 1 is left out; it is 1 here, "
                          "so leaving it out changes nothing\n")  # fmt: skip


@pytest.mark.parametrize("model", [(), ("--model", "mlp")], ids=["neuron", "mlp"])
def test_a_tiny_epsilon_shows_rounding_error_growing(model):
    at_default = checks(*model)
    at_tiny = checks(*model, "--eps", "1e-14", code=1)
    for default, tiny in zip(at_default, at_tiny, strict=True):
        assert tiny["rel_error"] > default["rel_error"]
        assert tiny["analytic"] == default["analytic"]
    assert max(line["rel_error"] for line in at_tiny) > 1e-6


def test_epsilon_is_relative_to_the_parameter():
    # W = 1e8: a step of 1e-6 alone would vanish in rounding; ε·|W| does not.
    (line,) = checks("--w", "1e8", "--x", "1e-8", "--activation", "tanh", "--loss", "mse",
                     "--target", "0")  # fmt: skip
    y = np.tanh(1.0)
    assert line["analytic"] == pytest.approx(2 * y * (1 - y * y) * 1e-8, rel=1e-12)
    assert line["rel_error"] < 1e-6


def test_flags_before_gradcheck_work_as_after():
    after = run_cli("gradcheck", "--w", "-0.3", "--x", "1.5", "--eps", "1e-5", "--bug")
    before = run_cli("--w", "-0.3", "--x", "1.5", "--eps", "1e-5", "--bug", "gradcheck")
    assert (before.out, before.err) == (after.out, after.err) and after.code == 1
    assert json.loads(after.out)["numeric"] != json.loads(run_cli("gradcheck").out)["numeric"]


@pytest.mark.parametrize(("argv", "flag", "words"), [
    (["gradcheck", "--eps", "abc"], "--eps", "is not a number"),
    (["gradcheck", "--eps", "0"], "--eps", "is not positive"),
    (["gradcheck", "--eps", "-1e-6"], "--eps", "is not positive"),
    (["gradcheck", "--eps", "2"], "--eps", "is above 1"),
    (["gradcheck", "--eps", "1e-17"], "--eps", "below float64's resolution"),
    (["gradcheck", "--eps", "nan"], "--eps", "NaN is not allowed"),
    (["gradcheck", "--eps", ""], "--eps", "is empty"),
    (["gradcheck", "--eps"], "--eps", "expected one argument"),
    (["--eps", "1e-6", "gradcheck", "--eps", "1e-5"], "--eps", "is given before and after gradcheck"),
    (["--eps", "1e-6"], "--eps", "only applies to calc-tutor gradcheck"),
    (["--bug", "trace"], "--bug", "only applies to calc-tutor gradcheck"),
    (["attribute", "--eps", "1e-6"], "--eps", "unrecognized arguments"),
    (["gradcheck", "--bug=yes"], "--bug", "ignored explicit argument"),
    (["gradcheck", "--lr", "-1"], "--lr", ""),
    (["gradcheck", "--model", "mlp", "--w", "1"], "--w", "is not used with --model mlp"),
    (["gradcheck", "--hidden", "2"], "--hidden", "only applies with --model mlp"),
    (["--theme", "nord", "gradcheck"], "--theme", "only applies to the app, not to gradcheck"),
    (["--ascii", "gradcheck"], "--ascii", "only applies to the app, not to gradcheck"),
    (["--format", "text", "gradcheck"], "--format", "only applies to calc-tutor trace"),
    (["gradcheck", "--format", "text"], "--format", "unrecognized arguments"),
    (["--w", "1", "gradcheck", "--w", "2"], "--w", "is given before and after gradcheck"),
    (["gradcheck", "--steps", "x"], "--steps", "is not a whole number"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)  # fmt: skip
def test_every_bad_flag_exits_2_with_one_line_naming_it(argv, flag, words):
    result = run_cli(*argv)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    command = next((word for word in argv if word in ("gradcheck", "attribute", "trace")), None)
    if words == "unrecognized arguments":
        command = None  # argparse's top-level parser reports these
    assert line.startswith(f"calc-tutor {command}: error: " if command else "calc-tutor: error: ")
    assert flag in line and words in line, line


def test_a_run_that_diverges_before_the_steps_is_refused_naming_steps():
    argv = ("--activation", "linear", "--loss", "mse", "--target", "0", "--lr", "3", "--steps", "50")
    result = run_cli("gradcheck", *argv)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith("calc-tutor gradcheck: error: --steps: the run stops at update ")
    stop = int(line.split("the run stops at update ")[1].split(",")[0])
    assert line.endswith(f"; give --steps {stop - 1} or fewer")
    # Where it says to stop, the check runs (the loss there is large but finite).
    assert run_cli("gradcheck", *argv[:-1], str(stop - 1)).code in (0, 1)
