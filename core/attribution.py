"""Gradient-based feature attribution: which inputs moved the output, and by how much.

The saliency dy/dX says how sensitive the output is to each input; gradient × input weighs that
sensitivity by the input itself, a first-order estimate of each feature's share of y. Occlusion
is the real thing it estimates: the change in y when the input is set to 0, from the forward pass
alone. Where the unit saturates, the gradient is near 0 while occlusion can still be large.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Attribution:
    feature: int  # counting from 1, as a learner reads X1, X2, …
    x: float
    dy_dx: float
    gradient_x_input: float
    occlusion: float  # y(X with this input set to 0) − y(X): negative when the input pushed y up


def output_at(model: Any, params: tuple[float, ...], x: tuple[float, ...]) -> float:
    """y for the input ``x`` instead of the model's own: the same model, another input."""
    return model.replaced(x=x).update(params).y


def attribute(model: Any, params: tuple[float, ...]) -> list[Attribution]:
    """One attribution per input, for the model's input X at ``params`` (a model trained on a
    dataset: ask each of ``model.each_example()``)."""
    step = model.update(params)
    x = model.config.x
    attributions = []
    for i, (xi, gi) in enumerate(zip(x, model.dy_dx(step))):
        occluded = x[:i] + (0.0,) + x[i + 1 :]
        occlusion = output_at(model, params, occluded) - step.y
        attributions.append(Attribution(i + 1, xi, gi, gi * xi, occlusion))
    return attributions
