"""Predict mode in the graph (core/predict.py's step questions): which nodes are asked and in
what order, each question's value against the independent autodiff in every activation × loss
pairing, hints that never state the value, and the why (the worked product and the gate's note)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.graph import ROUTER_NOTES, START_NOTE, Graph
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import MINUS, fmt_value, numbers_of
from calc_tutor.core.predict import (MAX_ASKED_NUMBERS, next_askable_step, step_askable,
                                     step_question)  # fmt: skip

from .cases import ACTIVATION_NAMES, CORE_SETTINGS, LOSS_NAMES, assert_close, mlp_cases, neuron_configs
from .test_graph import PAIRINGS, mlp_expected_gradients, neuron_expected_gradients
from .test_predict import states_value


def asked_steps(graph: Graph) -> list[int]:
    """The 1-based steps of the backward walk predict mode asks, walking as the app does."""
    indices, index = [], 0
    while (index := next_askable_step(graph, index)) is not None:
        indices.append(index)
    return indices


def typed(value) -> str:
    """The value as a learner types it: its numbers, comma-separated."""
    return ", ".join(repr(n) for n in numbers_of(value))


def check_questions(graph: Graph, expected: dict[str, object]) -> None:
    """Every node but the loss is asked, in the walk's order (none here has more than four
    numbers); each question's value is the oracle's dLoss/d(node) and the step's own; its hint
    does not state it; the right value scores; two wrong answers reveal the worked product."""
    asked = asked_steps(graph)
    assert [graph.backward[i - 1].node for i in asked] == [s.node for s in graph.backward[1:]]
    for index in asked:
        step = graph.backward[index - 1]
        question = step_question(graph, step)
        assert question.value == step.gradient  # the record's number, not a copy worked out again
        assert_close(question.value, expected[step.node], step.node)
        assert question.hint and not states_value(question.hint, question.value), question.hint
        assert step.symbol().split(" = ")[0] == question.label.split(" = ")[0]
        assert question.answer(typed(question.value)).kind == "right"
        wrong = step_question(graph, step)
        off = typed(tuple(n + 1 + abs(n) for n in numbers_of(wrong.value)))  # 1 + |n| away
        assert wrong.answer(off).kind == "hint"
        revealed = wrong.answer(off)
        assert revealed.kind == "revealed"
        assert fmt_value(step.gradient) in revealed.message and graph.note(step) in revealed.message
        assert step.substituted() in revealed.message


@CORE_SETTINGS
@given(config=neuron_configs())
def test_every_neuron_question_is_the_oracles_gradient(config: NeuronConfig):
    model = Neuron(config)
    graph = model.graph(model.update(model.initial_params()))
    if any(len(numbers_of(step.gradient)) > MAX_ASKED_NUMBERS for step in graph.backward):
        # W and X of five or six features are shown, not asked: the rest still is, in order.
        asked = [graph.backward[i - 1].node for i in asked_steps(graph)]
        assert "W" not in asked and "X" not in asked and asked[:2] == ["y", "z"]
        return
    check_questions(graph, neuron_expected_gradients(config))


@CORE_SETTINGS
@given(mlp_cases())
def test_every_network_question_is_the_oracles_gradient(case):
    model, params = case
    graph = model.graph(model.update(params))
    asked = [graph.backward[i - 1].node for i in asked_steps(graph)]
    assert asked.count("X") == (len(model.config.x) <= MAX_ASKED_NUMBERS)  # its fan-out sum, once
    if len(model.config.x) > MAX_ASKED_NUMBERS:
        return
    check_questions(graph, mlp_expected_gradients(model, params))


def pairing_graphs():
    """The neuron (with and without a bias) and the network, each in every pairing it takes,
    with what the oracle says each gradient is."""
    for activation, loss in sorted(PAIRINGS):
        target = 1.0 if loss == "one-minus-y" else 0.25
        for b in (None, 0.5):
            config = NeuronConfig(w=(0.5,), x=(2.0,), b=b, lr=0.1, activation=activation,
                                  loss=loss, target=target)  # fmt: skip
            model = Neuron(config)
            graph = model.graph(model.update(model.initial_params()))
            yield f"neuron-{activation}-{loss}-b{b}", graph, neuron_expected_gradients(config)
    for activation in ACTIVATION_NAMES:
        for loss in LOSS_NAMES:
            target = 1.0 if loss == "one-minus-y" else 0.25
            model = Mlp(MlpConfig(x=(1.0, -2.0), hidden=3, seed=7, activation=activation,
                                  loss=loss, target=target))  # fmt: skip
            params = model.initial_params()
            graph = model.graph(model.update(params))
            yield f"network-{activation}-{loss}", graph, mlp_expected_gradients(model, params)


PAIRING_GRAPHS = list(pairing_graphs())


@pytest.mark.parametrize(("graph", "expected"), [case[1:] for case in PAIRING_GRAPHS],
                         ids=[case[0] for case in PAIRING_GRAPHS])  # fmt: skip
def test_every_pairing_asks_every_node_but_the_loss_with_the_oracles_value(graph, expected):
    check_questions(graph, expected)


def test_the_loss_is_the_walks_start_never_asked():
    for _, graph, _ in PAIRING_GRAPHS:
        start = graph.backward[0]
        assert not step_askable(start) and start.gradient == 1.0
        assert next_askable_step(graph, 0) == 2  # dLoss/dy comes first
        assert next_askable_step(graph, len(graph.backward)) is None


def test_a_gradient_of_more_than_four_numbers_is_shown_not_asked():
    model = Neuron(NeuronConfig(w=(0.5,) * 5, x=(1.0, 2.0, -1.0, 0.5, 0.25)))
    graph = model.graph(model.update(model.initial_params()))
    asked = [graph.backward[i - 1].node for i in asked_steps(graph)]
    assert asked == ["y", "z"]  # W and X hold five numbers each
    network = Mlp(MlpConfig(x=(1.0, 2.0, 3.0, 4.0, 5.0), hidden=2))
    graph = network.graph(network.update(network.initial_params()))
    asked = [graph.backward[i - 1].node for i in asked_steps(graph)]
    assert "X" not in asked and "W1[1]" not in asked and "h[2]" in asked


def seed_graph(**config: object) -> Graph:
    model = Neuron(NeuronConfig(**{"w": (0.5,), "x": (2.0,), "lr": 0.1, **config}))  # type: ignore[arg-type]
    return model.graph(model.update(model.initial_params()))


def test_the_seed_neurons_hints_give_upstream_and_local_never_the_value():
    """W = 0.5, X = 2, sigmoid, 1 − y: dLoss/dy is the loss's own slope, a constant (its
    formula would say −1), so its hint says what it means; the others, upstream × local."""
    graph = seed_graph()
    y = 1 / (1 + math.exp(-1.0))
    truths = {"y": -1.0, "z": -y * (1 - y), "W": -y * (1 - y) * 2, "X": -y * (1 - y) * 0.5}
    for index in asked_steps(graph):
        step = graph.backward[index - 1]
        question = step_question(graph, step)
        assert question.value == pytest.approx(truths[step.node], rel=1e-15)
        assert fmt_value(question.value) not in question.hint.replace("(", "").replace(")", "")
        assert f"{MINUS}1" not in question.label  # the prompt does not say dLoss/dy = −1 either
    dloss_dy = step_question(graph, graph.step_of("y"))
    assert dloss_dy.label == "dLoss/dy"
    assert dloss_dy.hint == "dLoss/dy is how much Loss changes when y rises by 1"
    dloss_dw = step_question(graph, graph.step_of("W"))
    assert dloss_dw.label == "dLoss/dW = dLoss/dz · dz/dW"
    assert dloss_dw.hint.startswith("dLoss/dW = dLoss/dz · dz/dW, with upstream ")
    assert dloss_dw.hint.endswith(" × local 2")
    assert dloss_dw.why.endswith(ROUTER_NOTES["product"].format(local="dz/dW = X"))
    assert START_NOTE not in dloss_dw.why


def test_where_a_factor_is_1_the_hint_names_it_instead_of_writing_the_value_twice():
    """mse: dLoss/dy = 2(y − t) at the y its box shows; with a bias, b's step crosses a sum
    (local 1), so upstream × local would be the value itself: the gate's rule instead."""
    graph = seed_graph(activation="tanh", loss="mse", target=0.2, b=0.3)
    y = graph.node("y").value
    assert step_question(graph, graph.step_of("y")).hint == f"dLoss/dy = 2(y − t), where y is {fmt_value(y)}"
    for node, slope in (("b", "dz/db"), ("W·X", "dz/d(W·X)")):
        question = step_question(graph, graph.step_of(node))
        assert question.hint.endswith(f", where {slope} is 1"), question.hint
        assert fmt_value(question.value).lstrip(MINUS) not in question.hint
        assert ROUTER_NOTES["sum"].format(local=f"{slope} = 1") in question.why
