"""``calc-tutor attribute``: its JSON object against autograd's dy/dX and against occlusion
recomputed from the textbook forward pass; the parameters after --steps; bad flags."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.core import oracle

from .conftest import run_cli

NEURON_KEYS = ["w", "b", "x", "y", "dy_dx", "grad_x_input", "occlusion"]
MLP_KEYS = ["w1", "b1", "w2", "b2", "x", "y", "dy_dx", "grad_x_input", "occlusion"]


def attribution(*argv: str) -> dict:
    result = run_cli("attribute", *argv)
    assert result.code == 0 and result.err == "", result.err
    (line,) = result.out.splitlines()  # one example: the input --x
    return json.loads(line)


def check_outputs(line: dict, forward, expected_dy_dx) -> None:
    """``forward(x)``: y by the textbook formulas at the parameters the line reports."""
    x = np.array(line["x"])
    assert line["y"] == pytest.approx(forward(x), rel=1e-14, abs=1e-16)
    assert line["dy_dx"] == pytest.approx(list(expected_dy_dx), rel=1e-10, abs=1e-15)
    assert line["grad_x_input"] == pytest.approx(list(expected_dy_dx * x), rel=1e-10, abs=1e-15)
    for i, occlusion in enumerate(line["occlusion"]):
        occluded = x.copy()
        occluded[i] = 0.0
        assert occlusion == pytest.approx(forward(occluded) - forward(x), abs=1e-15)


@pytest.mark.parametrize("steps", [0, 4])
def test_neuron_attribution_against_autograd_after_n_steps(steps):
    line = attribution("--w", "0.5,-1,0.25", "--x", "1,2,0", "--bias", "0.1", "--activation", "tanh",
                       "--loss", "mse", "--target", "0.3", "--lr", "0.2", "--steps", str(steps))  # fmt: skip
    assert list(line) == NEURON_KEYS
    w, b = np.array([0.5, -1.0, 0.25]), 0.1
    x = (1.0, 2.0, 0.0)
    for _ in range(steps):  # the parameters after each update, from autograd's gradients
        e = oracle.neuron_expected(w, x, b, 0.2, "tanh", "mse", 0.3)
        w, b = e["w_next"], e["b_next"]
    assert line["w"] == pytest.approx(list(w), rel=1e-12) and line["b"] == pytest.approx(b, rel=1e-12)
    assert line["x"] == list(x)
    check_outputs(line, lambda x: float(np.tanh(np.dot(w, x) + b)), oracle.neuron_dy_dx(w, x, b, "tanh"))
    assert line["grad_x_input"][2] == 0.0 and line["occlusion"][2] == 0.0  # X3 = 0


def test_a_neuron_without_bias_says_so():
    line = attribution()
    assert line["b"] is None and line["w"] == [0.5] and line["x"] == [2.0]
    assert line["occlusion"] == [pytest.approx(0.5 - float(oracle._sigmoid(1.0)), abs=1e-16)]


@pytest.mark.parametrize("steps", [0, 3])
def test_network_attribution_against_autograd(steps):
    line = attribution("--model", "mlp", "--hidden", "3", "--seed", "2", "--x", "1.5,-0.5",
                       "--activation", "relu", "--steps", str(steps))  # fmt: skip
    assert list(line) == MLP_KEYS
    assert np.shape(line["w1"]) == (3, 2) and len(line["b1"]) == 3 and len(line["w2"]) == 3
    w1, b1, w2, b2 = (np.array(line[key]) for key in ("w1", "b1", "w2", "b2"))
    if steps == 0:
        assert list(b1) == [0.0, 0.0, 0.0] and b2 == 0.0  # seeded weights start with zero biases
    else:
        # The reported parameters are those after ``steps`` updates from the seed's.
        start = attribution("--model", "mlp", "--hidden", "3", "--seed", "2", "--x", "1.5,-0.5",
                            "--activation", "relu")  # fmt: skip
        p = [np.array(start[key]) for key in ("w1", "b1", "w2", "b2")]
        for _ in range(steps):
            e = oracle.mlp_expected(*p, (1.5, -0.5), 0.5, "relu", "one-minus-y", 1.0)
            p = [e["w1_next"], e["b1_next"], e["w2_next"], e["b2_next"]]
        for got, want in zip((w1, b1, w2, b2), p):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)

    def forward(x):
        return float(oracle._sigmoid(np.dot(w2, np.maximum(0.0, w1 @ x + b1)) + b2))

    check_outputs(line, forward, oracle.mlp_dy_dx(w1, b1, w2, b2, np.array(line["x"]), "relu"))


def test_flags_before_attribute_work_as_after():
    before = run_cli("--x", "1,2", "--w", "-0.5,0.5", "attribute")
    after = run_cli("attribute", "--x", "1,2", "--w", "-0.5,0.5")
    assert before.out == after.out and after.code == 0


@pytest.mark.parametrize(("argv", "flag", "words"), [
    (["attribute", "--w", "1,2"], "--w", "has 2 value(s) but X has 1"),
    (["attribute", "--x", "1,,2"], "--x", "is missing a number at position 2"),
    (["attribute", "--steps", "-1"], "--steps", "is out of range"),
    (["attribute", "--model", "cnn"], "--model", "unknown model"),
    (["attribute", "--seed", "1"], "--seed", "only applies with --model mlp"),
    (["--theme", "nord", "attribute"], "--theme", "only applies to the app, not to attribute"),
    (["--bug", "attribute"], "--bug", "only applies to calc-tutor gradcheck"),
    (["--x", "1", "attribute", "--x", "2"], "--x", "is given before and after attribute"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)  # fmt: skip
def test_every_bad_flag_exits_2_with_one_line_naming_it(argv, flag, words):
    result = run_cli(*argv)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith(f"calc-tutor attribute: error: {flag}: ") and words in line, line


def test_a_run_that_diverges_before_the_steps_is_refused_naming_steps():
    result = run_cli("attribute", "--activation", "linear", "--loss", "mse", "--target", "0",
                     "--lr", "3", "--steps", "100")  # fmt: skip
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith("calc-tutor attribute: error: --steps: the run stops at update ")
