"""The independent oracle: textbook forward passes differentiated by the autograd package.

Everything here is written from the formulas alone, never from calc_tutor.core, so a slip in
the engine's hand-written derivatives cannot be copied into the reference it is checked against.
"""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd import elementwise_grad, grad

LEAKY_SLOPE = 0.01  # PyTorch's default negative slope


def _sigmoid(z):
    return 1.0 / (1.0 + anp.exp(-z))


# y = act(z), straight from the textbook.
ACTIVATIONS = {
    "sigmoid": _sigmoid,
    "tanh": lambda z: anp.tanh(z),
    "relu": lambda z: anp.maximum(0.0, z),
    "leaky-relu": lambda z: anp.maximum(z, LEAKY_SLOPE * z),
    "linear": lambda z: z,
    "softplus": lambda z: anp.log(1.0 + anp.exp(z)),
    "silu": lambda z: z * _sigmoid(z),
}

# Loss(y, t), straight from the textbook.
LOSSES = {
    "one-minus-y": lambda y, t: 1.0 - y,
    "mse": lambda y, t: (y - t) ** 2,
    "bce": lambda y, t: -(t * anp.log(y) + (1.0 - t) * anp.log(1.0 - y)),
}


def _floats(values) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def neuron_expected(w, x, b, lr, activation, loss, target) -> dict:
    """Every factor of one neuron update, keyed by the record field it should equal."""
    act, loss_of = ACTIVATIONS[activation], LOSSES[loss]
    w, x = _floats(w), _floats(x)
    bias = 0.0 if b is None else float(b)

    def loss_from(w, b, x):
        return loss_of(act(anp.dot(w, x) + b), target)

    z = float(anp.dot(w, x) + bias)
    y = float(act(z))
    dloss_dw = grad(loss_from, 0)(w, bias, x)
    dloss_db = float(grad(loss_from, 1)(w, bias, x))
    return {
        "z": z,
        "y": y,
        "loss": float(loss_of(y, target)),
        "dloss_dy": float(grad(lambda y: loss_of(y, target))(y)),
        "dy_dz": float(grad(act)(z)),
        "dloss_dz": float(grad(lambda z: loss_of(act(z), target))(z)),
        "dz_dw": grad(lambda w: anp.dot(w, x) + bias)(w),
        "dloss_dw": dloss_dw,
        "dloss_db": dloss_db if b is not None else None,
        "dloss_dx": grad(loss_from, 2)(w, bias, x),
        "w_next": w - lr * dloss_dw,
        "b_next": bias - lr * dloss_db if b is not None else None,
    }


def neuron_dy_dx(w, x, b, activation) -> np.ndarray:
    """The saliency dy/dX of one neuron."""
    act, bias = ACTIVATIONS[activation], 0.0 if b is None else float(b)
    return grad(lambda x: act(anp.dot(_floats(w), x) + bias))(_floats(x))


def mlp_expected(w1, b1, w2, b2, x, lr, activation, loss, target) -> dict:
    """Every factor of one two-layer update (sigmoid output), keyed by record field."""
    act, out, loss_of = ACTIVATIONS[activation], _sigmoid, LOSSES[loss]
    w1, b1, w2, x = _floats(w1), _floats(b1), _floats(w2), _floats(x)
    b2 = float(b2)

    def loss_from(w1, b1, w2, b2, x):
        return loss_of(out(anp.dot(w2, act(anp.dot(w1, x) + b1)) + b2), target)

    z1 = anp.dot(w1, x) + b1
    h = act(z1)
    z2 = float(anp.dot(w2, h) + b2)
    y = float(out(z2))
    args = (w1, b1, w2, b2, x)
    dloss_dw1, dloss_db1, dloss_dw2, dloss_db2, dloss_dx = (
        grad(loss_from, i)(*args) for i in range(5)
    )
    return {
        "z1": z1,
        "h": h,
        "z2": z2,
        "y": y,
        "loss": float(loss_of(y, target)),
        "dloss_dy": float(grad(lambda y: loss_of(y, target))(y)),
        "dy_dz2": float(grad(out)(z2)),
        "dloss_dz2": float(grad(lambda z2: loss_of(out(z2), target))(z2)),
        "dloss_dw2": dloss_dw2,
        "dloss_db2": float(dloss_db2),
        "dloss_dh": grad(lambda h: loss_of(out(anp.dot(w2, h) + b2), target))(h),
        "dh_dz1": elementwise_grad(act)(z1),
        "dloss_dz1": grad(lambda z1: loss_of(out(anp.dot(w2, act(z1)) + b2), target))(z1),
        "dloss_dw1": dloss_dw1,
        "dloss_db1": dloss_db1,
        "dloss_dx": dloss_dx,
        "w1_next": w1 - lr * dloss_dw1,
        "b1_next": b1 - lr * dloss_db1,
        "w2_next": w2 - lr * dloss_dw2,
        "b2_next": b2 - lr * float(dloss_db2),
    }


def mlp_dy_dx(w1, b1, w2, b2, x, activation) -> np.ndarray:
    """The saliency dy/dX of the two-layer network."""
    act, w1, b1, w2 = ACTIVATIONS[activation], _floats(w1), _floats(b1), _floats(w2)
    return grad(lambda x: _sigmoid(anp.dot(w2, act(anp.dot(w1, x) + b1)) + b2))(_floats(x))
