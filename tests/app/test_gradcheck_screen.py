"""The gradient check (key g): its numbers against the independent oracle and a finite difference
computed here, ε moved by [ and ], the planted bug, closing, and the states where no check can
be made; for the neuron and the two-layer network.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from calc_tutor.core.config import MlpConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.numbers import parse_shown
from calc_tutor.tui.app import CalcTutorApp
from calc_tutor.tui.screens.gradcheck import CheckTable, GradcheckScreen
from calc_tutor.tui.screens.main import MainScreen

from ..core import oracle
from ..core.cases import split_mlp
from .conftest import SEED, SIZE, make_app, raw_screen_text, region_text, screen_text, wait_until

# The rows show 10 significant digits.
SHOWN = 1e-9


def rounding(epsilon: float) -> float:
    """How far two float64 central differences of the same loss (L ≤ 1 here) may part: each
    loss is rounded by a few ulps, and the difference divides that by 2h."""
    return 8 * sys.float_info.epsilon / (2 * epsilon)

# Two inputs, three hidden ReLU units: with seed 0 units 1 and 2 are off (z1 < 0) at the start.
NETWORK = {"x": (1.0, 2.0), "hidden": 3, "seed": 0, "activation": "relu", "loss": "mse",
           "target": 0.8, "lr": 0.5}  # fmt: skip


def rows(app: CalcTutorApp) -> dict[str, tuple[float, float, float, str]]:
    """Each parameter's row as shown: analytic, numeric, relative error, pass or FAIL."""
    table = app.screen.query_one(CheckTable)
    shown = {}
    for index in range(table.row_count):
        name, analytic, numeric, error, verdict = map(str, table.get_row_at(index))
        shown[name] = (parse_shown(analytic), parse_shown(numeric), parse_shown(error), verdict)
    return shown


def neuron_loss(w: np.ndarray) -> float:
    """The seed run's loss, 1 − σ(W·X), from the textbook formulas."""
    return float(oracle.LOSSES["one-minus-y"](oracle._sigmoid(w @ np.array(SEED["x"])), 1.0))


def network_loss(params) -> float:
    c = MlpConfig(**NETWORK)
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    h = oracle.ACTIVATIONS[c.activation](np.array(w1) @ np.array(c.x) + np.array(b1))
    return float(oracle.LOSSES[c.loss](oracle._sigmoid(float(np.dot(w2, h)) + b2), c.target))


def central_difference(loss, params, epsilon: float) -> list[float]:
    """(L(p + h) − L(p − h)) / 2h with h = ε·max(1, |p|), over the real distance apart."""
    slopes = []
    for i, p in enumerate(params):
        h = epsilon * max(1.0, abs(p))
        up, down = np.array(params, dtype=float), np.array(params, dtype=float)
        up[i], down[i] = p + h, p - h
        slopes.append((loss(up) - loss(down)) / ((p + h) - (p - h)))
    return slopes


def seed_w_after_one_update() -> float:
    """W after update 1 of the seed run, by the oracle: where update 2 starts."""
    w, x, lr = SEED["w"], SEED["x"], SEED["lr"]
    return oracle.neuron_expected(w, x, None, lr, "sigmoid", "one-minus-y", 1.0)["w_next"][0]


def network_app() -> CalcTutorApp:
    return CalcTutorApp(Mlp(MlpConfig(**NETWORK)))  # type: ignore[arg-type]


async def test_g_checks_the_update_on_show_against_autograd_and_a_difference() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "g")  # update 2 is on show: it starts from W after update 1
        assert isinstance(app.screen, GradcheckScreen)
        text = screen_text(app)
        assert "Gradient check · update 2, at the parameters it starts from · ε = 1e-06" in text
        w = seed_w_after_one_update()
        expected = oracle.neuron_expected((w,), SEED["x"], None, SEED["lr"], "sigmoid",
                                          "one-minus-y", 1.0)["dloss_dw"][0]  # fmt: skip
        analytic, numeric, error, verdict = rows(app)["W[1]"]
        assert analytic == pytest.approx(expected, rel=SHOWN)
        assert numeric == pytest.approx(central_difference(neuron_loss, [w], 1e-6)[0], rel=SHOWN)
        assert error == pytest.approx(abs(analytic - numeric) / abs(analytic), rel=0.05, abs=1e-9)
        assert error < 1e-6 and verdict == "pass"
        assert "W[1]" in text and "pass" in text  # on screen, not only in the table's data


async def test_the_preview_at_the_start_checks_the_starting_parameters() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        assert "update 1, at the parameters it starts from" in screen_text(app)
        expected = oracle.neuron_expected(SEED["w"], SEED["x"], None, SEED["lr"], "sigmoid",
                                          "one-minus-y", 1.0)["dloss_dw"][0]  # fmt: skip
        assert rows(app)["W[1]"][0] == pytest.approx(expected, rel=SHOWN)


