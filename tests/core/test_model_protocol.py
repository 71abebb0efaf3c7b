"""Every model answers for itself: the Model protocol, its parameter names, and no branch
anywhere that asks which model it is."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
from hypothesis import given

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.datasets import BUILT_IN
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.on_dataset import OnDataset
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.session import Model

from . import oracle
from .cases import CORE_SETTINGS, assert_close, mlp_cases, neuron_configs, split_mlp

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"^(?P<part>[A-Za-z]+\d?)(?:\[(?P<first>\d+)(?:,(?P<second>\d+))?\])?$")


def protocol_members() -> dict[str, object]:
    """The protocol's attributes (annotations) and methods, by name."""
    members: dict[str, object] = dict.fromkeys(Model.__annotations__)
    members.update({name: value for name, value in vars(Model).items()
                    if inspect.isfunction(value) and not name.startswith("_")})  # fmt: skip
    return members


def test_the_protocol_names_what_the_views_ask_of_a_model():
    members = protocol_members()
    for asked in ("derivation", "param_names", "param_groups", "summary", "varied_weight",
                  "activation_view", "stall_note", "slowing_slopes", "activation_symbols"):  # fmt: skip
        assert asked in members, asked


def test_both_models_implement_every_member_of_the_protocol():
    xor = BUILT_IN["xor"]
    models = [Neuron(NeuronConfig()), Neuron(NeuronConfig(w=(0.5, -1.0), x=(2.0, 1.0), b=0.25)),
              Mlp(MlpConfig()),
              OnDataset(Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0, loss="bce")), xor),
              OnDataset(Mlp(MlpConfig(x=(0.0, 0.0), loss="bce")), xor, batch=True)]  # fmt: skip
    for model in models:
        for name, declared in protocol_members().items():
            assert hasattr(model, name), (type(model).__name__, name)
            if declared is None:
                continue
            given_parameters = list(inspect.signature(getattr(model, name)).parameters)
            wanted = list(inspect.signature(declared).parameters)[1:]  # without self
            assert len(given_parameters) == len(wanted), (type(model).__name__, name)


def parse_name(name: str) -> tuple[str, tuple[int, ...]]:
    """``W1[2,3]`` → ("W1", (1, 2)): the part and its 0-based indices."""
    match = NAME.match(name)
    assert match, name
    indices = tuple(int(i) - 1 for i in (match["first"], match["second"]) if i is not None)
    assert all(i >= 0 for i in indices), name  # names count from 1
    return match["part"], indices


def pick(value, indices: tuple[int, ...]) -> float:
    for i in indices:
        value = value[i]
    return float(np.asarray(value))


@CORE_SETTINGS
@given(config=neuron_configs())
def test_neuron_names_follow_the_flat_layout_and_name_their_gradient(config: NeuronConfig):
    """(*W, b): W[i] is the i-th weight; its gradient is the oracle's dLoss/dW[i]."""
    model = Neuron(config)
    params = model.initial_params()
    names = model.param_names()
    n = len(config.x)
    bias = ("b",) if config.b is not None else ()
    assert names == tuple(f"W[{i}]" for i in range(1, n + 1)) + bias
    expected = oracle.neuron_expected(config.w, config.x, config.b, config.lr, config.activation,
                                      config.loss, config.target)  # fmt: skip
    layout = {"W": list(config.w), "b": config.b}
    gradients = {"W": expected["dloss_dw"], "b": expected["dloss_db"]}
    gradient = model.gradient(model.update(params))
    for k, name in enumerate(names):
        part, indices = parse_name(name)
        assert params[k] == pick(layout[part], indices), name
        assert_close(gradient[k], pick(gradients[part], indices), name)


