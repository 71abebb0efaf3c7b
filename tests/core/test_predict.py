"""Predict, then reveal: reading an answer, the tolerance, a question's tries, the hints, the
order predict mode asks in, and the score."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given

from calc_tutor.core.derivation import derive
from calc_tutor.core.lesson_values import State
from calc_tutor.core.numbers import numbers_of
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import MINUS, fmt_value
from calc_tutor.core.predict import (
    ABSOLUTE_TOLERANCE,
    MAX_ASKED_NUMBERS,
    NotANumber,
    Question,
    Score,
    askable,
    close_enough,
    line_question,
    next_askable,
    parse_answer,
)
from calc_tutor.tui.cli import model_from_flags

from . import oracle
from .cases import CORE_SETTINGS, neuron_configs

SOURCE_EXAMPLE = ("--w", "0.5", "--x", "2", "--lr", "0.1")


def next_update(*flags: str):
    return State(model_from_flags(flags), 0).next_update


def asked_names(derivation) -> list[str]:
    """The lines predict mode asks, walking as the app does."""
    names, index = [], 0
    while (index := next_askable(derivation, index)) is not None:
        names.append(derivation.lines[index - 1].name)
    return names


# ---- reading an answer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [(f"{MINUS}0.39", -0.39), ("-0.39", -0.39), ("1e-3", 0.001), ("1E-3", 0.001), ("+2", 2.0),
     (".5", 0.5), ("5.", 5.0), ("  0.25  ", 0.25), (f"{MINUS}.5", -0.5), (f"2e{MINUS}2", 0.02),
     ("42", 42.0)],
)  # fmt: skip
def test_an_answer_is_read_as_typed(typed: str, number: float):
    assert parse_answer(typed) == (number,)


def test_a_vector_answer_is_comma_separated():
    assert parse_answer(f"0.5, {MINUS}1.25,3", 3) == (0.5, -1.25, 3.0)


@pytest.mark.parametrize(
    ("typed", "count", "says"),
    [("", 1, "type a number"), ("   ", 1, "type a number"), ("minus one", 1, "'minus one' is not a number"),
     ("0.5x", 1, "'0.5x' is not a number"), ("nan", 1, "'nan'"), ("inf", 1, "'inf'"),
     ("1 2", 1, "'1 2'"), ("--1", 1, "'--1'"), ("1,", 1, "'nothing' is not a number"),
     ("1, 2", 1, "this value has one number: you typed 2"),
     ("1", 2, "this value has 2 numbers, comma-separated: you typed 1"),
     ("1;2", 2, "'1;2'")],
)  # fmt: skip
def test_a_non_answer_says_what_was_wrong(typed: str, count: int, says: str):
    with pytest.raises(NotANumber) as caught:
        parse_answer(typed, count)
    assert says in str(caught.value)


# ---- the tolerance: 1% of the value or 0.001, whichever is larger --------------------------


@pytest.mark.parametrize(
    ("truth", "edge"),
    [(1000.0, 10.0), (-1000.0, 10.0), (256.0, 2.56), (0.0, ABSOLUTE_TOLERANCE),
     (2.0**-20, ABSOLUTE_TOLERANCE), (-(2.0**-20), ABSOLUTE_TOLERANCE)],
)  # fmt: skip
def test_exactly_at_the_tolerance_is_right_just_beyond_is_wrong(truth: float, edge: float):
    # The edge is computed here from the rule (1% relative, 0.001 absolute): 1000 → 10, a
    # value near 0 → 0.001. Guesses are taken where guess − truth is exact in floats.
    for sign in (1, -1):
        at = truth + sign * edge
        assert abs(at - truth) == edge or math.isclose(abs(at - truth), edge, rel_tol=1e-15)
        if abs(at - truth) != edge:
            continue  # rounding moved it: only exact edges test the boundary
        assert close_enough(at, truth), (at, truth)
        beyond = math.nextafter(at, sign * math.inf)
        assert not close_enough(beyond, truth), (beyond, truth)


def test_tolerance_far_inside_and_far_outside():
    assert close_enough(-0.39, -0.393224)  # a reasonable rounding of dLoss/dW
    assert not close_enough(0.39, -0.393224)  # the wrong sign
    assert close_enough(0.0, 0.0009) and not close_enough(0.0, 0.0011)  # tiny: 0.001 absolute
    assert close_enough(1.0e6 * 1.009, 1.0e6) and not close_enough(1.0e6 * 1.011, 1.0e6)
    assert close_enough(2e-5, 1e-5)  # a tiny value: 0.001 is larger than 1% of it


def test_every_number_of_a_vector_must_be_close():
    question = Question("v", (1.0, -2.0), "h", "w")
    assert question.answer("1, -2.05").kind == "hint"  # the second is 2.5% off
    assert question.answer(f"1.005, {MINUS}2.01").kind == "right"


# ---- a question's tries -------------------------------------------------------------------


def test_right_first_time():
    question = Question("dLoss/dW", -0.393224, "the hint", "the why")
    reply = question.answer("-0.393")
    assert reply.kind == "right" and "Right first time" in reply.message
    assert f"{MINUS}0.393224" in reply.message
    assert question.done and question.right_first_time and question.tries == 1


def test_wrong_then_right_gets_the_hint_then_counts_the_second_try():
    question = Question("dLoss/dW", -0.393224, "the formula, with 1 × 2", "the why")
    first = question.answer("0.39")
    assert first.kind == "hint" and "the formula, with 1 × 2" in first.message
    assert "0.393224" not in first.message  # the value is not given away
    assert not question.done
    second = question.answer(f"{MINUS}0.3932")
    assert second.kind == "right" and "second try" in second.message
    assert question.done and not question.right_first_time and question.tries == 2


def test_wrong_twice_reveals_the_value_with_why():
    question = Question("dLoss/dW", -0.393224, "the hint", "Negative: W moves up.")
    assert question.answer("1").kind == "hint"
    reply = question.answer("2")
    assert reply.kind == "revealed"
    assert f"{MINUS}0.393224" in reply.message and "Negative: W moves up." in reply.message
    assert question.done and not question.right_first_time


def test_a_non_number_does_not_use_a_try():
    question = Question("dLoss/dW", -0.393224, "the hint", "the why")
    reply = question.answer("about minus 0.4")
    assert reply.kind == "again" and "not a number" in reply.message
    assert question.tries == 0 and not question.done
    assert question.answer("-0.4").kind == "hint"  # 1.7% off: this is the first try
    assert question.answer("").kind == "again"
    assert question.tries == 1
    assert question.answer("-0.3932").kind == "right"


def test_a_line_question_reveals_its_worked_line_and_note():
    line = next_update(*SOURCE_EXAMPLE).line("dloss_dw")
    question = line_question(line)
    truth = oracle.neuron_expected((0.5,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)["dloss_dw"][0]
    assert numbers_of(question.value) == pytest.approx((truth,), rel=1e-12)
    assert question.answer("0").kind == "hint"
    reply = question.answer("0")
    assert reply.kind == "revealed"
    assert fmt_value(truth) in reply.message and line.note in reply.message
    assert line.substitution in reply.message  # the numbers, worked


def test_score_counts_right_first_time_of_asked():
    score = Score()
    first, second, third = (Question("q", 1.0, "h", "w") for _ in range(3))
    first.answer("1")
    second.answer("0")
    second.answer("1")
    third.answer("5")
    third.answer("5")
    for question in (first, second, third):
        score.count(question)
    assert (score.right_first_time, score.asked) == (1, 3)
    assert str(score) == "1/3 right first time"
    assert str(Score()) == "0/0 right first time"


# ---- hints never give the value away -------------------------------------------------------


def states_value(hint: str, value) -> bool:
    """Whether the hint says the value outright: as what a formula equals (``= −1``), as the
    whole of its numbers (``, with 0.5``) or as the whole hint."""
    shown = {fmt_value(value)} | {fmt_value(n) for n in numbers_of(value)}
    for text in shown:
        text = re.escape(text)
        if re.search(rf"[=←]\s*{text}\s*(?:$|,)", hint) or re.search(rf", with {text}$", hint):
            return True
        if hint.strip() == text:
            return True
    return False


DERIVATIONS = {
    "neuron-default": SOURCE_EXAMPLE,
    "tanh-mse-bias": ("--w", "0.5", "--x", "2", "--activation", "tanh", "--loss", "mse",
                      "--bias", "0.3", "--target", "0.2"),
    "relu-at-kink": ("--w", "0.5", "--x", "2", "--bias", "-1", "--activation", "relu",
                     "--loss", "mse", "--target", "1"),
    "linear-mse": ("--w", "0.5", "--x", "2", "--activation", "linear", "--loss", "mse"),
    "network": ("--model", "mlp", "--hidden", "2", "--x", "2,1"),
    "network-one-minus-y": ("--model", "mlp", "--hidden", "1", "--x", "2", "--loss", "one-minus-y"),
    "dataset": ("--data", "and"),
}  # fmt: skip


@pytest.mark.parametrize("flags", DERIVATIONS.values(), ids=DERIVATIONS.keys())
def test_no_hint_states_its_value(flags):
    derivation = next_update(*flags)
    asked = [line for line in derivation.lines if askable(line)]
    assert len(asked) >= 8
    for line in asked:
        hint = line_question(line).hint
        assert hint and not states_value(hint, line.value), f"{line.name}: {hint!r}"


def test_the_kink_case_is_at_the_kink():
    assert next_update(*DERIVATIONS["relu-at-kink"]).line("z").value == 0.0  # 0.5 × 2 − 1


def test_the_check_catches_a_hint_that_states_its_value():
    assert states_value("dLoss/dy = −1", -1.0)
    assert states_value("W ← 0.5", 0.5)
    assert not states_value("dy/dz = 1 if z > 0 else 0, with 1 if 0 > 0 else 0", 0.0)
    assert not states_value("z = W·X, with 0.5 × 2", 1.0)
    assert not states_value("dLoss/dy = 2(y − t), with 2 × (1 − 0)", 2.0)  # a formula's own 2


@CORE_SETTINGS
@given(neuron_configs())
def test_no_hint_states_its_value_in_any_pairing(config):
    model = Neuron(config)
    derivation = derive(model, model.update(model.initial_params()), 1)
    for line in derivation.lines:
        if askable(line):
            hint = line_question(line).hint
            assert not states_value(hint, line.value), f"{line.name}: {hint!r}"


# ---- what predict mode asks, in order -------------------------------------------------------


def test_the_source_example_is_asked_in_the_issues_order():
    assert asked_names(next_update(*SOURCE_EXAMPLE)) == [
        "z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dz_dw", "dloss_dw", "w_next",
    ]  # fmt: skip


def test_next_askable_counts_from_1_and_ends_with_none():
    derivation = next_update(*SOURCE_EXAMPLE)
    first = next_askable(derivation, 0)
    assert first is not None and derivation.lines[first - 1].name == "z"
    last = len(derivation.lines)
    assert next_askable(derivation, last) is None
    aside = [i for i, line in enumerate(derivation.lines, start=1) if line.name == "dloss_dx"]
    assert aside and next_askable(derivation, aside[0] - 1) == aside[0] + 1  # the aside is skipped


@pytest.mark.parametrize(("hidden", "inputs", "asks_w1"), [(2, "2,1", True), (3, "2,1", False)])
def test_the_network_skips_values_of_more_than_four_numbers(hidden: int, inputs: str, asks_w1: bool):
    derivation = next_update("--model", "mlp", "--hidden", str(hidden), "--x", inputs)
    asked = asked_names(derivation)
    sizes = {line.name: len(numbers_of(line.value)) for line in derivation.lines if line.value is not None}
    # W1 has hidden × inputs numbers: 4 is asked (the limit), 6 is shown, not asked.
    assert sizes["dloss_dw1"] == hidden * 2 and MAX_ASKED_NUMBERS == 4
    assert ("dloss_dw1" in asked) is asks_w1 and ("w1_next" in asked) is asks_w1
    assert all(sizes[name] <= MAX_ASKED_NUMBERS for name in asked)
    assert {"z2", "y", "loss", "dloss_dw2", "dloss_db1"} <= set(asked)  # hidden ≤ 4 numbers
    assert asked == [line.name for line in derivation.lines if line.name in asked]  # in order


def test_a_dataset_example_is_data_not_a_question():
    derivation = next_update("--data", "xor")
    examples = [line for line in derivation.lines if line.group == "example"]
    assert all(not askable(line) for line in examples)
    assert "z" in asked_names(derivation)


# ---- a lesson's questions follow the same rules --------------------------------------------

LESSON = """\
---
title: Questions
flags: --w 0.5 --x 2 --lr 0.1
---