async def test_brackets_move_epsilon_by_tens_within_its_range_and_the_numbers_follow() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        w = SEED["w"][0]
        at_default = rows(app)["W[1]"]
        await pilot.press("right_square_bracket")
        assert app.screen.epsilon == 1e-5
        assert "ε = 1e-05" in screen_text(app)
        for _ in range(6):  # up to 0.1, and no further
            await pilot.press("right_square_bracket")
        assert app.screen.epsilon == 0.1
        analytic, numeric, error, verdict = rows(app)["W[1]"]
        assert analytic == at_default[0]  # the chain rule does not depend on ε
        assert numeric == pytest.approx(central_difference(neuron_loss, [w], 0.1)[0], rel=SHOWN)
        assert numeric != pytest.approx(at_default[1], rel=1e-4)  # a wide step: a worse slope
        assert error > 1e-4 and verdict == "FAIL"
        for _ in range(14):  # down to 1e-14, and no further
            await pilot.press("left_square_bracket")
        assert app.screen.epsilon == 1e-14
        numeric = rows(app)["W[1]"][1]
        difference = central_difference(neuron_loss, [w], 1e-14)[0]
        assert numeric == pytest.approx(difference, abs=rounding(1e-14))
        # Rounding: at ε = 1e-14 the difference is further off than at 1e-6.
        assert rows(app)["W[1]"][2] > 100 * at_default[2]
        text = screen_text(app)
        assert "Smaller ε is not always better" in text
        mark = next(line for line in text.splitlines() if "ε now" in line)
        row = next(line for line in text.splitlines() if line.startswith("│ ε "))
        assert row[mark.index("↑")] == "4"  # the mark stands under −14, the ε in use


async def test_the_planted_bug_fails_the_check_and_names_the_factor_left_out() -> None:
    # W[2]'s input is 0: its gradient is 0 with or without dy/dz.
    app = make_app(w=(0.5, 0.5), x=(2.0, 0.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "b")
        w, x = (0.5, 0.5), (2.0, 0.0)
        expected = oracle.neuron_expected(w, x, None, SEED["lr"], "sigmoid", "one-minus-y", 1.0)
        shown = rows(app)
        # dLoss/dy · dz/dW in place of dLoss/dy · dy/dz · dz/dW
        assert shown["W[1]"][0] == pytest.approx(expected["dloss_dy"] * x[0], rel=SHOWN)
        assert shown["W[1]"][1] == pytest.approx(expected["dloss_dw"][0], rel=1e-6)
        assert shown["W[1]"][3] == "FAIL" and shown["W[2]"][3] == "pass"
        text = region_text(app, "#gradcheck-message")
        dy_dz = expected["dy_dz"]
        assert f"leaves dy/dz (= {dy_dz:.6g} here) out of the chain rule" in text
        assert "1 of 2 checks fail" in text
        await pilot.press("b")  # removed again: both pass
        assert [row[3] for row in rows(app).values()] == ["pass", "pass"]
        assert "Bug planted" not in screen_text(app)


@pytest.mark.parametrize("key", ["escape", "g", "q"])
async def test_escape_g_or_q_closes_it_and_the_app_goes_on(key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, GradcheckScreen)
        await pilot.press(key)
        assert isinstance(app.screen, MainScreen)
        assert app.is_running
        await pilot.press("n")
        assert app.session.cursor == 1


async def test_the_network_checks_all_13_parameters_against_autograd_and_a_difference() -> None:
    app = network_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "g")  # update 1, applied: it starts from the seeded weights
        model = app.session.model
        params = model.initial_params()
        c = model.config
        w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
        e = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
        gradient = [*np.ravel(e["dloss_dw1"]), *e["dloss_db1"], *e["dloss_dw2"], e["dloss_db2"]]
        differences = central_difference(network_loss, params, 1e-6)
        shown = rows(app)
        names = ["W1[1,1]", "W1[1,2]", "W1[2,1]", "W1[2,2]", "W1[3,1]", "W1[3,2]",
                 "b1[1]", "b1[2]", "b1[3]", "w2[1]", "w2[2]", "w2[3]", "b2"]  # fmt: skip
        assert list(shown) == names
        for name, expected, difference in zip(names, gradient, differences):
            analytic, numeric, _, verdict = shown[name]
            assert analytic == pytest.approx(expected, rel=SHOWN, abs=1e-15), name
            assert numeric == pytest.approx(difference, rel=SHOWN, abs=rounding(1e-6)), name
            assert verdict == "pass", name
        # 13 rows do not fit at 80×24: the frame says so, and the keys scroll to the last.
        table = app.screen.query_one(CheckTable)
        assert table.max_scroll_y > 0
        # Said once the layout has settled (the frame's height is chosen from it).
        said = "13 parameters · ↑ ↓ scroll"
        assert await wait_until(pilot, lambda: said in screen_text(app))
        assert "b2 " not in screen_text(app)
        await pilot.press("down", "down", "down")
        assert "b2 " in screen_text(app)
        await pilot.press("left_square_bracket")  # the numbers change; the rows stay in view
        await pilot.pause()
        assert "b2 " in screen_text(app) and "ε = 1e-07" in screen_text(app)


