"""The derivation model: the lines a learner reads, their order, symbols, numbers and values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.derivation import GROUPS, derive
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_plain

from .cases import ACTIVATION_NAMES, CORE_SETTINGS, bits, mlp_cases, neuron_configs

# Lines whose numbers would only write the value again: they show the symbol and the value.
MAY_REPEAT_THE_VALUE = {"y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dz_dw", "dloss_db",
                        "dloss_db1", "dloss_db2", "dloss_dz2", "h", "dh_dz1"}  # fmt: skip


def four(value: float) -> str:
    """A number as a substitution shows it: 4 significant digits, and no signed zero."""
    return fmt_plain(value)


def shows(number: float, text: str) -> bool:
    """``text`` holds ``number``, written with 4 significant digits or more."""
    return any(fmt_plain(number, digits) in text for digits in range(4, 18))


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def check_lines(derivation, record, step: int) -> None:
    assert derivation.step == step
    for line in derivation.lines:
        assert bits(line.value) == bits(getattr(record, line.name)), line.name
        assert line.symbol and line.note
        assert line.substitution or line.name in MAY_REPEAT_THE_VALUE, line.name
        assert derivation.line(line.name) is line
    names = [line.name for line in derivation.lines]
    assert len(names) == len(set(names))
    # Groups come in the order a learner works through them: forward, backward, update (one
    # example alone needs no "example" group: that is for a dataset's updates).
    order = [GROUPS.index(line.group) for line in derivation.lines]
    assert order == sorted(order) and set(order) == {1, 2, 3}
    assert GROUPS == ("example", "forward", "backward", "update")


def numbers_in_neuron_line(name: str, c: NeuronConfig, r) -> list[float]:
    """The numbers the chain's lines must show (the forward lines are checked as read, in
    test_substitution)."""
    chain = [r.dloss_dz] if c.loss == "bce" else [r.dloss_dy, r.dy_dz]
    shown = {
        "z": [*r.w, *r.x] + ([r.b] if r.b is not None else []),
        "dloss_dw": [*chain, *r.x],
        "dloss_dx": [r.dloss_dz, *r.w],
        "w_next": [*r.w, c.lr, *r.dloss_dw],
        "b_next": [r.b, c.lr, r.dloss_dz] if r.b is not None else [],
    }
    return shown.get(name, [])


@CORE_SETTINGS
@given(neuron_configs(z_limit=30.0))
def test_neuron_lines_carry_the_records_values_in_order(config: NeuronConfig):
    model = Neuron(config)
    record = model.update(model.initial_params())
    derivation = derive(model, record, 7)
    check_lines(derivation, record, 7)
    names = [line.name for line in derivation.lines]
    bias = ["dloss_db", "b_next"] if config.b is not None else []
    assert sorted(names) == sorted([
        "z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dz_dw", "dloss_dw", "dloss_dx",
        "w_next", *bias,
    ])  # fmt: skip
    assert names[:3] == ["z", "y", "loss"]
    assert [line.name for line in derivation.group("update")] == ["w_next", *bias[1:]]


@CORE_SETTINGS
@given(neuron_configs(z_limit=30.0))
def test_neuron_substitutions_show_the_records_numbers(config: NeuronConfig):
    model = Neuron(config)
    record = model.update(model.initial_params())
    for line in derive(model, record, 1).lines:
        for number in numbers_in_neuron_line(line.name, config, record):
            assert shows(number, line.substitution), (line.name, number, line.substitution)


@pytest.mark.parametrize("bias", [None, 0.5])
def test_bias_lines_appear_only_with_a_bias(bias):
    model = Neuron(NeuronConfig(w=(0.5, -0.25), x=(1.0, 2.0), b=bias))
    derivation = derive(model, model.update(model.initial_params()), 1)
    names = {line.name for line in derivation.lines}
    bias_lines = {"dloss_db", "b_next"}
    assert names & bias_lines == (bias_lines if bias is not None else set())
    assert derivation.line("z").symbol == ("z = W·X + b" if bias is not None else "z = W·X")


# The chain-rule factors as they are taught, written out by hand for every pairing.
TAUGHT_LOSS_FACTOR = {
    "one-minus-y": "−1",
    "mse": "2(y − t)",
    "bce": "(−t/y + (1 − t)/(1 − y))",
}
TAUGHT_ACTIVATION_FACTOR = {
    "sigmoid": "y(1 − y)",
    "tanh": "(1 − y²)",
    "relu": "(1 if z > 0 else 0)",
    "leaky-relu": "(1 if z > 0 else 0.01)",
    "linear": "1",
    "softplus": "σ(z)",
    "silu": "σ(z)(1 + z(1 − σ(z)))",
}


def _pairings():
    for activation in ACTIVATION_NAMES:
        if activation in ("sigmoid", "tanh"):  # 1 − y has a floor only for outputs at most 1
            yield activation, "one-minus-y", 1.0
        yield activation, "mse", 0.0
        if activation == "sigmoid":
            yield activation, "bce", 0.0


@pytest.mark.parametrize(("activation", "loss", "target"), list(_pairings()))
def test_weight_gradient_line_shows_the_chain_as_a_product(activation, loss, target):
    model = Neuron(NeuronConfig(activation=activation, loss=loss, target=target))
    line = derive(model, model.update(model.initial_params()), 1).line("dloss_dw")
    if loss == "bce":  # after the sigmoid, y(1 − y) cancels: the product is y − t
        assert line.symbol == "dLoss/dW = dLoss/dz · dz/dW = (y − t) · X"
        return
    assert line.symbol == (
        "dLoss/dW = dLoss/dy · dy/dz · dz/dW = "
        f"{TAUGHT_LOSS_FACTOR[loss]} · {TAUGHT_ACTIVATION_FACTOR[activation]} · X"
    )


def test_seed_neuron_reads_as_the_source_teaches_it():
    model = Neuron(NeuronConfig())  # w = 0.5, x = 2: z = 1
    derivation = derive(model, model.update(model.initial_params()), 1)
    y = sigmoid(1.0)
    assert derivation.line("dloss_dw").symbol == (
        "dLoss/dW = dLoss/dy · dy/dz · dz/dW = −1 · y(1 − y) · X"
    )
    assert derivation.line("dy_dz").symbol == "dy/dz = y(1 − y)"
    assert derivation.line("dy_dz").substitution == f"{four(y)} × (1 − {four(y)})"
    assert derivation.line("dz_dw").substitution == ""  # dz/dW = X = 2: said once
    assert derivation.line("z").substitution == "0.5 × 2"


def test_negative_numbers_are_bracketed_inside_products():
    model = Neuron(NeuronConfig(w=(0.5, -0.25), x=(1.0, 2.0), b=0.1))
    line = derive(model, model.update(model.initial_params()), 1).line("z")
    assert line.substitution == "0.5 × 1 + (−0.25) × 2 + 0.1"


MLP_NAMES = (
    "z1", "h", "z2", "y", "loss", "dloss_dy", "dy_dz2", "dloss_dz2", "dloss_dw2", "dloss_db2",
    "dloss_dh", "dh_dz1", "dloss_dz1", "dloss_dw1", "dloss_db1", "dloss_dx",
    "w1_next", "b1_next", "w2_next", "b2_next",
)  # fmt: skip


@CORE_SETTINGS
@given(mlp_cases(z_limit=30.0))
def test_mlp_lines_carry_the_records_values_in_order(case):
    model, params = case
    record = model.update(params)
    derivation = derive(model, record, 3)
    check_lines(derivation, record, 3)
    assert sorted(line.name for line in derivation.lines) == sorted(MLP_NAMES)
    c = model.config
    shown = {
        "z2": [*record.w2, *record.h, record.b2],
        "dloss_dz2": [record.y, c.target] if c.loss == "bce" else [record.dloss_dy, record.dy_dz2],
        "dloss_dh": [record.dloss_dz2, *record.w2],
        "dloss_dz1": [*record.dloss_dh, *record.dh_dz1],
        "b2_next": [record.b2, c.lr, record.dloss_db2],
    }
    for name, numbers in shown.items():
        substitution = derivation.line(name).substitution
        for number in numbers:
            assert shows(number, substitution), (name, number, substitution)
