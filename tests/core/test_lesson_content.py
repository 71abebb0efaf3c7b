"""The built-in lessons show the numbers issue 7 names for them, computed by the engine for each
lesson's own pages (its flags, its steps), and where a test can reach it, by the autodiff oracle.

A lesson file that drifted (a flag changed, a page renamed) fails here, not in front of a learner.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from calc_tutor.core.activations import ACTIVATIONS, is_saturated
from calc_tutor.core.lesson import built_in_lessons
from calc_tutor.tui.lessons import OpenLesson
from calc_tutor.tui.now import example_of, shown_step

from . import oracle


def lesson(number: int) -> OpenLesson:
    return OpenLesson.of(built_in_lessons()[number - 1])


def value(opened: OpenLesson, page: str, expression: str):
    """The expression's value on the page named ``page`` ({#page} on its heading)."""
    (index,) = [i for i, p in enumerate(opened.lesson.pages) if p.name == page]
    return opened.context(index).value(expression)


def digits(number: float, places: int) -> float:
    """``number`` as the issue writes it: rounded to ``places`` significant digits."""
    return float(f"{number:.{places}g}")


def test_the_path_has_eight_lessons_in_order():
    titles = [lesson.title for lesson in built_in_lessons()]
    assert len(titles) == 8
    assert titles[1] == "Step size" and titles[7] == "Which input mattered?"


def test_lesson_1_factor_by_factor():
    opened = lesson(1)
    assert round(value(opened, "first", "dloss_dw"), 6) == -0.393224
    assert round(value(opened, "first", "w_next"), 6) == 0.539322
    assert round(value(opened, "doubled", "dloss_dw"), 6) == -0.419974
    assert round(value(opened, "first", "dy_dz"), 6) == 0.196612
    assert round(value(opened, "doubled", "dy_dz"), 6) == 0.104994


@pytest.mark.parametrize(("page", "alpha"), [("crawl", 0.01), ("land", 0.125), ("bounce", 0.25),
                                             ("explode", 0.3)])  # fmt: skip
def test_lesson_2_w_after_5_updates_follows_the_factor_1_minus_8_alpha(page, alpha):
    opened = lesson(2)
    (index,) = [i for i, p in enumerate(opened.lesson.pages) if p.name == page]
    assert opened.state(index).model.config.lr == alpha  # the page is the α its text names
    expected = 0.5 * (1 - (1 - 8 * alpha) ** 5)
    assert value(opened, page, "update(5).w_next") == pytest.approx(expected, rel=1e-12, abs=1e-15)
    # The factor the text quotes, from the engine's own misses (t = 1).
    factor = value(opened, page, "(update(2).y - 1) / (update(1).y - 1)")
    assert factor == pytest.approx(1 - 8 * alpha, abs=1e-12)


def test_lesson_2_bounces_forever_at_alpha_0_25_and_runs_away_at_0_3():
    opened = lesson(2)
    bounce = [value(opened, "bounce", f"update({n}).w_next") for n in range(1, 41)]
    assert set(bounce) == {0.0, 1.0}
    assert value(opened, "bounce", "update(40).loss") == value(opened, "bounce", "update(1).loss")
    # The text quotes the loss before the first update and before the fifth (what the plot ends at).
    assert value(opened, "explode", "update(5).loss") > 10 * value(opened, "explode", "update(1).loss")


def test_lesson_3_saturation():
    opened = lesson(3)
    mild, saturated = value(opened, "mild", "dloss_dw"), value(opened, "saturated", "dloss_dw")
    assert digits(mild, 5) == 0.57494
    # The 0.00018158, within its last digit (the value is 0.000181574987…).
    assert saturated == pytest.approx(0.00018158, abs=1e-8)
    assert 3000 < mild / saturated < 3300  # "about 3,000× smaller"
    # bce cancels y(1 − y): dLoss/dz = y − t (t = 0), and the step is large again.
    assert value(opened, "bce", "dloss_dz") == pytest.approx(value(opened, "bce", "y"), rel=1e-12)
    assert value(opened, "bce", "dloss_dw") > 1000 * saturated
    assert value(opened, "relu", "dy_dz") == 1.0


