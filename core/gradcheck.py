"""Gradient check: the chain rule's answer against central finite differences.

For each parameter p, (Loss(p + h) − Loss(p − h)) / 2h approximates dLoss/dp with an error of
order h², so a relative error far below 1e-6 says the backward pass is right. Rounding works the
other way: Loss is known to about 1e-16 of its size, and dividing by 2h magnifies that, so a step
too small (1e-14) makes the difference worse, not better.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


DEFAULT_EPSILON = 1e-6
PASS_BELOW = 1e-6  # a relative error at or above this fails the check
# The smallest ε for which p ± ε·max(1, |p|) always differs from p in float64.
SMALLEST_EPSILON = sys.float_info.epsilon


@dataclass(frozen=True)
class ParamCheck:
    index: int
    analytic: float
    numeric: float
    relative_error: float

    @property
    def passed(self) -> bool:
        return self.relative_error < PASS_BELOW  # NaN fails too


def relative_error(analytic: float, numeric: float) -> float:
    scale = max(abs(analytic), abs(numeric))
    return abs(analytic - numeric) / scale if scale > 1e-12 else abs(analytic - numeric)


def gradient_check(
    model: Any,
    params: tuple[float, ...],
    epsilon: float = DEFAULT_EPSILON,
    analytic: Sequence[float] | None = None,
    update_index: int = 0,
    forward: bool = False,
) -> list[ParamCheck]:
    """One check per parameter, in the model's flat parameter order, of the loss that update
    ``update_index`` (counting from 0) descends: with a dataset, its example's or the mean.

    ``analytic`` is the gradient under test; by default the model's own backward pass.
    ``forward`` takes the forward difference (L(p + h) − L(p)) / h instead, whose error is of
    order h rather than h².
    """
    if analytic is None:
        analytic = model.gradient(model.update(params, update_index))
    checks = []
    for index, value in enumerate(params):
        step = epsilon * max(1.0, abs(value))  # relative step: works for large weights too
        up = params[:index] + (value + step,) + params[index + 1 :]
        down = params[:index] + ((value if forward else value - step),) + params[index + 1 :]
        # Divide by the distance the two points really are apart, after rounding p ± h.
        loss_up = model.forward_loss(up, update_index)
        loss_down = model.forward_loss(down, update_index)
        numeric = (loss_up - loss_down) / ((value + step) - down[index])
        checks.append(ParamCheck(index, analytic[index], numeric, relative_error(analytic[index], numeric)))
    return checks


@dataclass(frozen=True)
class PlantedBug:
    """A backward pass with the output's slope dy/dz left out of the chain rule."""

    gradient: tuple[float, ...]  # dLoss/dy · dz/dp instead of dLoss/dy · dy/dz · dz/dp
    dropped: str  # the factor's name, as the derivation writes it
    dropped_value: float | tuple[float, ...]  # a batch drops each example's own


def plant_bug(model: Any, params: tuple[float, ...], update_index: int = 0) -> PlantedBug:
    """The gradient a backward pass that forgot the output's slope would compute, for update
    ``update_index``."""
    step = model.update(params, update_index)
    gradient, dropped, value = model.gradient_without_output_slope(step)
    return PlantedBug(gradient, dropped, value)
