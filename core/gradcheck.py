"""Gradient check: the chain rule's answer against central finite differences.

For each parameter p, (Loss(p + ε) − Loss(p − ε)) / 2ε approximates dLoss/dp with an error of
order ε², so a relative error far below 1e-4 says the backward pass is right.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_EPSILON = 1e-6


@dataclass(frozen=True)
class ParamCheck:
    index: int
    analytic: float
    numeric: float
    relative_error: float


def relative_error(analytic: float, numeric: float) -> float:
    scale = max(abs(analytic), abs(numeric))
    return abs(analytic - numeric) / scale if scale > 1e-12 else abs(analytic - numeric)


def gradient_check(model, params: tuple[float, ...], epsilon: float = DEFAULT_EPSILON) -> list[ParamCheck]:
    """One check per parameter, in the model's flat parameter order."""
    analytic = model.gradient(model.update(params))
    checks = []
    for index, value in enumerate(params):
        step = epsilon * max(1.0, abs(value))  # relative step: works for large weights too
        up = params[:index] + (value + step,) + params[index + 1 :]
        down = params[:index] + (value - step,) + params[index + 1 :]
        numeric = (model.forward_loss(up) - model.forward_loss(down)) / ((value + step) - (value - step))
        checks.append(ParamCheck(index, analytic[index], numeric, relative_error(analytic[index], numeric)))
    return checks