async def test_the_network_bug_fails_exactly_the_parameters_whose_gradient_is_not_0() -> None:
    app = network_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "b")
        model = app.session.model
        params = model.initial_params()
        c = model.config
        w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
        e = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
        gradient = [*np.ravel(e["dloss_dw1"]), *e["dloss_db1"], *e["dloss_dw2"], e["dloss_db2"]]
        shown = rows(app)
        # Every gradient passes through dy/dz2 (a sigmoid's slope, never 1): dropping it
        # changes every gradient that is not 0; the off units' gradients stay 0.
        failing = {name for name, g in zip(shown, gradient) if g != 0}
        assert failing == {"W1[3,1]", "W1[3,2]", "b1[3]", "w2[3]", "b2"}
        assert {name for name, row in shown.items() if row[3] == "FAIL"} == failing
        assert shown["b2"][0] == pytest.approx(e["dloss_dy"], rel=SHOWN)  # dLoss/dy · 1
        text = region_text(app, "#gradcheck-message")
        assert f"leaves dy/dz2 (= {e['dy_dz2']:.6g} here)" in text
        assert "5 of 13 checks fail" in text


async def test_a_loss_that_is_not_finite_gets_a_message_not_a_crash() -> None:
    app = make_app(activation="linear", loss="mse", target=0.0)
    async with app.run_test(size=SIZE) as pilot:
        app.session.branch(app.session.model, (1e300,))  # z = 2e300: z² overflows
        app.main.changed()
        await pilot.press("g")
        text = region_text(app, "#gradcheck-message")
        assert "No check here: this update's loss is inf, not a finite number" in text
        assert not app.screen.query_one(CheckTable).display
        await pilot.press("b", "left_square_bracket", "escape")  # keys still do no harm
        assert isinstance(app.screen, MainScreen)


async def test_a_parameter_of_1e300_is_checked_without_a_crash() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.session.branch(app.session.model, (1e300,))  # σ saturates: every slope is 0
        app.main.changed()
        await pilot.press("g")
        analytic, numeric, error, verdict = rows(app)["W[1]"]
        assert (analytic, numeric, error, verdict) == (0.0, 0.0, 0.0, "pass")
        assert "Here the worst error is 0 at every ε." in region_text(app, "#gradcheck-why")


async def test_a_diverged_run_is_checked_at_its_last_update() -> None:
    app = make_app(w=(1.0,), activation="linear", loss="mse", lr=10.0, target=0.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")  # stops at the divergence
        assert app.session.at_divergence
        await pilot.press("g")
        step = app.main.step
        w = app.session.params(step - 1)[0]
        analytic, numeric, _, _ = rows(app)["W[1]"]
        assert analytic == pytest.approx(2 * w * SEED["x"][0] ** 2, rel=SHOWN)  # d(wx)²/dw
        loss = lambda v: float((v[0] * SEED["x"][0]) ** 2)  # noqa: E731
        assert numeric == pytest.approx(central_difference(loss, [w], 1e-6)[0], rel=SHOWN)


async def test_ascii_mode_shows_only_ascii_and_keeps_the_sweep_aligned() -> None:
    app = make_app(ascii_only=True, activation="relu", loss="mse", target=1.0, w=(-0.5,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        text = raw_screen_text(app)
        assert text.isascii(), [ch for ch in text if not ch.isascii()]
        lines = text.splitlines()
        eps_row = next(line for line in lines if line.startswith("| eps "))
        error_row = next(line for line in lines if line.startswith("| error "))
        assert "-inf" in error_row  # a dead ReLU: both sides exactly 0, no error at all
        assert len(eps_row.rstrip()) == len(error_row.rstrip())  # "-inf" cells stay in columns
        await pilot.press("b")
        text = raw_screen_text(app)
        assert text.isascii(), [ch for ch in text if not ch.isascii()]
        assert "(= 0 here)" in text  # dy/dz = 0, so the bug's dLoss/dy · X is wrong
