"""The engine's answers to a lesson's expressions: equal to the autodiff oracle and to sums
done by hand here, and anything outside the small grammar refused before it is evaluated."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from calc_tutor.core.attribution import attribute
from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.lesson import parse_lesson
from calc_tutor.core.lesson_values import Context, ExpressionError, State
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import MINUS, fmt_value
from calc_tutor.tui.cli import model_from_flags
from calc_tutor.tui.lessons import OpenLesson

from . import oracle
from .cases import ACTIVATION_NAMES, CORE_SETTINGS, KINKED, assert_close, loss_and_target

SOURCE_EXAMPLE = ("--w", "0.5", "--x", "2", "--lr", "0.1")  # the source's neuron


def context_of(*flags: str, steps: int = 0) -> Context:
    return Context(State(model_from_flags(flags), steps), {})


def expected(config: NeuronConfig) -> dict:
    return oracle.neuron_expected(config.w, config.x, config.b, config.lr, config.activation,
                                  config.loss, config.target)  # fmt: skip


# ---- numbers against the oracle ------------------------------------------------------------

within_3 = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)


@st.composite
def neurons(draw) -> NeuronConfig:
    """W and X in ±3, every activation × loss, a target each loss takes; z off the kinks."""
    n = draw(st.integers(1, 3))
    activation = draw(st.sampled_from(ACTIVATION_NAMES))
    loss, target = draw(loss_and_target(activation))
    w, x = draw(st.tuples(*[within_3] * n)), draw(st.tuples(*[within_3] * n))
    b = draw(st.none() | within_3)
    z = math.fsum([wi * xi for wi, xi in zip(w, x)] + [b or 0.0])
    # |z| ≤ 8 keeps float64 rounding of σ's 1 − y from deciding the comparison (as cases.py).
    assume(abs(z) <= 8 and (activation not in KINKED or abs(z) > 1e-6))
    lr = draw(st.floats(1e-3, 0.3))
    return NeuronConfig(w=w, x=x, b=b, lr=lr, activation=activation, loss=loss, target=target)


@CORE_SETTINGS
@given(neurons())
def test_a_page_answers_its_next_update_as_the_oracle(config: NeuronConfig):
    context = Context(State(Neuron(config), 0), {})
    truth = expected(config)
    for name in ("z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dloss_dw", "w_next"):
        assert_close(context.value(name), np.squeeze(truth[name]), name)


@CORE_SETTINGS
@given(neurons())
def test_update_n_is_the_oracle_applied_n_times(config: NeuronConfig):
    context = Context(State(Neuron(config), 0), {})
    w, b = config.w, config.b
    for _ in range(3):
        truth = oracle.neuron_expected(w, config.x, b, config.lr, config.activation, config.loss,
                                       config.target)  # fmt: skip
        z_before = truth["z"]
        w, b = tuple(truth["w_next"]), truth["b_next"]
    # A run that walks onto ReLU's kink has no single slope to compare with.
    assume(config.activation not in KINKED or abs(z_before) > 1e-6)
    assert_close(context.value("update(3).w_next"), np.squeeze(w), "update(3).w_next")
    assert_close(context.value("update(3).dloss_dw"), np.squeeze(truth["dloss_dw"]), "update(3).dloss_dw")


def test_a_page_after_steps_answers_the_update_after_them():
    # steps: 2 on a page: its plain names are the third update's, update(N) still counts from 1.
    steps_2 = context_of(*SOURCE_EXAMPLE, steps=2)
    from_start = context_of(*SOURCE_EXAMPLE)
    assert steps_2.value("dloss_dw") == from_start.value("update(3).dloss_dw")
    assert steps_2.value("update(1).w_next") == from_start.value("w_next")
    w = 0.5
    for _ in range(2):
        w = float(oracle.neuron_expected((w,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)["w_next"][0])
    truth = oracle.neuron_expected((w,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)
    assert_close(steps_2.value("dloss_dw"), truth["dloss_dw"][0], "dloss_dw after 2 updates")


LESSON = """\
---
title: Doubling X
flags: --w 0.5 --x 2 --lr 0.1
---

## X = 2 {#first}
The gradient is {dloss_dw}.

