"""Every factor of the two-layer network against autograd; initial weights from the seed."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from calc_tutor.core.config import MlpConfig
from calc_tutor.core.mlp import MLP_VALUES, Mlp

from . import oracle
from .cases import CORE_SETTINGS, assert_close, mlp_cases, split_mlp

FACTORS = (
    "z1", "h", "z2", "y", "loss", "dloss_dy", "dy_dz2", "dloss_dz2", "dloss_dw2", "dloss_db2",
    "dloss_dh", "dh_dz1", "dloss_dz1", "dloss_dw1", "dloss_db1", "dloss_dx",
    "w1_next", "b1_next", "w2_next", "b2_next",
)  # fmt: skip


def test_record_lists_every_factor():
    assert set(FACTORS) <= set(MLP_VALUES)


@CORE_SETTINGS
@given(mlp_cases())
def test_every_mlp_factor_matches_autograd(case):
    model, params = case
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    record = model.update(params)
    expected = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    for name in FACTORS:
        assert_close(getattr(record, name), expected[name], name)
    # The record's starting parameters are the flat ones, read in the documented layout.
    assert record.x == c.x
    assert [list(row) for row in record.w1] == w1
    assert (list(record.b1), list(record.w2), record.b2) == (b1, w2, b2)


@CORE_SETTINGS
@given(mlp_cases())
def test_flat_gradient_and_next_params_follow_the_parameter_layout(case):
    model, params = case
    record = model.update(params)
    flat_gradient = (
        sum(record.dloss_dw1, ()) + record.dloss_db1 + record.dloss_dw2 + (record.dloss_db2,)
    )
    assert model.gradient(record) == flat_gradient
    assert len(flat_gradient) == model.n_params == len(params)
    flat_next = sum(record.w1_next, ()) + record.b1_next + record.w2_next + (record.b2_next,)
    assert model.next_params(record) == flat_next


@given(st.integers(1, 8), st.integers(1, 8), st.integers(0, 2**63 - 1))
@CORE_SETTINGS
def test_initial_weights_are_deterministic_from_the_seed(n, hidden, seed):
    def params(seed: int) -> tuple[float, ...]:
        # A fresh model each time: nothing may carry over between instances.
        return Mlp(MlpConfig(x=(1.0,) * n, hidden=hidden, seed=seed)).initial_params()

    first = params(seed)
    assert params(seed) == first
    assert params(seed + 1) != first
    assert len(first) == hidden * (n + 2) + 1
    # Weights within ±1/√fan-in (PyTorch's default scale), biases zero.
    w1, b1, w2, b2 = split_mlp(first, n, hidden)
    assert all(abs(w) <= 1 / math.sqrt(n) for row in w1 for w in row)
    assert all(abs(w) <= 1 / math.sqrt(hidden) for w in w2)
    assert b1 == [0.0] * hidden and b2 == 0.0
    assert all(math.isfinite(p) for p in first)


def test_initial_weights_do_not_depend_on_the_other_settings():
    # lr, loss and activation change the training, not the starting point.
    base = Mlp(MlpConfig(x=(1.0, 2.0), hidden=4, seed=7)).initial_params()
    other = Mlp(MlpConfig(x=(-3.0, 0.5), hidden=4, seed=7, lr=0.01, activation="relu",
                          loss="mse", target=0.2)).initial_params()  # fmt: skip
    assert base == other
