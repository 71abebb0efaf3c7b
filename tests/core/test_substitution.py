"""Every substituted line is true as read: the digits on screen give the value shown.

A reader's check, written independently of calc_tutor.core.substitution: the line's text is
turned into a Python expression (× → *, − → -, e^( → exp(, ln → log, …) and evaluated on exactly
the digits printed, in 50-digit arithmetic (mpmath), as exact math reads it; then compared with
the value as printed.
"""

from __future__ import annotations

import math
import re

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.derivation import derive
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_value
from calc_tutor.core.substitution import Sub, write

from .cases import CORE_SETTINGS, mlp_cases, neuron_configs

TOLERANCE = 2e-4  # "true at the precision shown": four significant digits, read against the
# value as printed (six digits), so a little looser than the engine's own 1e-4


DIGITS = 50


def _log(x):
    return mpmath.log(x) if x > 0 else (-mpmath.inf if x == 0 else mpmath.nan)


NAMESPACE = {
    "exp": mpmath.exp, "log": _log, "log1p": mpmath.log1p, "tanh": mpmath.tanh, "max": max, "np": np,
    "sigma": lambda z: 1 / (1 + mpmath.exp(-z)), "M": mpmath.mpf, "outer": np.outer,
}  # fmt: skip
NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?(?:e[+-]?\d+)?|inf)")


def reads_as(text: str):
    """The number (or vector) a reader gets from the substituted text."""
    expr = text.replace("−", "-").replace("×", "*").replace("²", "**2").replace("e^(", "exp(")
    expr = expr.replace("σ(", "sigma(")
    expr = re.sub(r"ln\(1 \+ ", "log1p(", expr)  # exact math: no digits lost to 1 + tiny
    expr = re.sub(r"ln\(", "log(", expr)
    expr = re.sub(r"ln (\(?-?[0-9.e+-]+\)?)", r"log(\1)", expr)
    expr = NUMBER.sub(r'M("\1")', expr)  # every printed number, exactly as printed
    if expr.startswith("-[") and expr.endswith("]"):  # −[…] is a bracket, not a vector
        expr = "-(" + expr[2:-1] + ")"
    if "⊗" in expr:
        left, right = expr.split("⊗")
        expr = f"outer(np.array({left.strip()}), np.array({right.strip()}))"
    elif "[" in expr:
        expr = expr.replace("[", "np.array([").replace("]", "])")
    with mpmath.workdps(DIGITS):
        return eval(expr, dict(NAMESPACE))  # noqa: S307 - our own text, in a test


def is_checkable(line) -> bool:
    """An arithmetic line (not a condition like ``2 > 0 → 1``, nor symbols like ``W1 − …``)."""
    text = line.substitution
    return bool(text) and "→" not in text and "W1" not in text and "dLoss" not in text


def as_printed(value):
    """The value as the learner reads it, back as numbers."""
    text = fmt_value(value).replace("−", "-")
    return eval(text.replace("inf", "float('inf')"))  # noqa: S307


def assert_true_as_read(line) -> None:
    computed = np.asarray(np.asarray(reads_as(line.substitution), dtype=object).tolist(),
                          dtype=np.float64)  # fmt: skip
    shown = np.asarray(as_printed(line.value), dtype=np.float64)
    assert computed.shape == shown.shape or computed.size == shown.size, line
    computed, shown = computed.reshape(shown.shape), shown
    # Below the smallest normal float, float arithmetic itself keeps only the subnormals'
    # spacing: the engine's own sums there are good to a few multiples of it.
    subnormal = 4 * math.ulp(0.0)
    with np.errstate(invalid="ignore"):
        close = np.isclose(computed, shown, rtol=TOLERANCE, atol=subnormal) | (computed == shown)
    assert close.all(), (line.name, line.substitution, fmt_value(line.value), computed)


def check(model, params) -> None:
    for line in derive(model, model.update(params), 1).lines:
        if is_checkable(line):
            assert_true_as_read(line)


@CORE_SETTINGS
@given(neuron_configs(z_limit=30.0))
def test_every_neuron_line_is_true_as_read(config: NeuronConfig):
    model = Neuron(config)
    check(model, model.initial_params())


@CORE_SETTINGS
@given(mlp_cases(z_limit=30.0))
def test_every_network_line_is_true_as_read(case):
    check(*case)


SATURATED = [  # (activation, loss, target, z): where four digits would read 1 − 1
    ("sigmoid", "one-minus-y", 1.0, z) for z in (10.0, 20.0, 36.0, 40.0, 100.0, -10.0, -40.0)
] + [
    ("sigmoid", "bce", t, z) for t in (0.0, 0.3, 1.0) for z in (10.0, 30.0, 40.0, -40.0, 700.0)
] + [
    ("tanh", "mse", t, z) for t in (-1.0, 0.2, 1.0) for z in (8.0, 20.0, -8.0, -20.0)
] + [
    ("sigmoid", "mse", 1.0, 40.0), ("silu", "mse", 0.0, -40.0), ("softplus", "mse", 0.0, 800.0),
    ("linear", "mse", 0.0, -2699.8), ("leaky-relu", "mse", 1.0, -3.0),
]  # fmt: skip


