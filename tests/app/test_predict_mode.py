"""Predict mode (key k): each line of the next update asked before it is shown, in the
derivation's order; right, wrong and twice-wrong answers; the score; esc; the values against the
independent autodiff."""

from __future__ import annotations

import pytest

from calc_tutor.core.predict import ABSOLUTE_TOLERANCE
from calc_tutor.tui.screens.main import MainScreen
from calc_tutor.tui.widgets.derivation import DerivationPanel

from ..core import oracle
from .conftest import SIZE, make_app, region_text, screen_text

# The source's example, in the order the issue gives.
ORDER = ["z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dz_dw", "dloss_dw", "w_next"]


def asked_name(screen: MainScreen) -> str:
    question = screen.predict.question
    assert question is not None
    derivation = screen.query_one(DerivationPanel).current()[0]
    return derivation.lines[screen.predict.index - 1].name


def truth(name: str, w: float, x: float = 2.0, lr: float = 0.1) -> float:
    value = oracle.neuron_expected((w,), (x,), None, lr, "sigmoid", "one-minus-y", 1.0)[name]
    return float(value[0]) if hasattr(value, "__len__") else float(value)


async def answer(pilot, text: str) -> None:
    screen = pilot.app.screen
    screen.bar.answer.value = text
    await pilot.press("enter")


async def test_every_line_is_asked_in_order_and_right_answers_reveal_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        screen = app.screen
        assert screen.bar.display and screen.bar.answer.has_focus
        names = [line.name for line in screen.query_one(DerivationPanel).current()[0].lines]
        asked = []
        for _ in ORDER:
            name = asked_name(screen)
            asked.append(name)
            line = names.index(name) + 1
            assert screen.revealed == line - 1  # the lines before it, not it
            await answer(pilot, repr(truth(name, 0.5)))
            await pilot.pause()
            assert screen.revealed >= line or screen.predict.paused
        assert asked == ORDER
        assert screen.predict.paused  # the update was applied; Enter goes on
        assert app.session.cursor == 1
        assert str(screen.predict.score) == "9/9 right first time"
        assert "Predict · 9/9 right first time" in region_text(app, "#status")


async def test_a_wrong_answer_gets_the_formula_with_numbers_then_the_value_with_why() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        screen = app.screen
        await answer(pilot, "5")  # z is 1
        feedback = region_text(app, "#predict-feedback")
        assert "Hint" in feedback and "0.5 × 2" in feedback.replace("x", "×")
        assert screen.revealed == 0  # still unrevealed
        await answer(pilot, "7")
        feedback = region_text(app, "#predict-feedback")
        assert "It is 1." in feedback and "weighted sum" in feedback
        assert screen.revealed == 1  # revealed, and y is asked next
        assert asked_name(screen) == "y"
        await answer(pilot, "not a number")
        assert "not a number" in region_text(app, "#predict-feedback")
        assert screen.predict.question.tries == 0  # a non-number costs no try
        await answer(pilot, "0.7311")
        assert str(screen.predict.score) == "1/2 right first time"