## First {#first}
? dloss_dy: How fast does the loss fall as y rises?

? dloss_dw: And dLoss/dW?

? update(2).w_next: Where is W after two updates?

? dloss_dw / dz_dw: dLoss/dW over X?

? w_next: Where does W go?
hint: subtract α times {dloss_dw}
why: The update moved W up, to {w_next}.
"""


def lesson_questions():
    from calc_tutor.core.lesson import parse_lesson
    from calc_tutor.tui.lessons import OpenLesson

    opened = OpenLesson.of(parse_lesson(LESSON, "questions.md"))
    return [opened.question(0, q) for q in opened.lesson.pages[0].questions]


def test_a_lesson_question_is_answered_by_the_engine_and_hides_its_value():
    slope, gradient, second_w, ratio, w_next = lesson_questions()
    truth = oracle.neuron_expected((0.5,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)
    assert slope.value == truth["dloss_dy"] == -1.0
    assert gradient.value == pytest.approx(truth["dloss_dw"][0], rel=1e-12)
    w1 = truth["w_next"]
    assert second_w.value == pytest.approx(
        oracle.neuron_expected(w1, (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)["w_next"][0], rel=1e-12
    )
    assert ratio.value == pytest.approx(truth["dloss_dw"][0] / 2.0, rel=1e-12)
    for question in (slope, gradient, second_w, ratio):
        assert not states_value(question.hint, question.value), question.hint
    # A line's question: its formula with the numbers; arithmetic: the numbers in place.
    assert gradient.hint.startswith("dLoss/dW = ") and ", with " in gradient.hint
    assert ratio.hint == f"({fmt_value(truth['dloss_dw'][0])}) / 2"
    # Wrong twice: the value, with the line's worked numbers.
    assert gradient.answer("1").kind == "hint"
    revealed = gradient.answer("1").message
    assert fmt_value(truth["dloss_dw"][0]) in revealed and "dLoss/dW: " in revealed


def test_a_lesson_questions_own_hint_and_why_are_rendered():
    *_, w_next = lesson_questions()
    truth = oracle.neuron_expected((0.5,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)
    assert w_next.hint == f"subtract α times {fmt_value(truth['dloss_dw'][0])}"
    assert w_next.answer(f"{MINUS}3").kind == "hint"
    reply = w_next.answer("3")
    assert reply.kind == "revealed"
    assert f"The update moved W up, to {fmt_value(truth['w_next'][0])}." in reply.message
    assert w_next.done and not w_next.right_first_time


def test_a_constant_slopes_question_asks_by_its_name_not_its_formula():
    """dLoss/dy = −1 as a prompt ("dLoss/dy = −1 = ?") would state the answer."""
    derivation = next_update(*SOURCE_EXAMPLE)
    dloss_dy = line_question(derivation.line("dloss_dy"))
    assert dloss_dy.label == "dLoss/dy" and dloss_dy.value == -1.0
    assert line_question(derivation.line("dloss_dw")).label == derivation.line("dloss_dw").symbol
    for line in derivation.lines:
        if askable(line):
            assert not states_value(line_question(line).label, line.value), line.name