@pytest.mark.parametrize(("activation", "loss", "target", "z"), SATURATED)
@pytest.mark.parametrize("x", [1.0, 2.0])
def test_saturated_lines_are_true_as_read(activation, loss, target, z, x):
    model = Neuron(NeuronConfig(w=(z / x,), x=(x,), lr=0.1, activation=activation, loss=loss,
                                target=target))  # fmt: skip
    check(model, model.initial_params())


def test_the_issues_examples_now_add_up():
    # dy/dz = y(1 − y) with y = 0.99995…: 1 × (1 − 1) must not appear beside 4.54701e-05.
    model = Neuron(NeuronConfig(w=(10.0,), x=(1.0,)))
    derivation = derive(model, model.update(model.initial_params()), 1)
    slope = derivation.line("dy_dz")
    assert "1 × (1 − 1)" not in slope.substitution
    assert slope.substitution.startswith("0.99995"), slope.substitution
    loss = derivation.line("loss")
    assert loss.substitution != "1 − 1"
    # y = z for a linear unit: the number is written once, at the value's precision.
    linear = Neuron(NeuronConfig(w=(-1349.9,), x=(2.0,), activation="linear", loss="mse",
                                 target=0.0))  # fmt: skip
    line = derive(linear, linear.update(linear.initial_params()), 1).line("y")
    assert line.substitution == "" and fmt_value(line.value) == "−2699.8"


def test_one_element_vectors_read_as_numbers_and_nothing_is_said_twice():
    model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), lr=0.1))
    derivation = derive(model, model.update(model.initial_params()), 1)
    assert derivation.line("dz_dw").substitution == ""  # dz/dW = X = 2, not X = 2 = [2]
    assert fmt_value(derivation.line("dz_dw").value) == "2"
    assert derivation.line("dloss_dy").substitution == ""  # dLoss/dy = −1, once
    assert "[" not in derivation.line("w_next").substitution


# Subnormal z (below 2.2e-308 in size) is left out: there a product such as z·σ(z) rounds to 0
# in float64 itself, beyond anything the inputs accept (they refuse numbers under 1e-307).
normal_floats = st.floats(-1e6, 1e6).filter(lambda z: z == 0 or abs(z) >= 2.2250738585072014e-308)


@given(normal_floats, st.sampled_from(["sigmoid", "tanh", "silu", "softplus"]))
@CORE_SETTINGS
def test_activation_lines_are_true_as_read_anywhere(z, activation):
    model = Neuron(NeuronConfig(w=(z,), x=(1.0,), activation=activation, loss="mse", target=0.5))
    check(model, model.initial_params())


def test_network_lines_with_a_saturated_hidden_layer_are_true_as_read():
    model = Mlp(MlpConfig(x=(30.0, -20.0), hidden=3, seed=2, activation="tanh", loss="bce",
                          target=1.0))  # fmt: skip
    check(model, model.initial_params())


def test_a_number_is_never_rounded_to_one_that_reads_as_exact() -> None:
    """y = σ(10) = 0.9999546 at four digits is "1": then ``y − t`` reads ``1 − 0``, which is 1,
    beside a value of 0.999955. A number shown rounded carries all its digits (0.99995)."""
    y = 1 / (1 + math.exp(-10))
    text = write(y - 0.0, Sub("{0} − {1}", (y, 0.0), lambda a, b: a - b))
    assert text.startswith("0.9999") and text.endswith(" − 0")
    # Exact and typed numbers stay as short as they are: 0.1 and 0.5 are not padded.
    assert write(0.1 * 0.5, Sub("{0} × {1}", (0.1, 0.5), lambda a, b: a * b)) == "0.1 × 0.5"


def test_the_bce_chain_at_a_saturated_sigmoid_reads_true() -> None:
    model = Neuron(NeuronConfig(w=(5.0,), x=(2.0,), activation="sigmoid", loss="bce", target=0.0))
    derivation = derive(model, model.update(model.initial_params()), 1)
    assert "1 − 0" not in derivation.line("dloss_dz").substitution
    assert not derivation.line("dloss_dw").substitution.startswith("1 ×")


def test_a_rounded_number_shows_the_digits_it_was_rounded_to_trailing_zeros_included() -> None:
    """tanh's slope at z = 1 is 0.419974…: written "0.42" it reads as exact, and
    (−1) × 0.42 = −0.419974 reads false. Rounded to four digits it is "0.4200"."""
    from calc_tutor.core.numbers import fmt_plain, fmt_sub

    slope = 1 - math.tanh(1.0) ** 2
    assert (fmt_sub(slope), fmt_sub(-slope), fmt_plain(-slope)) == ("0.4200", "(−0.4200)", "−0.4200")
    assert fmt_sub(-2.000004e-05) == "(−2.000e−05)"
    # A number exactly as shown stays as short as it is: 0.5, 2, 0.1, −1.
    assert [fmt_sub(v) for v in (0.5, 2.0, 0.1, -1.0)] == ["0.5", "2", "0.1", "(−1)"]
    model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), activation="tanh"))
    lines = {line.name: line for line in derive(model, model.update(model.initial_params()), 1).lines}
    assert lines["dloss_dz"].substitution == "(−1) × 0.4200"
    assert lines["dloss_dw"].substitution == "(−1) × 0.4200 × 2"
    graph = model.graph(model.update(model.initial_params()))
    assert graph.step_of("z").substituted() == "upstream (−1) × local 0.4200"