@pytest.mark.parametrize("typed_minus", ["-", "−"])
async def test_both_minus_signs_and_the_tolerance(typed_minus: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        screen = app.screen
        for name in ORDER[:7]:  # up to dLoss/dW
            await answer(pilot, repr(truth(name, 0.5)))
        assert asked_name(screen) == "dloss_dw"
        value = truth("dloss_dw", 0.5)  # −0.393224
        off = abs(value) * 0.0099  # inside 1%
        await answer(pilot, f"{typed_minus}{abs(value) + off}")
        assert asked_name(screen) == "w_next"
        assert screen.predict.score.right_first_time == 8
        # Just outside 1% of W's new value is wrong.
        w_next = truth("w_next", 0.5)
        await answer(pilot, repr(w_next * 1.0101 + ABSOLUTE_TOLERANCE * 0))
        assert "Hint" in region_text(app, "#predict-feedback")


async def test_esc_leaves_and_keys_work_again() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await answer(pilot, "1")
        await pilot.press("escape")
        screen = app.screen
        assert screen.predict is None and not screen.bar.display
        assert screen.notice == "predict off: 1/1 right first time"
        assert app.session.cursor == 0  # the update was not applied
        await pilot.press("n")
        assert app.session.cursor == 1


async def test_it_goes_on_to_the_next_update_and_keeps_the_score() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        screen = app.screen
        w = 0.5
        for _ in ORDER:
            await answer(pilot, repr(truth(asked_name(screen), w)))
        await answer(pilot, "")  # Enter: the next update
        w = truth("w_next", 0.5)
        assert screen.step == 2 and asked_name(screen) == "z"
        for name in ORDER:
            assert asked_name(screen) == name
            await answer(pilot, repr(truth(name, w)))
        assert app.session.cursor == 2
        assert str(screen.predict.score) == "18/18 right first time"


async def test_the_status_line_hides_the_numbers_while_asking() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        before = region_text(app, "#status")
        assert "0.6966" in before or "0.5393" in before  # W after the update, without predict
        await pilot.press("k")
        status = region_text(app, "#status")
        assert "0.5393" not in status and "loss" not in status


async def test_keys_that_are_not_part_of_a_number_are_not_typed_into_the_answer() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        screen = app.screen
        view = screen.view
        await pilot.press("v", "n", "right_square_bracket", "g", "q")
        assert screen.bar.answer.value == ""
        assert app.is_running and app.screen is screen  # neither quits nor checks the gradient
        assert screen.view != view  # v still switches the (hidden) plot's view
        assert app.session.cursor == 0  # n does not step under an open question
        await pilot.press("minus", "0", "full_stop", "5", "e", "minus", "1")
        assert screen.bar.answer.value == "-0.5e-1"


async def test_the_plot_hides_while_a_question_is_open_and_returns_between_updates() -> None:
    from calc_tutor.tui.widgets.plot import HIDDEN_WHILE_ASKING

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert HIDDEN_WHILE_ASKING.split(":")[0] not in region_text(app, "#plot")
        await pilot.press("k")
        assert HIDDEN_WHILE_ASKING.split(":")[0] in region_text(app, "#plot")
        screen = app.screen
        for name in ORDER:
            await answer(pilot, repr(truth(asked_name(screen), 0.5)))
        assert screen.predict.paused
        assert HIDDEN_WHILE_ASKING.split(":")[0] not in region_text(app, "#plot")


async def test_the_network_asks_its_lines_with_vectors_as_comma_separated_numbers() -> None:
    """Two hidden units and one input: every line of at most four numbers is asked, in the
    derivation's order (dLoss/dX, an aside, is not); a vector's numbers are typed with commas."""
    from calc_tutor.core.config import MlpConfig
    from calc_tutor.core.derivation import derive
    from calc_tutor.core.mlp import Mlp
    from calc_tutor.core.numbers import numbers_of
    from calc_tutor.core.predict import askable
    from calc_tutor.tui.app import CalcTutorApp

    model = Mlp(MlpConfig(x=(2.0,), hidden=2))
    record = model.update(model.initial_params())
    lines = derive(model, record, 1).lines
    expected = [line.name for line in lines if askable(line)]
    assert "dloss_dx" not in expected and {"z1", "h", "dloss_dw1", "w1_next"} <= set(expected)
    app = CalcTutorApp(model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        screen = app.screen
        asked = []
        for _ in expected:
            name = asked_name(screen)
            asked.append(name)
            value = next(line.value for line in lines if line.name == name)
            await answer(pilot, ", ".join(repr(n) for n in numbers_of(value)))
        assert asked == expected
        assert screen.predict.score.right_first_time == len(expected)
        assert app.session.cursor == 1


async def test_a_waiting_question_sends_nothing_no_blinking_cursor() -> None:
    # Over SSH each blink of the answer's cursor would cross the link twice a second.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await pilot.pause()
        first = app.export_screenshot()
        for _ in range(4):  # past Textual's 0.5 s blink, twice
            await pilot.pause(0.3)
            assert app.export_screenshot() == first
