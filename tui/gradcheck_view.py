"""What the gradient-check screen shows, as plain data and text (no Textual here).

The checks themselves are core's (``gradient_check``, ``plant_bug``); this module runs them for
every ε the screen offers, so moving ε only picks another row of numbers already computed, and
words the results: each sentence is computed from the numbers it speaks of.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from calc_tutor.core.gradcheck import (
    DEFAULT_EPSILON,
    PASS_BELOW,
    SMALLEST_EPSILON,
    ParamCheck,
    gradient_check,
    plant_bug,
)
from calc_tutor.core.numbers import MINUS, fmt_plain, fmt_value

# ε = 1e−1 … 1e−14, a power of ten each: the keys move along these, the sweep shows them all.
POWERS = tuple(range(1, 15))
EPSILONS = tuple(float(f"1e-{power}") for power in POWERS)
assert DEFAULT_EPSILON in EPSILONS and min(EPSILONS) >= SMALLEST_EPSILON
# Enough digits that the two sides can be seen to part as ε moves away from its best.
SIDE_DIGITS = 10
ERROR_DIGITS = 2
CELL = 5  # characters per ε in the sweep: "  −14", " −inf"
LABEL = 6  # the sweep rows' labels: "ε", "error"

LEGEND = (f"numeric = (L(p+h) {MINUS} L(p{MINUS}h))/2h, h = ε·max(1,|p|); "
          f"pass: rel. error < {fmt_value(PASS_BELOW)}")  # fmt: skip
SWEEP_HEADING = (f"Worst rel. error per ε, power of ten ({MINUS}6 is {fmt_value(1e-6)}; "
                 "0: the two disagree):")  # fmt: skip
WHY_NOT_SMALLEST = (
    "Smaller ε is not always better: a large ε averages the slope over a wide stretch; a small "
    "one divides the loss's rounding (about 1e−16 of its size) by the tiny 2h."
)


@dataclass(frozen=True)
class Checked:
    """The checks at one update for every ε, with or without the planted bug; or why not."""

    names: tuple[str, ...]
    by_epsilon: tuple[tuple[ParamCheck, ...], ...]  # in the order of EPSILONS
    dropped: str | None = None  # the factor the planted bug leaves out
    dropped_value: float | tuple[float, ...] = math.nan  # a batch drops each example's own
    problem: str | None = None  # set instead of checks when none can be made
    corners: tuple[tuple[str, float, float], ...] = ()  # (name, slope from left, from right)

    def at(self, epsilon: float) -> tuple[ParamCheck, ...]:
        return self.by_epsilon[EPSILONS.index(epsilon)]


def run_checks(model: Any, params: tuple[float, ...], bug: bool, update_index: int = 0) -> Checked:
    """Every parameter's check at every ε, of the loss update ``update_index`` (its number − 1:
    it picks a dataset's example) descends; a message in place of them when that loss (or a
    parameter) is not a finite number, where no slope can be measured."""
    names = tuple(model.param_names())
    try:
        loss = model.update(params, update_index).loss
        if not all(map(math.isfinite, params)):
            return Checked(names, (), problem="No check here: a parameter is not a finite number.")
        if not math.isfinite(loss):
            return Checked(names, (), problem=f"No check here: this update's loss is "
                           f"{fmt_value(loss)}, not a finite number, so it has no slope "
                           "to measure.")  # fmt: skip
        analytic, dropped, dropped_value = None, None, math.nan
        if bug:
            planted = plant_bug(model, params, update_index)
            analytic, dropped = planted.gradient, planted.dropped
            dropped_value = planted.dropped_value
        sweep = tuple(tuple(gradient_check(model, params, eps, analytic, update_index))
                      for eps in EPSILONS)  # fmt: skip
        found = corners(model, params, loss, update_index)
    except (ArithmeticError, ValueError) as error:  # float64 out of range inside the model
        return Checked(names, (), problem="No check here: the numbers leave float64's range "
                       f"({error}).")  # fmt: skip
    return Checked(names, sweep, dropped, dropped_value, corners=found)


# One-sided slopes over a step this short agree closely wherever L is smooth; at a corner (a
# ReLU at z = 0) they differ by the jump in slope, however short the step.
CORNER_STEP = 1e-8
CORNER_GAP = 0.01  # relative


def measured(slope: float) -> str:
    """A one-sided difference's slope, to the six digits it is good for: −3.99999996 is −4."""
    return fmt_value(float(f"{slope:.6g}"))


def corners(model: Any, params: tuple[float, ...], loss: float,
            update_index: int = 0) -> tuple[tuple[str, float, float], ...]:  # fmt: skip
    """The parameters along which L has a corner here: (name, slope from the left, from the
    right), where the two differ by more than both CORNER_GAP and the loss's rounding allow."""
    found = []
    for index, (name, value) in enumerate(zip(model.param_names(), params)):
        step = CORNER_STEP * max(1.0, abs(value))
        up, down = value + step, value - step
        loss_up = model.forward_loss(params[:index] + (up,) + params[index + 1 :], update_index)
        loss_down = model.forward_loss(params[:index] + (down,) + params[index + 1 :], update_index)
        right, left = (loss_up - loss) / (up - value), (loss - loss_down) / (value - down)
        rounding = 64 * sys.float_info.epsilon * abs(loss) / step  # a few ulps of L, over the step
        if abs(right - left) > max(CORNER_GAP * max(abs(left), abs(right)), rounding):
            found.append((name, left, right))
    return tuple(found)


