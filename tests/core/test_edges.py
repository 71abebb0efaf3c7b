"""Edge cases: |z| up to 1e6, zero inputs, huge learning rates, a saturated bce output.

Every test here runs with warnings turned into errors: a stray overflow warning is a bug
even when the number that comes out happens to be right.
"""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc_tutor.core.activations import ACTIVATIONS
from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import NEURON_VALUES, Neuron
from calc_tutor.core.session import Session

from .cases import ACTIVATION_NAMES, CORE_SETTINGS


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _is_finite(value) -> bool:
    if value is None:
        return True
    if isinstance(value, tuple):
        return all(_is_finite(v) for v in value)
    return math.isfinite(value)


# (y, dy/dz) at z = +1e6 and z = −1e6: the textbook limits, reached exactly in float64.
LIMITS = {
    "sigmoid": ((1.0, 0.0), (0.0, 0.0)),
    "tanh": ((1.0, 0.0), (-1.0, 0.0)),
    "relu": ((1e6, 1.0), (0.0, 0.0)),
    "leaky-relu": ((1e6, 1.0), (-1e4, 0.01)),
    "linear": ((1e6, 1.0), (-1e6, 1.0)),
    "softplus": ((1e6, 1.0), (0.0, 0.0)),  # ln(1 + e^z) → z, and its slope σ(z) → 1
    "silu": ((1e6, 1.0), (0.0, 0.0)),  # z·σ(z) → z above, → 0 below
}


def test_every_activation_has_its_limits_listed():
    assert set(LIMITS) == set(ACTIVATIONS) == set(ACTIVATION_NAMES)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@pytest.mark.parametrize("sign", [1, -1])
def test_activation_at_a_million_is_finite_and_takes_its_limit(name, sign):
    activation = ACTIVATIONS[name]
    z = sign * 1e6
    y = activation.value(z)
    slope = activation.derivative(z, y)
    expected_y, expected_slope = LIMITS[name][0 if sign > 0 else 1]
    assert y == expected_y
    assert slope == expected_slope


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activation_stays_finite_across_the_whole_range(name):
    activation = ACTIVATIONS[name]
    for exponent in range(-3, 7):
        for z in (10.0**exponent, -(10.0**exponent), 700.0, -700.0, 710.0, -710.0, 745.0, -745.0):
            y = activation.value(z)
            assert math.isfinite(y) and math.isfinite(activation.derivative(z, y)), (name, z)


def _pairings():
    for activation in ACTIVATION_NAMES:
        if activation in ("sigmoid", "tanh"):  # 1 − y has a floor only for outputs at most 1
            yield activation, "one-minus-y", 1.0
        yield activation, "mse", 0.5
        if activation == "sigmoid":
            for target in (0.0, 0.5, 1.0):
                yield activation, "bce", target


@pytest.mark.parametrize(("activation", "loss", "target"), list(_pairings()))
@pytest.mark.parametrize("z", [1e6, -1e6])
def test_neuron_update_at_a_million(activation, loss, target, z):
    # Two features, so the vector path runs too: z = 1e6·0.5 + 1e6·0.5 (or its negative).
    for w, x in (((z,), (1.0,)), ((z, z), (0.5, 0.5))):
        model = Neuron(NeuronConfig(w=w, x=x, activation=activation, loss=loss, target=target))
        record = model.update(model.initial_params())
        assert record.z == z
        if loss == "bce" and record.y != target:
            # σ(±1e6) is exactly 1 or 0: the wrong-side log is −∞. That must be reported,
            # never returned as a plausible number.
            assert model.non_finite(record) is not None
            continue
        bad = [name for name in NEURON_VALUES if not _is_finite(getattr(record, name))]
        assert bad == []
        assert model.non_finite(record) is None


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("loss", ["one-minus-y", "mse", "bce"])
def test_mlp_with_inputs_of_a_million(activation, loss):
    target = 1.0 if loss == "one-minus-y" else 0.0
    for x in ((1e6,), (1e6, -1e6)):
        for seed in range(5):
            model = Mlp(MlpConfig(x=x, hidden=4, seed=seed, activation=activation, loss=loss,
                                  target=target))  # fmt: skip
            record = model.update(model.initial_params())
            assert all(_is_finite(v) for v in (record.z1, record.h, record.z2, record.y))
            if model.non_finite(record) is None:
                continue
            # Only a saturated sigmoid under bce may fail, and only from the loss on.
            assert loss == "bce" and record.y in (0.0, 1.0)


# Parameters that a diverging run can reach: any float at all, inf and NaN included.
any_float = st.floats(allow_nan=True, allow_infinity=True)


