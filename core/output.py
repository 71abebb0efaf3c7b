"""The output unit's chain, z → y → Loss, with the factors dLoss/dy and dy/dz and their product.

Shared by the neuron and the network's output unit. The activation hands over 1 − y and y − t
kept to full precision near a bound, the loss uses them, and where the two simplify together
(cross-entropy after the sigmoid: dLoss/dz = y − t) the product is computed in that form.
"""

from __future__ import annotations

from collections.abc import Callable

from .activations import Activation
from .losses import Loss

# (z) -> (y, loss, dLoss/dy, dy/dz, dLoss/dz)
Chain = Callable[[float], tuple[float, float, float, float, float]]


def output_chain(activation: Activation, loss: Loss, target: float) -> Chain:
    """The chain as a closure over plain locals: a session calls it a million times a run."""
    forward, slope, difference = activation.forward, activation.slope, activation.difference
    loss_of, dloss_of, logit_gradient = loss.value, loss.derivative, loss.logit_gradient
    t = target

    def chain(z: float) -> tuple[float, float, float, float, float]:
        y, c = forward(z)
        d = y - t if difference is None else difference(z, y, c, t)
        dloss_dy = dloss_of(z, y, c, d, t)
        dy_dz = slope(z, y, c)
        dloss_dz = dloss_dy * dy_dz if logit_gradient is None else logit_gradient(z, y, c, d, t)
        return y, loss_of(z, y, c, d, t), dloss_dy, dy_dz, dloss_dz

    return chain


def loss_curvature(activation: Activation, loss: Loss, target: float, z: float) -> float:
    """d²Loss/dz² at z: Loss″(y)·(dy/dz)² + Loss′(y)·d²y/dz² (for the stable step size)."""
    y, c = activation.forward(z)
    d = activation.minus(z, y, c, target)
    dy_dz = activation.slope(z, y, c)
    if loss.logit_gradient is not None:
        return dy_dz  # d(y − t)/dz
    return (loss.curvature(z, y, c, d, target) * dy_dz * dy_dz
            + loss.derivative(z, y, c, d, target) * activation.curvature(z, y, c))  # fmt: skip