@CORE_SETTINGS
@given(case=mlp_cases())
def test_network_names_follow_the_flat_layout_and_name_their_gradient(case):
    """(*W1 row by row, *b1, *w2, b2): W1[j,i] is unit j's weight on input i."""
    model, params = case
    c = model.config
    n, hidden = len(c.x), c.hidden
    names = model.param_names()
    assert len(names) == len(set(names)) == model.n_params
    w1, b1, w2, b2 = split_mlp(params, n, hidden)
    expected = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    layout = {"W1": w1, "b1": b1, "w2": w2, "b2": b2}
    gradients = {"W1": expected["dloss_dw1"], "b1": expected["dloss_db1"],
                 "w2": expected["dloss_dw2"], "b2": expected["dloss_db2"]}  # fmt: skip
    gradient = model.gradient(model.update(params))
    for k, name in enumerate(names):
        part, indices = parse_name(name)
        assert params[k] == pick(layout[part], indices), name
        assert_close(gradient[k], pick(gradients[part], indices), name)


def test_the_documented_names_of_a_small_network():
    model = Mlp(MlpConfig(x=(1.0, 2.0), hidden=2))
    assert model.param_names() == ("W1[1,1]", "W1[1,2]", "W1[2,1]", "W1[2,2]", "b1[1]", "b1[2]",
                                   "w2[1]", "w2[2]", "b2")  # fmt: skip


@CORE_SETTINGS
@given(case=mlp_cases())
def test_parameter_groups_cover_the_flat_parameters_in_order(case):
    model, params = case
    groups = model.param_groups(params)
    assert [name for name, _ in groups] == ["W1", "b1", "w2", "b2"]
    assert sum((values for _, values in groups), ()) == tuple(params)


@CORE_SETTINGS
@given(config=neuron_configs())
def test_neuron_groups_are_w_then_b(config: NeuronConfig):
    model = Neuron(config)
    groups = model.param_groups(model.initial_params())
    assert groups[0] == ("W", tuple(config.w))
    assert groups[1:] == ((("b", (config.b,)),) if config.b is not None else ())


# Asking a model (or its record) which model it is: the branches the protocol replaces.
WHICH_MODEL = re.compile(
    r"\bkind\s*[!=]=\s*[\"'](neuron|mlp)[\"']|\bmodel\.kind\s*[!=]=|"
    r"isinstance\(\s*(record|step|model|r)\b|\btype\(model\)\s*(is|==|in)\b"
)


def test_no_code_asks_which_model_it_is():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for folder in ("core", "tui") for path in sorted((ROOT / folder).rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if WHICH_MODEL.search(line)]  # fmt: skip
    assert not found, "\n".join(found)


@CORE_SETTINGS
@given(config=neuron_configs())
def test_the_status_lines_change_is_w_and_b_before_and_after_the_update(config: NeuronConfig):
    from calc_tutor.core.session import Session
    from calc_tutor.tui.now import change_of

    change = change_of(Session(Neuron(config)), 1)
    expected = oracle.neuron_expected(config.w, config.x, config.b, config.lr, config.activation,
                                      config.loss, config.target)  # fmt: skip
    assert [move.name for move in change.moves] == ["W", "b"][: 1 + (config.b is not None)]
    assert change.moves[0].before == tuple(config.w)
    assert_close(change.moves[0].after, expected["w_next"], "w_next")
    if config.b is not None:
        assert change.moves[1].before == (config.b,)
        assert_close(change.moves[1].after[0], expected["b_next"], "b_next")


@CORE_SETTINGS
@given(case=mlp_cases())
def test_the_status_lines_change_of_a_network_names_each_layer(case):
    from calc_tutor.core.session import Session
    from calc_tutor.tui.now import change_of

    model, params = case
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    expected = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    change = change_of(Session(model, params), 1)
    assert [move.name for move in change.moves] == ["W1", "b1", "w2", "b2"]
    assert sum((move.before for move in change.moves), ()) == tuple(params)
    for move, key in zip(change.moves, ("w1_next", "b1_next", "w2_next", "b2_next")):
        assert_close(move.after, np.ravel(expected[key]), key)
