"""Gradient-based feature attribution: which inputs moved the output, and by how much.

The saliency dy/dX says how sensitive the output is to each input; gradient × input weighs that
sensitivity by the input itself, a first-order estimate of each feature's share of y.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attribution:
    feature: int  # counting from 1, as a learner reads X1, X2, …
    x: float
    dy_dx: float
    gradient_x_input: float


def attribute(model, params: tuple[float, ...]) -> list[Attribution]:
    step = model.update(params)
    x = model.config.x
    return [
        Attribution(i + 1, xi, gi, gi * xi) for i, (xi, gi) in enumerate(zip(x, model.dy_dx(step)))
    ]
