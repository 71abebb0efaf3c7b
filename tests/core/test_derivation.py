"""The derivation model: the lines a learner reads, their order, symbols, numbers and values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.derivation import GROUPS, derive
from calc_tutor.core.neuron import Neuron

from .cases import ACTIVATION_NAMES, CORE_SETTINGS, bits, mlp_cases, neuron_configs


def four(value: float) -> str:
    """A number as a substitution shows it: 4 significant digits, and no signed zero."""
    return "0" if value == 0 else f"{value:.4g}"


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def check_lines(derivation, record, step: int) -> None:
    assert derivation.step == step
    for line in derivation.lines:
        assert bits(line.value) == bits(getattr(record, line.name)), line.name
        assert line.symbol and line.substitution and line.note
        assert derivation.line(line.name) is line
    names = [line.name for line in derivation.lines]
    assert len(names) == len(set(names))
    # Groups come in the order a learner works through them: forward, backward, update.
    order = [GROUPS.index(line.group) for line in derivation.lines]
    assert order == sorted(order) and set(order) == {0, 1, 2}
    assert GROUPS == ("forward", "backward", "update")


def numbers_in_neuron_line(name: str, c: NeuronConfig, r) -> list[float]:
    """The numbers each neuron line's substitution must show."""
    act_numbers = {
        "sigmoid": [r.y], "tanh": [r.y], "relu": [r.z], "leaky-relu": [r.z], "linear": [],
        "softplus": [-r.z], "silu": [sigmoid(r.z), r.z],
    }  # fmt: skip
    shown = {
        "z": [*r.w, *r.x] + ([r.b] if r.b is not None else []),
        "y": [-r.z] if c.activation == "sigmoid" else [r.z],  # σ shows e^(−z)
        "loss": [r.y] + ([c.target] if c.loss != "one-minus-y" else []),
        "dloss_dy": [r.y, c.target] if c.loss != "one-minus-y" else [],
        "dy_dz": act_numbers[c.activation],
        "dloss_dz": [r.dloss_dy, r.dy_dz],
        "dz_dw": [*r.x],
        "dloss_dw": [r.dloss_dy, r.dy_dz, *r.x],
        "dloss_db": [r.dloss_dz],
        "dloss_dx": [r.dloss_dz, *r.w],
        "w_next": [*r.w, c.lr, *r.dloss_dw],
        "b_next": [r.b, c.lr, r.dloss_dz] if r.b is not None else [],
    }
    return shown[name]


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
def test_neuron_substitutions_show_the_numbers_to_four_digits(config: NeuronConfig):
    model = Neuron(config)
    record = model.update(model.initial_params())
    for line in derive(model, record, 1).lines:
        for number in numbers_in_neuron_line(line.name, config, record):
            assert four(number) in line.substitution, (line.name, number, line.substitution)
            longer = f"{number:.6g}"
            if longer != f"{number:.4g}":
                assert longer not in line.substitution, (line.name, line.substitution)


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
    assert derivation.line("dz_dw").substitution == "2"
    assert derivation.line("z").substitution == "0.5 × 2"


def test_negative_numbers_are_bracketed_inside_products():
    model = Neuron(NeuronConfig(w=(0.5, -0.25), x=(1.0, 2.0), b=0.1))
    line = derive(model, model.update(model.initial_params()), 1).line("z")
    assert line.substitution == "0.5 × 1 + (-0.25) × 2 + 0.1"


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
        "dloss_dz2": [record.dloss_dy, record.dy_dz2],
        "dloss_dh": [record.dloss_dz2, *record.w2],
        "dloss_dz1": [*record.dloss_dh, *record.dh_dz1],
        "b2_next": [record.b2, c.lr, record.dloss_db2],
    }
    for name, numbers in shown.items():
        substitution = derivation.line(name).substitution
        for number in numbers:
            assert four(number) in substitution, (name, number, substitution)