def corner_sentence(checked: Checked) -> str | None:
    """Where L has a corner, no single slope exists for either side to match; None elsewhere."""
    if not checked.corners:
        return None
    (name, left, right), others = checked.corners[0], [c[0] for c in checked.corners[1:]]
    listed = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
    more = f" (and along {listed})" if others else ""
    return (f"L has a corner here: along {name} its slope is {measured(left)} from the left "
            f"but {measured(right)} from the right{more}. No single slope exists, so the two "
            "sides need not agree.")  # fmt: skip


def worst_error(checks: tuple[ParamCheck, ...]) -> float:
    """The largest relative error; NaN when any is NaN (max() would depend on the order)."""
    errors = [check.relative_error for check in checks]
    return math.nan if any(map(math.isnan, errors)) else max(errors, default=0.0)


def power_of_ten(value: float) -> str:
    """The nearest power of ten's exponent: 3.2e−11 → "−10" (above 10^−10.5), 0 → "−∞"."""
    if math.isnan(value):
        return "NaN"
    if value == 0:
        return f"{MINUS}∞"
    if math.isinf(value):
        return "∞"
    return fmt_plain(round(math.log10(value)))


def table_rows(checked: Checked, epsilon: float) -> list[tuple[str, str, str, str, str]]:
    """One row per parameter: name, analytic, numeric, relative error, pass or FAIL."""
    return [
        (name, fmt_plain(check.analytic, SIDE_DIGITS), fmt_plain(check.numeric, SIDE_DIGITS),
         fmt_plain(check.relative_error, ERROR_DIGITS), "pass" if check.passed else "FAIL")
        for name, check in zip(checked.names, checked.at(epsilon), strict=True)
    ]  # fmt: skip


def sweep_rows(checked: Checked, epsilon: float,
               plain: Callable[[str], str] = str) -> tuple[str, str, str]:  # fmt: skip
    """ε and the worst relative error at it, both as powers of ten, and a mark under ε now.

    ``plain`` (to_ascii in --ascii mode) is applied before padding, so the columns stay aligned
    when a symbol becomes several letters ("−∞" → "-inf")."""

    def row(label: str, cells: list[str]) -> str:
        return plain(label).ljust(LABEL) + "".join(plain(cell).rjust(CELL) for cell in cells)

    worst = [power_of_ten(worst_error(checks)) for checks in checked.by_epsilon]
    under = LABEL + CELL * EPSILONS.index(epsilon) + CELL - 1  # the column of ε's last digit
    said = plain("ε now")
    if under + 2 + len(said) <= LABEL + CELL * len(EPSILONS):
        mark = " " * under + plain("↑ ") + said
    else:  # no room on its right: the words go on its left
        mark = " " * (under - 1 - len(said)) + said + plain(" ↑")
    return row("ε", [fmt_plain(-power) for power in POWERS]), row("error", worst), mark


def sweep_sentence(checked: Checked) -> str:
    """Where the worst error is smallest, and how large it is at both ends: this update's U
    (or its absence), from its numbers."""
    worst = [worst_error(checks) for checks in checked.by_epsilon]
    if all(map(math.isnan, worst)):
        return "Here no ε gives a finite error."
    finite = [(error, eps) for error, eps in zip(worst, EPSILONS) if not math.isnan(error)]
    best_error, best_eps = min(finite, key=lambda pair: pair[0])  # the largest such ε on a tie
    if best_error >= PASS_BELOW:
        return (f"Here no ε brings the worst error below {fmt_value(PASS_BELOW)}: it is "
                f"{fmt_plain(best_error, ERROR_DIGITS)} at best.")  # fmt: skip
    if all(error == best_error for error in worst):  # NaN equals nothing
        return f"Here the worst error is {fmt_plain(best_error, ERROR_DIGITS)} at every ε."
    ends = (f"{fmt_plain(worst[0], ERROR_DIGITS)} at ε = {fmt_value(EPSILONS[0])}",
            f"{fmt_plain(worst[-1], ERROR_DIGITS)} at ε = {fmt_value(EPSILONS[-1])}")  # fmt: skip
    if best_eps in (EPSILONS[0], EPSILONS[-1]):
        return f"Here the worst error is {ends[0]} and {ends[1]}."
    return (f"Here the worst error is {ends[0]}, smallest at ε = {fmt_value(best_eps)} "
            f"({fmt_plain(best_error, ERROR_DIGITS)}), and {ends[1]}.")  # fmt: skip


def bug_sentence(checked: Checked, epsilon: float) -> str | None:
    """What the planted bug leaves out and how many checks it fails; None without the bug."""
    if checked.dropped is None:
        return None
    checks = checked.at(epsilon)
    failed = sum(not check.passed for check in checks)
    said = (f"Bug planted: the backward pass leaves {checked.dropped} "
            f"(= {fmt_value(checked.dropped_value)} here) out of the chain rule. "
            f"{failed} of {len(checks)} checks fail.")  # fmt: skip
    dropped = checked.dropped_value
    if all(value == 1 for value in (dropped if isinstance(dropped, tuple) else (dropped,))):
        said += " Here it is 1, so leaving it out changes nothing."
    return said


def non_finite_sentence(checked: Checked, epsilon: float) -> str | None:
    """How many rows have a side that is not a finite number (they fail), if any."""
    count = sum(not (math.isfinite(check.analytic) and math.isfinite(check.numeric))
                for check in checked.at(epsilon))  # fmt: skip
    if not count:
        return None
    return (f"{count} of {len(checked.names)} checks have a side that is not a finite number, "
            "so they fail.")


def smaller(epsilon: float) -> float:
    """ε ÷ 10, or ε itself at the smallest ε offered."""
    index = EPSILONS.index(epsilon)
    return EPSILONS[min(index + 1, len(EPSILONS) - 1)]


def larger(epsilon: float) -> float:
    """ε × 10, or ε itself at the largest ε offered."""
    return EPSILONS[max(EPSILONS.index(epsilon) - 1, 0)]
