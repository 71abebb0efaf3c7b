"""`calc-tutor trace --format jsonl`: the public contract, checked against an independent oracle."""

from __future__ import annotations

import json
import math

import autograd.numpy as anp
import pytest
from autograd import grad

from .conftest import run_cli

NEURON_KEYS = [
    "step", "w", "x", "b", "z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dz_dw",
    "dloss_dw", "dloss_db", "dloss_dx", "w_next", "b_next",
]  # fmt: skip


def _reject_constant(token: str) -> float:
    raise AssertionError(f"non-strict JSON token {token}")


def trace_lines(*flags: str) -> list[dict]:
    result = run_cli("trace", *flags)
    assert result.code == 0, result.err
    return [json.loads(line, parse_constant=_reject_constant) for line in result.out.splitlines()]


def test_defaults_reproduce_the_source_neuron():
    lines = trace_lines("--steps", "3")
    assert [line["step"] for line in lines] == [1, 2, 3]
    first = lines[0]
    assert list(first) == NEURON_KEYS
    # No bias, sigmoid, Loss = 1 − y: y = σ(W·X), dLoss/dy = −1.
    assert first["b"] is None and first["dloss_db"] is None and first["b_next"] is None
    z = first["w"][0] * first["x"][0]
    assert first["y"] == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-15)
    assert first["loss"] == pytest.approx(1 - first["y"], rel=1e-15)
    assert first["dloss_dy"] == -1.0


def test_help_shows_the_defaults():
    result = run_cli("trace", "--help")
    assert result.code == 0
    for text in ("default 0.5", "default 2", "default sigmoid", "default one-minus-y", "no bias"):
        assert text in result.out


@pytest.mark.parametrize(
    "flags",
    [
        ("--w", "0.7,-0.3", "--x", "1.5,2", "--lr", "0.3", "--activation", "tanh", "--loss", "mse",
         "--target", "0.25", "--bias", "0.1"),
        ("--w", "-1.2", "--x", "0.5", "--activation", "sigmoid", "--loss", "bce", "--target", "0"),
        ("--w", "0.4,0.1,-0.2", "--x", "1,-2,3", "--activation", "silu", "--loss", "mse", "--target", "1"),
        ("--w", "0.9", "--x", "-1", "--activation", "softplus", "--loss", "mse", "--target", "-0.5"),
    ],
)  # fmt: skip
def test_every_number_matches_autograd(flags):
    """Recompute each line from its own w, x, b with autograd: the trace must agree to ~1 ulp."""
    args = dict(zip(flags[::2], flags[1::2]))
    target = float(args.get("--target", 1.0))
    lr = float(args.get("--lr", 0.5))
    activations = {
        "sigmoid": lambda z: 1 / (1 + anp.exp(-z)),
        "tanh": anp.tanh,
        "silu": lambda z: z / (1 + anp.exp(-z)),
        "softplus": lambda z: anp.log1p(anp.exp(z)),
    }
    losses = {
        "mse": lambda y: (y - target) ** 2,
        "bce": lambda y: -(target * anp.log(y) + (1 - target) * anp.log(1 - y)),
    }
    act, loss_of = activations[args["--activation"]], losses[args["--loss"]]

    def loss(w, x, b):
        return loss_of(act(anp.dot(w, x) + b))

    for line in trace_lines(*flags, "--steps", "5"):
        w, x, b = anp.array(line["w"]), anp.array(line["x"]), line["b"] or 0.0
        z = float(anp.dot(w, x) + b)
        assert line["z"] == pytest.approx(z, rel=1e-12, abs=1e-15)
        assert line["loss"] == pytest.approx(float(loss(w, x, b)), rel=1e-12, abs=1e-15)
        assert line["dloss_dz"] == pytest.approx(float(grad(lambda zz: loss_of(act(zz)))(z)), rel=1e-9, abs=1e-15)
        assert line["dloss_dw"] == pytest.approx(list(grad(loss, 0)(w, x, b)), rel=1e-9, abs=1e-15)
        assert line["dloss_dx"] == pytest.approx(list(grad(loss, 1)(w, x, b)), rel=1e-9, abs=1e-15)
        assert line["dz_dw"] == line["x"]
        assert line["dloss_dy"] * line["dy_dz"] == pytest.approx(line["dloss_dz"], rel=1e-15)
        assert line["w_next"] == pytest.approx(list(w - lr * grad(loss, 0)(w, x, b)), rel=1e-12)
        if "--bias" in args:
            assert line["dloss_db"] == pytest.approx(float(grad(loss, 2)(w, x, b)), rel=1e-9)
            assert line["b_next"] == pytest.approx(b - lr * line["dloss_db"], rel=1e-12)