@st.composite
def extreme_neurons(draw):
    n = draw(st.integers(1, 4))
    activation = draw(st.sampled_from(ACTIVATION_NAMES))
    losses = ["mse"] + (["one-minus-y"] if activation in ("sigmoid", "tanh") else [])
    losses += ["bce"] if activation == "sigmoid" else []
    loss = draw(st.sampled_from(losses))
    config = NeuronConfig(
        w=(0.0,) * n, x=draw(st.tuples(*[st.floats(-1e300, 1e300)] * n)),
        b=draw(st.none() | st.just(0.0)), lr=draw(st.floats(1e-300, 1e300)),
        activation=activation, loss=loss, target=1.0,
    )  # fmt: skip
    model = Neuron(config)
    params = draw(st.tuples(*[any_float] * model.n_params))
    return model, params


@CORE_SETTINGS
@given(extreme_neurons())
def test_non_finite_finds_exactly_the_first_bad_value(case):
    # The neuron answers from one summed test in the common case; it must never miss a value.
    model, params = case
    record = model.update(params)
    first_bad = next((n for n in NEURON_VALUES if not _is_finite(getattr(record, n))), None)
    assert model.non_finite(record) == first_bad


def test_bce_with_the_right_saturated_answer_has_zero_loss_and_slope():
    model = Neuron(NeuronConfig(w=(1e6,), x=(1.0,), loss="bce", target=1.0))
    record = model.update(model.initial_params())
    assert record.y == 1.0 and record.loss == 0.0 and record.dloss_dz == 0.0
    assert record.w_next == (1e6,)


@pytest.mark.parametrize("z", [40.0, 700.0])  # σ(40) already rounds to exactly 1
def test_bce_with_the_wrong_saturated_answer_trains_on(z):
    # The loss is computed from z (softplus), so it stays the finite number it is: about z.
    session = Session(Neuron(NeuronConfig(w=(z,), x=(1.0,), loss="bce", target=0.0)))
    assert session.forward(10) == 10 and session.divergence is None
    assert session.losses()[0] == pytest.approx(z, rel=1e-15)


def test_bce_beyond_float_range_stops_the_session_and_says_why():
    # 1 − y = σ(−1e6) is below the smallest float, so dLoss/dy = 1/(1 − y) has no float value.
    session = Session(Neuron(NeuronConfig(w=(1e6,), x=(1.0,), loss="bce", target=0.0)))
    assert session.forward(10) == 1
    assert session.divergence is not None and session.divergence.step == 1
    assert "1 − y" in session.divergence.reason
    assert session.losses()[0] == 1e6


@pytest.mark.parametrize("bias", [None, 0.75])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_zero_inputs_give_zero_weight_gradient_and_leave_w_unchanged(bias, activation):
    w = (0.5, -1.5, 2.0)
    model = Neuron(NeuronConfig(w=w, x=(0.0, 0.0, 0.0), b=bias, activation=activation,
                                loss="mse", target=3.0))  # fmt: skip
    record = model.update(model.initial_params())
    assert record.z == (bias or 0.0)
    assert record.dloss_dw == (0.0, 0.0, 0.0)
    assert record.w_next == w
    if bias is not None:
        # z = b still misses the target, so the bias alone learns.
        assert record.dloss_db != 0.0 and record.b_next != bias


def test_zero_input_mlp_only_learns_through_the_biases():
    model = Mlp(MlpConfig(x=(0.0, 0.0), hidden=3, seed=1, loss="mse", target=0.9))
    record = model.update(model.initial_params())
    assert record.dloss_dw1 == ((0.0, 0.0),) * 3
    assert record.w1_next == record.w1
    assert record.dloss_db2 != 0.0


def test_huge_learning_rate_diverges_with_a_readable_reason():
    model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), lr=1e300, activation="linear", loss="mse",
                                target=0.0))  # fmt: skip
    session = Session(model)
    moved = session.forward(1000)
    assert session.divergence is not None
    assert moved == session.cursor == session.length == session.divergence.step
    assert moved < 1000  # it stopped, it did not run on
    assert "α" in session.divergence.reason
    assert session.forward(5) == 0  # and it stays stopped


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_huge_learning_rate_in_the_mlp_never_raises(activation):
    # The sigmoid output bounds y, so the loss need not diverge; it must not crash or warn.
    for loss, target in (("mse", 0.3), ("bce", 0.3), ("one-minus-y", 1.0)):
        model = Mlp(MlpConfig(x=(1.0, -2.0), hidden=3, lr=1e300, activation=activation,
                              loss=loss, target=target))  # fmt: skip
        session = Session(model)
        session.forward(50)
        # Every stored step before a stop is finite; a stop names α (or the bce logarithm).
        for step in range(1, session.length + 1):
            if session.divergence is None or step < session.divergence.step:
                assert model.non_finite(session.record(step)) is None
        if session.divergence is not None:
            assert session.cursor == session.divergence.step == session.length
            assert "α" in session.divergence.reason
