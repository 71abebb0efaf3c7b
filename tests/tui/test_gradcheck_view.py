"""What the gradient-check screen says, without the screen: the ε range, the sweep's columns,
and every sentence checked against the numbers it speaks of, in every activation × loss × model.
"""

from __future__ import annotations

import math
import re

import pytest

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.gradcheck import PASS_BELOW, gradient_check
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_input, parse_shown
from calc_tutor.tui.ascii import to_ascii
from calc_tutor.tui.gradcheck_command import parse_epsilon
from calc_tutor.tui.gradcheck_view import (
    CELL,
    EPSILONS,
    LABEL,
    bug_sentence,
    corner_sentence,
    larger,
    non_finite_sentence,
    power_of_ten,
    run_checks,
    smaller,
    sweep_rows,
    sweep_sentence,
    table_rows,
    worst_error,
)

from ..core.cases import ACTIVATION_NAMES

SEED = NeuronConfig(w=(0.5,), x=(2.0,), lr=0.1)


def pairings():
    """Every activation × loss the models accept, for the neuron and the network."""
    for activation in ACTIVATION_NAMES:
        for loss, target in (("mse", 0.3), ("bce", 0.3), ("one-minus-y", 1.0)):
            if loss == "bce" and activation != "sigmoid":
                continue  # the neuron's bce needs y in (0, 1)
            if loss == "one-minus-y" and activation not in ("sigmoid", "tanh"):
                continue  # 1 − y needs y ≤ 1
            yield Neuron(NeuronConfig(w=(0.5, -0.25), x=(2.0, 1.0), b=0.1, activation=activation,
                                      loss=loss, target=target))  # fmt: skip
        for loss, target in (("mse", 0.3), ("bce", 0.3), ("one-minus-y", 1.0)):
            yield Mlp(MlpConfig(x=(1.0, 2.0), hidden=3, activation=activation, loss=loss,
                                target=target))  # fmt: skip


def worst_by_core(model, params, epsilon: float) -> float:
    """The largest relative error at ε, straight from core's check (NaN wins)."""
    errors = [check.relative_error for check in gradient_check(model, params, epsilon)]
    return math.nan if any(map(math.isnan, errors)) else max(errors)


def test_every_epsilon_offered_is_one_the_command_accepts_and_keys_stop_at_the_ends():
    for epsilon in EPSILONS:
        assert parse_epsilon(fmt_input(epsilon)) == epsilon
    assert [smaller(e) for e in EPSILONS[:-1]] == list(EPSILONS[1:])
    assert smaller(EPSILONS[-1]) == EPSILONS[-1] == 1e-14
    assert [larger(e) for e in EPSILONS[1:]] == list(EPSILONS[:-1])
    assert larger(EPSILONS[0]) == EPSILONS[0] == 0.1


@pytest.mark.parametrize(("value", "shown"), [
    (3.2e-11, "−10"), (2.9e-11, "−11"), (1.0, "0"), (0.05, "−1"), (0.0, "−∞"),
    (math.nan, "NaN"), (math.inf, "∞"), (12.0, "1"),
])  # fmt: skip
def test_power_of_ten_is_the_nearest_exponent(value: float, shown: str):
    assert power_of_ten(value) == shown


def test_worst_error_is_nan_when_any_is_whatever_the_order():
    model = Neuron(SEED)
    checks = tuple(gradient_check(model, model.initial_params()))
    nan = type(checks[0])(0, 1.0, math.nan, math.nan)
    assert math.isnan(worst_error((nan, *checks))) and math.isnan(worst_error((*checks, nan)))
    assert worst_error(checks) == max(c.relative_error for c in checks)