def test_each_update_starts_where_the_last_ended():
    lines = trace_lines("--w", "0.3,-0.2", "--x", "1,2", "--bias", "0.5", "--steps", "20")
    for before, after in zip(lines, lines[1:]):
        assert after["w"] == before["w_next"]  # full float64: exact, not approximate
        assert after["b"] == before["b_next"]


def test_negative_vectors_work_written_both_ways():
    spaced = run_cli("trace", "--w", "-0.5,1", "--x", "-2,1", "--bias", "-0.1", "--steps", "2")
    joined = run_cli("trace", "--w=-0.5,1", "--x=-2,1", "--bias=-0.1", "--steps=2")
    assert spaced.code == joined.code == 0
    assert spaced.out == joined.out
    assert json.loads(spaced.out.splitlines()[0])["w"] == [-0.5, 1.0]


def test_one_feature_still_gives_lists():
    line = trace_lines("--w", "1.5", "--x", "-3", "--steps", "1")[0]
    for key in ("w", "x", "dz_dw", "dloss_dw", "dloss_dx", "w_next"):
        assert isinstance(line[key], list) and len(line[key]) == 1


def test_divergence_marks_the_last_line_and_writes_null_for_non_finite():
    result = run_cli(
        "trace", "--activation", "linear", "--loss", "mse", "--target", "0", "--lr", "1e300",
        "--steps", "50",
    )  # fmt: skip
    assert result.code == 0
    assert "NaN" not in result.out and "Infinity" not in result.out
    lines = [json.loads(line, parse_constant=_reject_constant) for line in result.out.splitlines()]
    assert len(lines) < 50
    assert all("diverged" not in line for line in lines[:-1])
    last = lines[-1]
    assert last["diverged"] is True
    assert any(last[key] is None for key in ("loss", "dloss_dz", "z"))
    assert "α" in result.err and "step" in result.err


def test_a_growing_loss_is_stopped_with_a_reason():
    result = run_cli("trace", "--activation", "linear", "--loss", "mse", "--target", "0",
                     "--lr", "5", "--steps", "1000")  # fmt: skip
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert result.code == 0 and lines[-1]["diverged"] is True and len(lines) < 1000
    assert lines[-1]["loss"] > 1e6 * lines[max(0, len(lines) - 21)]["loss"]
    assert "grew" in result.err


def test_zero_steps_prints_nothing():
    result = run_cli("trace", "--steps", "0")
    assert result.code == 0 and result.out == ""


MLP_KEYS = [
    "step", "x", "w1", "b1", "w2", "b2", "z1", "h", "z2", "y", "loss", "dloss_dy", "dy_dz2",
    "dloss_dz2", "dloss_dw2", "dloss_db2", "dloss_dh", "dh_dz1", "dloss_dz1", "dloss_dw1",
    "dloss_db1", "dloss_dx", "w1_next", "b1_next", "w2_next", "b2_next",
]  # fmt: skip


def test_mlp_trace_against_autograd():
    lines = trace_lines("--model", "mlp", "--hidden", "4", "--seed", "7", "--x", "0.5,-1,2",
                        "--activation", "tanh", "--loss", "mse", "--target", "0.3", "--lr", "0.2",
                        "--steps", "4")  # fmt: skip
    assert list(lines[0]) == MLP_KEYS

    def loss(w1, b1, w2, b2, x):
        h = anp.tanh(anp.dot(w1, x) + b1)
        y = 1 / (1 + anp.exp(-(anp.dot(w2, h) + b2)))
        return (y - 0.3) ** 2

    for before, after in zip(lines, lines[1:]):
        assert after["w1"] == before["w1_next"] and after["b2"] == before["b2_next"]
    for line in lines:
        args = [anp.array(line[k]) for k in ("w1", "b1", "w2")] + [line["b2"], anp.array(line["x"])]
        assert line["loss"] == pytest.approx(float(loss(*args)), rel=1e-12)
        for index, key in enumerate(("dloss_dw1", "dloss_db1", "dloss_dw2", "dloss_db2", "dloss_dx")):
            expected = grad(loss, index if key != "dloss_dx" else 4)(*args)
            assert anp.allclose(line[key], expected, rtol=1e-9, atol=1e-15), key


def test_mlp_initial_weights_follow_the_seed():
    first = trace_lines("--model", "mlp", "--seed", "3", "--steps", "1")[0]
    again = trace_lines("--model", "mlp", "--seed", "3", "--steps", "1")[0]
    other = trace_lines("--model", "mlp", "--seed", "4", "--steps", "1")[0]
    assert first == again and first["w1"] != other["w1"]
