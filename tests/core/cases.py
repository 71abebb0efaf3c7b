"""Random cases for the core tests (hypothesis strategies) and the comparisons they share.

Magnitudes stay moderate (|z| ≤ 8 by default) so that float64 rounding, not the test, decides
how close two correct answers are: past that, σ's 1 − y loses digits in either implementation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from hypothesis import assume, settings
from hypothesis import strategies as st

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.mlp import Mlp

from . import oracle

# One shared budget: enough random cases to cover every pairing, fast on a 2-core machine.
CORE_SETTINGS = settings(max_examples=200, deadline=None)

RTOL = 1e-9
ATOL = 1e-12

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky-relu", "linear", "softplus", "silu")
LOSS_NAMES = ("one-minus-y", "mse", "bce")
KINKED = ("relu", "leaky-relu")  # not differentiable at z = 0
BOUNDED_ABOVE_BY_1 = ("sigmoid", "tanh")

moderate = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
learning_rates = st.floats(1e-3, 2.0)


def vectors(n: int) -> st.SearchStrategy[tuple[float, ...]]:
    return st.tuples(*[moderate] * n)


@st.composite
def loss_and_target(draw, output_activation: str) -> tuple[str, float]:
    """A loss valid for the output activation, with a target that loss accepts."""
    # 1 − y has a floor only when y never exceeds 1; bce needs y strictly inside (0, 1).
    losses = ["mse"] + (["one-minus-y"] if output_activation in BOUNDED_ABOVE_BY_1 else [])
    losses += ["bce"] if output_activation == "sigmoid" else []
    loss = draw(st.sampled_from(losses))
    if loss == "one-minus-y":
        return loss, 1.0  # L = 1 − y only makes sense for target 1
    if loss == "bce":
        return loss, draw(st.floats(0.0, 1.0))
    return loss, draw(moderate)


def _away_from_kink(activation: str, z: float, margin: float) -> bool:
    return activation not in KINKED or abs(z) > margin


@st.composite
def neuron_configs(draw, z_limit: float = 8.0, kink_margin: float = 1e-9) -> NeuronConfig:
    """1 to 6 features, with or without bias, every valid activation × loss pairing."""
    n = draw(st.integers(1, 6))
    activation = draw(st.sampled_from(ACTIVATION_NAMES))
    loss, target = draw(loss_and_target(activation))
    w, x = draw(vectors(n)), draw(vectors(n))
    b = draw(st.none() | moderate)
    z = math.fsum([wi * xi for wi, xi in zip(w, x)] + [b or 0.0])
    assume(abs(z) <= z_limit and _away_from_kink(activation, z, kink_margin))
    lr = draw(learning_rates)
    return NeuronConfig(w=w, x=x, b=b, lr=lr, activation=activation, loss=loss, target=target)


def split_mlp(params: Sequence[float], n: int, hidden: int):
    """The documented flat layout: (*W1 row by row, *b1, *w2, b2)."""
    w1 = [list(params[row * n : (row + 1) * n]) for row in range(hidden)]
    rest = list(params[hidden * n :])
    return w1, rest[:hidden], rest[hidden : 2 * hidden], rest[2 * hidden]


@st.composite
def mlp_cases(draw, z_limit: float = 8.0, kink_margin: float = 1e-9):
    """(model, params): random sizes, seed, activation and loss; seeded or drawn weights."""
    n, hidden = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    activation = draw(st.sampled_from(ACTIVATION_NAMES))
    loss, target = draw(loss_and_target("sigmoid"))  # the output unit is always a sigmoid
    model = Mlp(MlpConfig(
        x=draw(vectors(n)), hidden=hidden, seed=draw(st.integers(0, 2**32 - 1)),
        lr=draw(learning_rates), activation=activation, loss=loss, target=target,
    ))  # fmt: skip
    # Seeded weights have zero biases; drawn ones exercise every parameter.
    drawn = draw(st.none() | st.tuples(*[moderate] * model.n_params))
    params = model.initial_params() if drawn is None else drawn
    w1, b1, w2, b2 = split_mlp(params, n, hidden)
    x = model.config.x
    z1 = [math.fsum([wi * xi for wi, xi in zip(row, x)] + [bj]) for row, bj in zip(w1, b1)]
    assume(all(abs(z) <= z_limit and _away_from_kink(activation, z, kink_margin) for z in z1))
    act = oracle.ACTIVATIONS[activation]
    z2 = math.fsum([wj * float(act(z)) for wj, z in zip(w2, z1)] + [b2])
    assume(abs(z2) <= z_limit)
    return model, tuple(params)


def assert_close(actual, expected, name: str, rtol: float = RTOL, atol: float = ATOL) -> None:
    """Scalars, vectors or matrices; None must meet None."""
    if expected is None or actual is None:
        assert actual is None and expected is None, f"{name}: {actual!r} vs {expected!r}"
        return
    np.testing.assert_allclose(
        np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64),
        rtol=rtol, atol=atol, err_msg=name,
    )  # fmt: skip


def bits(value):
    """A value with every float replaced by its exact hex form: equal bits ⇔ equal result
    (unlike ==, this tells −0.0 from 0.0 and matches NaN with NaN)."""
    if isinstance(value, float):
        return value.hex()
    if isinstance(value, tuple):
        return tuple(bits(item) for item in value)
    return value