@pytest.mark.parametrize(("page", "w"), [("mild", 0.5), ("saturated", 5.0)])
def test_lesson_3_agrees_with_the_autodiff_oracle(page, w):
    expected = oracle.neuron_expected([w], [2.0], None, 0.1, "sigmoid", "mse", 0.0)
    for name in ("y", "loss", "dy_dz", "dloss_dw"):
        np.testing.assert_allclose(value(lesson(3), page, name), expected[name], rtol=1e-9, err_msg=name)


def test_lesson_4_dead_relu():
    opened = lesson(4)
    assert value(opened, "big", "w_next") == -4.0
    assert value(opened, "dead", "dloss_dw") == 0.0  # dead: no gradient …
    assert value(opened, "dead", "loss") == 1.0  # … though the loss is far from 0
    assert value(opened, "dead", "update(100).w_next") == -4.0  # and it never moves again
    assert value(opened, "small", "update(20).w_next") == pytest.approx(0.5, abs=1e-3)
    # The leak page's α would kill a plain ReLU (the first update sends z below 0), yet the
    # leaky unit climbs back and reaches the target, as its text says.
    assert value(opened, "leaky", "update(1).w_next") < 0 and value(opened, "leaky", "z") < 0
    leaky = value(opened, "leaky", "dloss_dw")
    assert leaky < 0 and value(opened, "leaky", "w_next") > value(opened, "leaky", "update(1).w_next")
    assert -0.05 < value(opened, "leaky", "update(50).w_next") < 0  # "just below 0"
    assert value(opened, "leaky", "update(100).w_next") == pytest.approx(0.5, abs=1e-6)
    assert value(opened, "leaky", "update(100).loss") < 1e-9  # "y hits t"


def test_lesson_5_backprop_through_two_layers():
    opened = lesson(5)
    assert round(value(opened, "net", "dloss_dw2"), 6) == -0.137212
    assert round(value(opened, "deep", "dloss_dw1"), 6) == -0.110706
    assert round(value(opened, "tanh", "dloss_dw1"), 6) == -0.231038
    assert round(value(opened, "neuron", "dloss_dw"), 6) == -0.393224
    # Each layer back multiplies by w2 · dh/dz1 (w2 = 1.5).
    assert value(opened, "deep", "dloss_dz1 / dloss_dz2") == pytest.approx(
        1.5 * value(opened, "deep", "dh_dz1"), rel=1e-12)
    # With tanh, two factors of dLoss/dw1 change (dh/dz1, and dLoss/dz2 through h and y); the
    # text says their product is the change in dLoss/dw1, to the 3 decimals it prints.
    slope, output = (value(opened, "tanh", f"{name} / deep.{name}") for name in ("dh_dz1", "dloss_dz2"))
    change = value(opened, "tanh", "dloss_dw1 / deep.dloss_dw1")
    assert change == pytest.approx(slope * output, rel=1e-12)
    assert f"{float(f'{slope:.3f}') * float(f'{output:.3f}'):.3f}" == f"{change:.3f}"
    assert abs(output - 1) > 0.01  # dLoss/dz2 really changed: the hidden slope alone is not the story


@pytest.mark.parametrize(("page", "activation"), [("deep", "sigmoid"), ("tanh", "tanh")])
def test_lesson_5_agrees_with_the_autodiff_oracle(page, activation):
    expected = oracle.mlp_expected([[0.5]], [0.0], [1.5], 0.0, [2.0], 0.1, activation, "one-minus-y", 1.0)
    for name in ("y", "dloss_dw2", "dloss_dw1", "dh_dz1", "dloss_dz2"):
        np.testing.assert_allclose(value(lesson(5), page, name), np.ravel(expected[name]).squeeze(),
                                   rtol=1e-12, err_msg=name)  # fmt: skip