@pytest.mark.parametrize("plain", [str, to_ascii], ids=["unicode", "ascii"])
def test_sweep_columns_line_up_and_the_mark_stands_under_the_epsilon_in_use(plain):
    dead = Neuron(NeuronConfig(w=(-0.5,), x=(2.0,), activation="relu", loss="mse", target=1.0))
    for model in (Neuron(SEED), dead):  # the dead ReLU's errors are all 0: "−∞" cells
        checked = run_checks(model, model.initial_params(), bug=False)
        for index, epsilon in enumerate(EPSILONS):
            eps_row, error_row, mark = sweep_rows(checked, epsilon, plain)
            width = LABEL + CELL * len(EPSILONS)
            assert len(eps_row) == len(error_row) == width and len(mark) <= width
            column = mark.index(plain("↑")[0])
            assert eps_row[column - 1 : column + 1].strip() == plain(f"−{index + 1}")[-2:].strip()
            cells = [error_row[LABEL + CELL * i : LABEL + CELL * (i + 1)].strip()
                     for i in range(len(EPSILONS))]  # fmt: skip
            expected = [plain(power_of_ten(worst_by_core(model, model.initial_params(), e)))
                        for e in EPSILONS]  # fmt: skip
            assert cells == expected


def test_the_seed_run_shows_the_u_smaller_is_better_then_worse():
    model = Neuron(SEED)
    params = model.initial_params()
    worst = [worst_by_core(model, params, e) for e in EPSILONS]
    best = min(range(len(worst)), key=worst.__getitem__)
    assert 0 < best < len(worst) - 1  # the best ε is neither end
    assert worst[0] > 100 * worst[best] and worst[-1] > 100 * worst[best]
    said = sweep_sentence(run_checks(model, params, bug=False))
    assert f"smallest at ε = {EPSILONS[best]:.0e}".replace("-", "−") in said


@pytest.mark.parametrize("model", list(pairings()),
                         ids=lambda m: f"{m.kind}-{m.activation.name}-{m.loss.name}")
@pytest.mark.parametrize("bug", [False, True], ids=["correct", "bug"])
def test_every_sentence_is_true_of_its_numbers_in_every_pairing(model, bug: bool):
    params = model.initial_params()
    checked = run_checks(model, params, bug)
    assert checked.problem is None
    worst = [worst_by_core(model, params, e) if not bug else worst_error(checked.at(e))
             for e in EPSILONS]  # fmt: skip
    if not bug:  # without the bug the screen's checks are core's own
        assert [worst_error(checked.at(e)) for e in EPSILONS] == worst
    said = sweep_sentence(checked)
    numbers = [parse_shown(n) for n in re.findall(r"[−\d][\d.e−]*\d|\d", said)]
    best = min(worst)
    if said.startswith("Here no ε"):
        assert best >= PASS_BELOW and numbers[-1] == pytest.approx(best, rel=0.05)
    elif said.endswith("at every ε."):
        assert all(w == worst[0] for w in worst)
    else:
        assert numbers[0] == pytest.approx(worst[0], rel=0.05) and numbers[1] == EPSILONS[0]
        assert numbers[-2] == pytest.approx(worst[-1], rel=0.05) and numbers[-1] == EPSILONS[-1]
        if "smallest" in said:
            assert numbers[2] == EPSILONS[worst.index(best)]
            assert numbers[3] == pytest.approx(best, rel=0.05)
    rows = table_rows(checked, 1e-6)
    fails = sum(row[-1] == "FAIL" for row in rows)
    if bug:
        stated = bug_sentence(checked, 1e-6)
        assert f"{fails} of {len(rows)} checks fail" in stated
        _, dropped, value = model.gradient_without_output_slope(model.update(params))
        assert f"leaves {dropped} " in stated
        assert ("Here it is 1" in stated) == (value == 1)
    else:
        assert bug_sentence(checked, 1e-6) is None
    assert non_finite_sentence(checked, 1e-6) is None  # moderate numbers: every side finite
    assert corner_sentence(checked) is None  # no unit sits at a kink here