## X = 4 {#doubled}
state: --x 4
It is {dloss_dw / first.dloss_dw:.3f} times the first.
"""


def test_a_named_page_is_answered_from_its_own_state():
    opened = OpenLesson.of(parse_lesson(LESSON, "doubling.md"))
    at_2 = oracle.neuron_expected((0.5,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)
    at_4 = oracle.neuron_expected((0.5,), (4.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)
    first, second = opened.context(0), opened.context(1)
    assert_close(first.value("doubled.dloss_dw"), at_4["dloss_dw"][0], "doubled.dloss_dw")
    assert_close(second.value("first.dloss_dw"), at_2["dloss_dw"][0], "first.dloss_dw")
    assert_close(second.value("dloss_dw / first.dloss_dw"), at_4["dloss_dw"][0] / at_2["dloss_dw"][0], "ratio")
    # The issue's figures: −0.393224 at X = 2, −0.419974 at X = 4, y(1 − y) 0.196612 → 0.104994.
    assert first.value("dloss_dw") == pytest.approx(-0.393224, abs=5e-7)
    assert first.value("doubled.dloss_dw") == pytest.approx(-0.419974, abs=5e-7)
    assert first.value("doubled.dy_dz") == pytest.approx(0.104994, abs=5e-7)
    # A format spec in the text, through render: the ratio to 3 decimals, 1.068.
    assert opened.render(1, "{dloss_dw / first.dloss_dw:.3f}", 12) == "1.068"
    assert opened.render(0, "{dloss_dw:.3f} and {doubled.z}", 7) == f"{MINUS}0.393 and 2"


def test_mean_loss_is_the_mean_of_the_examples_losses():
    context = context_of("--data", "and", "--w", "0.3,-0.2", "--bias", "0.1")
    # AND: inputs (0,0), (0,1), (1,0), (1,1), targets 0, 0, 0, 1; sigmoid, bce (the data default).
    losses = []
    for (x1, x2), t in zip(((0, 0), (0, 1), (1, 0), (1, 1)), (0, 0, 0, 1)):
        y = 1 / (1 + math.exp(-(0.3 * x1 - 0.2 * x2 + 0.1)))
        losses.append(-(t * math.log(y) + (1 - t) * math.log(1 - y)))
    assert context.value("mean_loss") == pytest.approx(sum(losses) / 4, rel=1e-12)
    # Without a dataset the mean is over the one example: the loss itself.
    single = context_of(*SOURCE_EXAMPLE)
    assert single.value("mean_loss") == single.value("loss")


def test_the_gradient_check_at_the_issues_steps():
    context = context_of(*SOURCE_EXAMPLE)
    # The issue's figures for central differences at W = 0.5, X = 2.
    assert context.value("check(0.01).error") == pytest.approx(1.2e-5, rel=0.05)
    assert context.value("check(1e-4).error") == pytest.approx(1.2e-9, rel=0.05)
    analytic = oracle.neuron_expected((0.5,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)["dloss_dw"][0]
    assert_close(context.value("check(0.01).analytic"), analytic, "analytic")
    assert context.value("check(0.01).numeric") == pytest.approx(analytic, rel=1e-4)
    # A forward difference is first-order: its error at the same step is far larger.
    assert context.value("forward_check(0.01).error") > 100 * context.value("check(0.01).error")
    for bad in ("check(0)", "check(1)", "check(-0.1)", "check(0.01).slope"):
        with pytest.raises(ExpressionError):
            context.value(bad)


def test_attribution_parts_are_the_attribution_views():
    context = context_of("--w", "0.5,-1.5", "--x", "2,0.5", "--bias", "0.2")
    state = context.here.state
    rows = attribute(state.model, state.params)
    assert context.value("attribution(1).dy_dx") == tuple(r.dy_dx for r in rows)
    assert context.value("attribution(1).grad_x_input") == tuple(r.gradient_x_input for r in rows)
    assert context.value("attribution(1).occlusion[2]") == rows[1].occlusion
    # dy/dX against the oracle, too.
    assert_close(context.value("attribution(1).dy_dx"), oracle.neuron_dy_dx((0.5, -1.5), (2.0, 0.5), 0.2, "sigmoid"), "dy_dx")
    with pytest.raises(ExpressionError, match="from 1 to 1"):
        context.value("attribution(2).dy_dx")


def test_attribution_k_is_example_k_of_a_dataset():
    context = context_of("--data", "or")
    state = context.here.state
    third = attribute(state.model.each_example()[2], state.params)  # example (1, 0)
    assert context.value("attribution(3).dy_dx") == tuple(r.dy_dx for r in third)
    with pytest.raises(ExpressionError, match="from 1 to 4"):
        context.value("attribution(5).dy_dx")


# ---- vectors, indexes and arithmetic --------------------------------------------------------


def test_index_counts_from_1_and_out_of_range_is_an_error():
    context = context_of("--w", "0.5,-0.25", "--x", "1,2")
    assert context.value("dz_dw") == (1.0, 2.0)  # dz/dW = X
    assert context.value("dz_dw[1]") == 1.0 and context.value("dz_dw[2]") == 2.0
    for bad in ("dz_dw[0]", "dz_dw[3]", "dz_dw[-1]", "dz_dw[1.5]", "z[1]"):
        with pytest.raises(ExpressionError):
            context.value(bad)


def test_arithmetic_on_a_vector_needs_an_index():
    context = context_of("--w", "0.5,-0.25", "--x", "1,2")
    with pytest.raises(ExpressionError, match=r"\[i\]"):
        context.value("dloss_dw * 2")
    with pytest.raises(ExpressionError, match=r"\[i\]"):
        context.value("-dloss_dw")
    assert context.value("dloss_dw[2] * 2") == 2 * context.value("dloss_dw")[1]


def test_a_vector_of_one_number_is_that_number():
    context = context_of(*SOURCE_EXAMPLE)
    assert context.value("dloss_dw") == context.value("dloss_dw[1]")
    assert isinstance(context.value("dloss_dw"), float)
    assert context.value("2 * dz_dw") == 4.0


@pytest.mark.parametrize(
    "expression",
    ["1 / 0", "dloss_dw / 0", "1 / (z - z)", "log(-1)", "sqrt(-1)", "log(0)", "exp(1000)",
     "9 ** 9 ** 9", "1e300 * 1e300", "(-8) ** (1 / 3)"],
)  # fmt: skip
def test_an_expression_without_a_value_is_an_error(expression: str):
    with pytest.raises(ExpressionError, match="no value"):
        context_of(*SOURCE_EXAMPLE).value(expression)


def test_numbers_functions_and_precedence():
    context = context_of(*SOURCE_EXAMPLE)
    z = context.value("z")
    assert z == 1.0  # 0.5 × 2
    assert context.value("2 + 3 * z ** 2 - -1") == 6.0
    assert context.value("abs(-z) + max(1, 2) + min(z, 0.25) + sqrt(4)") == 1 + 2 + 0.25 + 2
    assert context.value("log(exp(z))") == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('touch PWNED')",
        "open('PWNED', 'w')",
        "dloss_dw.__class__",
        "z.__class__.__bases__",
        "update(1).__dict__",
        "first.__init__",
        "check(0.01).__class__",
        "abs.__self__",
        "(lambda: 1)()",
        "z < 1",
        "z if z else 1",
        "'text'",
        "f'{z}'",
        "[1, 2]",
        "{z}",
        "True",
        "max(z, key=abs)",
        "z = 1",
        "z; y",
        "",
        "not z",
        "z and y",
        "dloss_dw[1:2]",
        "update(1)",
        "update(0).z",
        "update(1.5).z",
        "update(100001).z",
        "update(1).nope",
        "nope",
        "first",
        "abs",
        "z(1)",
    ],
)
def test_anything_outside_the_grammar_is_refused_unevaluated(expression, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a command or open() that ran would leave its file
    with pytest.raises(ExpressionError):
        context_of(*SOURCE_EXAMPLE).value(expression)
    assert not (tmp_path / "PWNED").exists()


# ---- what the learner reads ----------------------------------------------------------------


def test_with_numbers_writes_each_value_in_place_of_its_name():
    opened = OpenLesson.of(parse_lesson(LESSON, "doubling.md"))
    at_2 = oracle.neuron_expected((0.5,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)
    at_4 = oracle.neuron_expected((0.5,), (4.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)
    g2, g4 = fmt_value(at_2["dloss_dw"][0]), fmt_value(at_4["dloss_dw"][0])
    assert g2.startswith(MINUS) and g4.startswith(MINUS)  # negatives are bracketed as operands
    context = opened.context(1)
    assert context.with_numbers("dloss_dw / first.dloss_dw") == f"({g4}) / ({g2})"
    assert context.with_numbers("abs(dloss_dw) * 2") == f"abs({g4}) × 2"
    assert context.with_numbers("-(z + 1)") == f"{MINUS}(2 + 1)"  # z = 0.5 × 4
    assert context.with_numbers("dloss_dw") == g4


def test_line_reference_names_a_line_of_the_pages_own_run():
    opened = OpenLesson.of(parse_lesson(LESSON, "doubling.md"))
    context = opened.context(0)
    assert context.line_reference("dloss_dw") == (1, "dloss_dw")
    assert context.line_reference("update(5).w_next") == (5, "w_next")
    assert context.line_reference("doubled.dloss_dw") is None  # another page's run
    assert context.line_reference("dloss_dw * 2") is None  # arithmetic is not a line
    assert context.line_reference("mean_loss") is None
    assert context.line_reference("check(0.01).error") is None
    with pytest.raises(ExpressionError):
        context.line_reference("update(5).nope")
    later = context_of(*SOURCE_EXAMPLE, steps=4)
    assert later.line_reference("y") == (5, "y")  # after 4 updates the page shows the fifth


def test_a_format_spec_needs_one_number_and_a_real_format():
    context = context_of("--w", "0.5,-0.25", "--x", "1,2")
    assert context.text("z", ".2f") == "0.00"  # 0.5 × 1 − 0.25 × 2
    assert context.text("dloss_dw[2] * 0 - 1.5", ".1f") == f"{MINUS}1.5"
    with pytest.raises(ExpressionError, match="vector"):
        context.text("dloss_dw", ".3f")
    with pytest.raises(ExpressionError, match="format"):
        context.text("z", "q")