def test_lesson_6_the_first_batch_step_moves_only_b_and_xor_stalls_at_ln_2():
    opened = lesson(6)
    assert value(opened, "batch", "dloss_dw") == (0.0, 0.0)
    assert value(opened, "batch", "w_next") == (0.0, 0.0)
    assert value(opened, "batch", "b_next") != 0.0
    assert value(opened, "learned", "mean_loss") < 0.5 * math.log(2)
    assert value(opened, "xor", "mean_loss") == pytest.approx(math.log(2), abs=1e-6)
    assert value(opened, "net", "mean_loss") < 0.1 * math.log(2)
    # The page says hidden unit 1 is saturated in the update on show (its last, update `steps`).
    (net,) = [p for p in opened.lesson.pages if p.name == "net"]
    slope = value(opened, "net", f"update({net.steps}).dh_dz1[1]")
    assert is_saturated(ACTIVATIONS["tanh"], slope)


def test_lesson_7_checking_a_gradient():
    opened = lesson(7)
    # The first question's answer, L(W + ε) − L(W − ε), is what 2ε · dLoss/dW predicts
    # (ε = 0.01 is absolute here: W = 0.5), within the 1% a prediction is allowed.
    assert opened.state(0).model.config.w == (0.5,)
    difference = value(opened, "nudge", "check(0.01).numeric * 2 * 0.01")
    assert difference == pytest.approx(2 * 0.01 * value(opened, "nudge", "dloss_dw"), rel=0.01)
    assert f"{value(opened, 'nudge', 'check(0.01).error'):.1e}" == "1.2e-05"
    assert f"{value(opened, 'nudge', 'check(0.0001).error'):.1e}" == "1.2e-09"
    # Central differences shrink like ε², forward ones like ε.
    assert value(opened, "order", "check(0.01).error / check(0.0001).error") == pytest.approx(1e4, rel=0.01)
    assert value(opened, "order", "forward_check(0.01).error / forward_check(0.0001).error") == \
        pytest.approx(100, rel=0.01)
    # Too small an ε: rounding wins.
    assert value(opened, "tiny", "check(1e-12).error") > 1000 * value(opened, "tiny", "check(0.0001).error")
    # A dropped ·X shows as a ratio of exactly X.
    assert value(opened, "bug", "check(0.0001).numeric / dloss_dz") == pytest.approx(2.0, rel=1e-8)
    assert value(opened, "bug", "dz_dw") == 2.0


def test_lesson_8_attribution():
    opened = lesson(8)
    # An input of 0 gets no credit from gradient × input or occlusion, yet its slope is not small.
    assert value(opened, "gate", "attribution(2).grad_x_input[1]") == 0.0
    assert value(opened, "gate", "attribution(2).occlusion[1]") == 0.0
    assert value(opened, "gate", "attribution(2).dy_dx[1]") > 0.1
    assert value(opened, "zero", "attribution(4).occlusion[1]") < -0.3
    # A confident network: small gradients, inputs that decide the answer.
    assert abs(value(opened, "xor", "attribution(2).dy_dx[2]")) < 0.05
    assert abs(value(opened, "xor", "attribution(2).dy_dx[1]")) < 0.05  # "both near 0"
    assert value(opened, "xor", "attribution(2).occlusion[2]") < -0.9


def test_lessons_6_and_8_speak_of_the_same_trained_models():
    six, eight = built_in_lessons()[5], built_in_lessons()[7]

    def page(lesson, name):
        (found,) = [p for p in lesson.pages if p.name == name]
        return lesson.flags + found.flags, found.steps

    assert page(six, "learned") == (page(eight, "gate")[0], page(eight, "gate")[1])
    assert page(six, "net") == page(eight, "xor")


@pytest.mark.parametrize(("page", "walks"), [("gate", False), ("zero", False), ("xor", True)])
def test_lesson_8_the_attribution_view_shows_the_example_the_text_asks_about(page, walks):
    """The view (key a) shows the example of the update on show: the page's last update, or
    the next one when a question on a line of it walked the derivation there."""
    opened = lesson(8)
    (index,) = [i for i, p in enumerate(opened.lesson.pages) if p.name == page]
    state = opened.state(index)
    asks_a_line = any(opened.reference(index, q) == (state.steps + 1, name)
                      for q in opened.lesson.pages[index].questions
                      for name in [q.expression])  # fmt: skip
    assert asks_a_line == walks
    on_show = shown_step(state.steps, walking=walks, previewing=False)
    examples = state.model.each_example()
    assert example_of(state.model, on_show) is examples[1]  # example 2: X = (0, 1)
    assert examples[1].config.x == (0.0, 1.0)