def test_a_relu_kink_fails_at_every_epsilon_and_says_so():
    """z = 0 exactly: the chain rule takes ReLU's slope there as 0, every difference straddles
    the kink and measures half the slope on its right."""
    model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), b=-1.0, activation="relu", loss="mse",
                                target=1.0))  # fmt: skip
    checked = run_checks(model, model.initial_params(), bug=False)
    assert all(not c.passed for e in EPSILONS for c in checked.at(e) if c.index == 0)
    assert sweep_sentence(checked).startswith("Here no ε brings the worst error below 1e−06")
    # From the textbook: left of the kink y = 0 does not move; right of it dLoss/dW =
    # 2(y − t)·X = 2 × (0 − 1) × 2 = −4, and dLoss/db = 2(y − t) = −2.
    assert corner_sentence(checked) == (
        "L has a corner here: along W[1] its slope is 0 from the left but −4 from the right "
        "(and along b). No single slope exists, so the two sides need not agree.")


def test_a_saturated_sigmoid_where_both_sides_are_about_0_passes_and_says_what_it_is():
    model = Neuron(NeuronConfig(w=(30.0,), x=(2.0,), loss="mse", target=0.0))
    checked = run_checks(model, model.initial_params(), bug=False)
    assert all(c.passed for e in EPSILONS for c in checked.at(e))
    said = sweep_sentence(checked)
    assert corner_sentence(checked) is None  # tiny slopes, not a corner
    worst = worst_error(checked.at(1e-6))
    assert 0 < worst < 1e-20  # the analytic side is tiny and the difference rounds to 0
    assert said == f"Here the worst error is {power_free(worst)} at every ε."


def power_free(value: float) -> str:
    return f"{value:.2g}".replace("-", "−")


def test_a_loss_or_parameter_that_is_not_finite_is_a_message_instead_of_checks():
    linear = Neuron(NeuronConfig(w=(1.0,), x=(2.0,), activation="linear", loss="mse", target=0.0))
    overflowing = run_checks(linear, (1e300,), bug=True)
    assert overflowing.problem is not None and "loss is inf" in overflowing.problem
    assert overflowing.by_epsilon == ()
    not_a_number = run_checks(linear, (math.nan,), bug=False)
    assert not_a_number.problem == "No check here: a parameter is not a finite number."


def test_sides_that_overflow_are_counted_and_fail():
    """L is finite at p but not at p ± h: the difference is not a number, and the row fails."""
    model = Neuron(NeuronConfig(w=(1.0,), x=(1.0,), activation="linear", loss="mse", target=0.0))
    params = (1.3e154,)  # L = p² ≈ 1.7e308, just below float64's largest; (p + h)² overflows
    checked = run_checks(model, params, bug=False)
    assert checked.problem is None
    at_wide = checked.at(0.1)
    assert not math.isfinite(at_wide[0].numeric) and not at_wide[0].passed
    assert non_finite_sentence(checked, 0.1) == (
        "1 of 1 checks have a side that is not a finite number, so they fail.")


@pytest.mark.parametrize("update_index", [0, 1, 2, 3, 6])
def test_on_a_dataset_the_check_is_of_the_example_the_update_uses(update_index: int):
    """--data: update n learns from example (n − 1) mod 4; the check must be of that example's
    loss, not the first one's."""
    from calc_tutor.core.datasets import load_dataset
    from calc_tutor.core.on_dataset import OnDataset

    from ..core import oracle

    dataset = load_dataset("or")
    base = Neuron(NeuronConfig(w=(0.5, -0.25), x=(0.0, 0.0), b=0.1, loss="bce", target=0.0))
    model = OnDataset(base, dataset)
    params = model.initial_params()
    checked = run_checks(model, params, bug=False, update_index=update_index)
    example = update_index % len(dataset)
    x, t = dataset.inputs[example], dataset.targets[example]
    e = oracle.neuron_expected(params[:2], x, params[2], 0.1, "sigmoid", "bce", t)
    expected = [*e["dloss_dw"], e["dloss_db"]]
    for check, gradient in zip(checked.at(1e-6), expected, strict=True):
        assert check.analytic == pytest.approx(gradient, rel=1e-9, abs=1e-12)
        assert check.passed
    planted = run_checks(model, params, bug=True, update_index=update_index)
    # The bug's gradient is the example's dLoss/dy · dz/dp (dy/dz left out).
    assert planted.at(1e-6)[2].analytic == pytest.approx(e["dloss_dy"], rel=1e-9)
