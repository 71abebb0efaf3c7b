"""The computation graph of one update (core/graph.py) against the independent autodiff: every
node's gradient, every edge's local derivative, each backward step's upstream × local, and the
fan-out sums where X feeds several hidden units."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given

from calc_tutor.core.config import ConfigError, MlpConfig, NeuronConfig
from calc_tutor.core.datasets import BUILT_IN
from calc_tutor.core.graph import (FAN_OUT_NOTE, GATES, INPUT_NOTE, OTHERS, ROUTER_NOTES, START_NOTE, Graph,
                                  path_starts, path_to, sum_of_terms)  # fmt: skip
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.on_dataset import OnDataset

from . import oracle
from .cases import (ACTIVATION_NAMES, CORE_SETTINGS, LOSS_NAMES, assert_close, mlp_cases,
                    neuron_configs, split_mlp)  # fmt: skip


def neuron_oracle(config: NeuronConfig) -> dict:
    c = config
    return oracle.neuron_expected(c.w, c.x, c.b, c.lr, c.activation, c.loss, c.target)


def one(value):
    """A vector of one element as its number, as the graph writes one feature's W."""
    array = np.asarray(value, dtype=np.float64)
    return float(array.reshape(-1)[0]) if array.size == 1 else array


def neuron_expected_gradients(config: NeuronConfig) -> dict[str, object]:
    """dLoss/d(node) for every node of the neuron's graph, from the oracle alone."""
    e = neuron_oracle(config)
    gradients = {"Loss": 1.0, "y": e["dloss_dy"], "z": e["dloss_dz"], "W": one(e["dloss_dw"]),
                 "X": one(e["dloss_dx"])}  # fmt: skip
    if config.b is not None:
        gradients |= {"W·X": e["dloss_dz"], "b": e["dloss_db"]}  # dz/d(W·X) = dz/db = 1
    return gradients


def assert_products_are_the_gradients(graph: Graph) -> None:
    """Each step's upstream × local, summed over its paths, is the gradient it states."""
    first = graph.backward[0]
    assert (first.node, first.terms, first.gradient) == ("Loss", (), 1.0)
    reached = {"Loss"}
    for step in graph.backward[1:]:
        assert step.terms, step.node
        for term in step.terms:
            assert term.via in reached, (step.node, term.via)  # the upstream was reached first
            edge = next(e for e in graph.edges_from(step.node) if e.target == term.via)
            assert term.local == edge.local
            assert term.upstream == graph.step_of(term.via).gradient
            assert_close(term.product, np.multiply(term.upstream, term.local), step.node)
        assert_close(sum_of_terms(step), step.gradient, f"{step.node}: upstream × local")
        # The line a learner reads is true at the digits it shows (substitution.py).
        assert any(sub.agrees_at(digits, step.gradient)
                   for sub in step.subs for digits in range(4, 18)), step.node  # fmt: skip
        reached.add(step.node)
    # Every node is reached exactly once.
    assert sorted(s.node for s in graph.backward) == sorted(n.name for n in graph.nodes)


@CORE_SETTINGS
@given(config=neuron_configs())
def test_every_neuron_node_gradient_matches_autograd(config: NeuronConfig):
    model = Neuron(config)
    graph = model.graph(model.update(model.initial_params()))
    gradients = graph.gradients()
    expected = neuron_expected_gradients(config)
    assert set(gradients) == set(expected)
    for name, value in expected.items():
        assert_close(gradients[name], value, name)
    assert_products_are_the_gradients(graph)


@CORE_SETTINGS
@given(config=neuron_configs())
def test_neuron_forward_values_edges_and_update_match_autograd(config: NeuronConfig):
    model = Neuron(config)
    graph = model.graph(model.update(model.initial_params()))
    e = neuron_oracle(config)
    bias = config.b is not None
    assert_close(graph.node("z").value, e["z"], "z")
    assert_close(graph.node("y").value, e["y"], "y")
    assert_close(graph.node("Loss").value, e["loss"], "loss")
    if bias:
        assert_close(graph.node("W·X").value, e["z"] - config.b, "W·X", atol=1e-9)
    product = "W·X" if bias else "z"
    locals_ = {(edge.source, edge.target): edge.local for edge in graph.edges}
    assert_close(locals_["W", product], one(e["dz_dw"]), "dz/dW = X")
    assert_close(locals_["X", product], one(config.w), "dz/dX = W")
    assert_close(locals_["z", "y"], e["dy_dz"], "dy/dz")
    assert_close(locals_["y", "Loss"], e["dloss_dy"], "dLoss/dy")
    (w_update, *rest) = graph.updates
    assert w_update.name == "W"
    assert_close(w_update.next, one(e["w_next"]), "W ← W − α·dLoss/dW")
    assert_close(w_update.gradient, one(e["dloss_dw"]), "update's dLoss/dW")
    if bias:
        assert [u.name for u in rest] == ["b"]
        assert_close(rest[0].next, e["b_next"], "b ← b − α·dLoss/db")
    else:
        assert rest == []


def mlp_expected_gradients(model: Mlp, params) -> dict[str, object]:
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    e = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    gradients = {"Loss": 1.0, "y": e["dloss_dy"], "z2": e["dloss_dz2"], "b2": e["dloss_db2"],
                 "X": one(e["dloss_dx"])}  # fmt: skip
    for j in range(c.hidden):
        k = j + 1
        gradients |= {
            f"w2[{k}]·h[{k}]": e["dloss_dz2"], f"w2[{k}]": e["dloss_dw2"][j],
            f"h[{k}]": e["dloss_dh"][j], f"z1[{k}]": e["dloss_dz1"][j],
            f"b1[{k}]": e["dloss_db1"][j], f"W1[{k}]·X": e["dloss_dz1"][j],
            f"W1[{k}]": one(e["dloss_dw1"][j]),
        }  # fmt: skip
    return gradients


@CORE_SETTINGS
@given(mlp_cases())
def test_every_network_node_gradient_matches_autograd(case):
    model, params = case
    graph = model.graph(model.update(params))
    gradients = graph.gradients()
    expected = mlp_expected_gradients(model, params)
    assert set(gradients) == set(expected)
    for name, value in expected.items():
        assert_close(gradients[name], value, name)
    assert_products_are_the_gradients(graph)


@CORE_SETTINGS
@given(mlp_cases())
def test_x_fans_out_to_every_hidden_unit_and_its_paths_add_up_to_the_oracle(case):
    model, params = case
    c = model.config
    graph = model.graph(model.update(params))
    step = graph.step_of("X")
    assert [term.via for term in step.terms] == [f"W1[{k}]·X" for k in range(1, c.hidden + 1)]
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    e = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    # Each path: dLoss/dz1[k] · W1[k]; their sum, dLoss/dX.
    for term, j in zip(step.terms, range(c.hidden)):
        assert_close(term.product, one(e["dloss_dz1"][j] * np.asarray(w1[j])), term.via)
    assert_close(sum_of_terms(step), one(e["dloss_dx"]), "sum of the paths")
    assert_close(step.gradient, one(e["dloss_dx"]), "dLoss/dX")


def neuron_pairings():
    """Every (activation, loss) pairing the neuron takes (bce needs an output inside (0, 1), …)."""
    for activation in ACTIVATION_NAMES:
        for loss in LOSS_NAMES:
            try:
                Neuron(NeuronConfig(activation=activation, loss=loss))
            except ConfigError:
                continue
            yield activation, loss


PAIRINGS = frozenset(neuron_pairings())


def edge_configs():
    """Every activation × loss pairing the neuron takes, at edges: a zero input (z = b, off a
    ReLU's kink, where autodiff picks a side by convention), |z| of 12.5,
    a ReLU below its kink."""
    for activation in ACTIVATION_NAMES:
        for loss in LOSS_NAMES:
            for w, x, b in (((0.5,), (0.0,), 0.3), ((3.0,), (4.0,), 0.5), ((-2.0, 1.0), (3.0, 1.0), None),
                            ((0.25,), (-3.0,), -1.0)):  # fmt: skip
                config = NeuronConfig(w=w, x=x, b=b, lr=0.1, activation=activation, loss=loss,
                                      target=1.0 if loss == "one-minus-y" else 0.25)  # fmt: skip
                if (activation, loss) in PAIRINGS:
                    yield config


@pytest.mark.parametrize("config", list(edge_configs()), ids=str)
def test_neuron_graph_at_the_edges_matches_autograd(config):
    model = Neuron(config)
    graph = model.graph(model.update(model.initial_params()))
    expected = neuron_expected_gradients(config)
    for name, value in expected.items():
        assert_close(graph.gradients()[name], value, name)
    assert_products_are_the_gradients(graph)
    if set(config.x) == {0.0}:
        assert graph.gradients()["W"] == 0  # dz/dW = X = 0: the weight gets nothing


@pytest.mark.parametrize(("activation", "loss"), list(neuron_pairings()))
@pytest.mark.parametrize("z", [30.0, -30.0, 1e6])
def test_saturated_steps_still_multiply_to_their_gradients(activation, loss, z):
    """Far out (past |z| = 8 the oracle's own 1 − y loses digits, see cases.py): each step's
    upstream × local is still the gradient it states; where the product is inf × 0 (bce at
    y = 1), the step is written the way the record computes it, y − t, and that holds."""
    target = 1.0 if loss == "one-minus-y" else 0.25
    model = Neuron(NeuronConfig(w=(z / 2,), x=(2.0,), lr=0.1, activation=activation, loss=loss,
                                target=target))  # fmt: skip
    graph = model.graph(model.update(model.initial_params()))
    z_step = graph.step_of("z")
    if math.isfinite(z_step.terms[0].product):
        assert_products_are_the_gradients(graph)
    else:
        assert (activation, loss) == ("sigmoid", "bce")
        assert z_step.gradient == graph.node("y").value - target
        assert z_step.substituted().startswith("y − t = ")
        for step in graph.backward[3:]:  # below z every product is finite again
            assert_close(sum_of_terms(step), step.gradient, step.node)


def test_every_pairing_is_covered_by_the_edge_cases():
    pairs = {(c.activation, c.loss) for c in edge_configs()}
    assert ("sigmoid", "bce") in pairs and ("relu", "mse") in pairs and ("tanh", "one-minus-y") in pairs
    assert len(pairs) >= len(ACTIVATION_NAMES)


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_network_graph_in_every_pairing_matches_autograd(activation, loss):
    target = 1.0 if loss == "one-minus-y" else 0.25
    model = Mlp(MlpConfig(x=(1.0, -2.0), hidden=3, seed=7, activation=activation, loss=loss,
                          target=target))  # fmt: skip
    params = model.initial_params()
    graph = model.graph(model.update(params))
    for name, value in mlp_expected_gradients(model, params).items():
        assert_close(graph.gradients()[name], value, name)
    assert_products_are_the_gradients(graph)


def test_the_seed_example_reads_as_the_source_does():
    """W = 0.5, X = 2, sigmoid, Loss = 1 − y: −1 · y(1 − y) · X = −0.393224 (to 6 digits)."""
    model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), lr=0.1))
    graph = model.graph(model.update(model.initial_params()))
    assert [step.node for step in graph.backward] == ["Loss", "y", "z", "W", "X"]
    assert [n.gate for n in graph.nodes] == ["parameter", "input", "product", "activation", "loss"]
    y = 1 / (1 + math.exp(-1.0))
    assert graph.gradients()["W"] == pytest.approx(-1 * y * (1 - y) * 2, rel=1e-15)
    assert round(graph.gradients()["W"], 6) == -0.393224
    assert all(node.gate in GATES for node in graph.nodes)
    notes = [graph.note(step) for step in graph.backward]
    assert notes == [START_NOTE, ROUTER_NOTES["loss"].format(local="dLoss/dy = −1"),
                     ROUTER_NOTES["activation"].format(local="dy/dz = y(1 − y)"),
                     ROUTER_NOTES["product"].format(local="dz/dW = X"),
                     ROUTER_NOTES["product"].format(local="dz/dX = W") + " "
                     + INPUT_NOTE.format(name="X")]  # fmt: skip


def every_graph():
    """The neuron (with and without a bias) and the network, in every activation × loss pairing."""
    for activation, loss in PAIRINGS:
        target = 1.0 if loss == "one-minus-y" else 0.25
        for b in (None, 0.5):
            model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), b=b, activation=activation, loss=loss,
                                        target=target))  # fmt: skip
            yield model.graph(model.update(model.initial_params()))
    for activation in ACTIVATION_NAMES:
        for loss in LOSS_NAMES:
            target = 1.0 if loss == "one-minus-y" else 0.25
            model = Mlp(MlpConfig(x=(1.0, -2.0), hidden=3, activation=activation, loss=loss,
                                  target=target))  # fmt: skip
            yield model.graph(model.update(model.initial_params()))


def test_each_steps_note_speaks_of_the_factor_its_own_formula_shows():
    """The product's note on X's step says d…/dX = W, not dz/dW = X; on h[k]'s step it names
    w2[k]; with a bias, the product is W·X, as the formula writes it."""
    for graph in every_graph():
        for step in graph.backward[1:]:
            note, formula = graph.note(step), step.symbol()
            data = INPUT_NOTE.format(name=step.node)
            # Only data, X, is said to be data (it is why its gradient updates nothing).
            assert note.endswith(f" {data}") == (graph.node(step.node).gate == "input"), note
            note = note.removesuffix(f" {data}")
            if len(step.terms) > 1:
                assert note == FAN_OUT_NOTE.format(name=step.node, count=len(step.terms))
                continue
            via = step.terms[0].via
            local = next(e for e in graph.edges_into(via) if e.source == step.node)
            factor = local.symbol.split(" = ")[0]  # "d(W·X)/dX"
            assert factor in note, (step.node, note)
            assert factor in formula or formula == local.symbol, (step.node, formula)
            # No other edge's factor: the note is about this step's gate and input only.
            others = {e.symbol.split(" = ")[0] for e in graph.edges} - {factor}
            assert not any(f"{other} =" in note for other in others), (step.node, note)


def test_the_step_from_the_loss_is_written_by_the_losss_own_rule_not_by_itself():
    for graph in every_graph():
        step = graph.backward[1]
        assert step.symbol() == next(e.symbol for e in graph.edges if e.target == "Loss")
        assert step.symbol().startswith("dLoss/dy = ") and "dLoss/dLoss" not in step.symbol()
        assert step.substituted().startswith("upstream 1 × local ")


def test_fan_out_note_names_the_node_and_its_paths():
    model = Mlp(MlpConfig(x=(1.0, 2.0), hidden=3))
    graph = model.graph(model.update(model.initial_params()))
    fan_out = FAN_OUT_NOTE.format(name="X", count=3)
    assert graph.note(graph.step_of("X")) == f"{fan_out} {INPUT_NOTE.format(name='X')}"
    slope = ROUTER_NOTES["activation"].format(local="dh[2]/dz1[2] = 1 − h[2]²")  # tanh
    assert graph.note(graph.step_of("z1[2]")) == slope
    assert graph.note(graph.step_of("b2")) == ROUTER_NOTES["sum"].format(local="dz2/db2 = 1")


def test_columns_run_from_the_inputs_to_the_loss():
    for model in (Neuron(NeuronConfig(b=0.25)), Mlp(MlpConfig(x=(1.0, 2.0)))):
        graph = model.graph(model.update(model.initial_params()))
        column = {node.name: node.column for node in graph.nodes}
        for edge in graph.edges:
            assert column[edge.source] < column[edge.target], edge
        assert column["Loss"] == max(column.values())


def test_a_dataset_model_shows_its_example_graph_and_a_batch_its_mean_step():
    base = Neuron(NeuronConfig(w=(0.5, -0.5), x=(0.0, 0.0), b=0.1, loss="bce", target=0.5))
    xor = BUILT_IN["xor"]
    one_at_a_time = OnDataset(base, xor)
    params = one_at_a_time.initial_params()
    record = one_at_a_time.update(params, 2)  # example 3
    graph = one_at_a_time.graph(record)
    own = one_at_a_time.examples[2]
    assert graph.gradients() == own.graph(own.update(params)).gradients()
    assert graph.heading.startswith("example 3/4")
    batch = OnDataset(base, xor, batch=True)
    step = batch.update(params)
    graph = batch.graph(step)
    w_update = next(u for u in graph.updates if u.name == "W")
    assert w_update.gradient == step.gradient[:2]  # the mean over the examples, not example 1's
    assert w_update.next == step.next[:2]
    assert "mean" in graph.heading


@CORE_SETTINGS
@given(mlp_cases())
def test_each_units_path_carries_the_oracles_gradients_and_folds_the_other_units(case):
    """The path to W1[k]: that unit's boxes, X, b2 and one box for the other units, whose value
    is their w2[j]·h[j] added up and whose gradient is dLoss/dz2 (a sum's local is 1)."""
    model, params = case
    c = model.config
    whole = model.graph(model.update(params))
    expected = mlp_expected_gradients(model, params)
    w1, b1, w2, b2 = split_mlp(params, len(c.x), c.hidden)
    e = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
    assert path_starts(whole) == tuple(f"W1[{k}]" for k in range(1, c.hidden + 1))
    for k in range(1, c.hidden + 1):
        path = path_to(whole, f"W1[{k}]")
        unit = {f"W1[{k}]", f"W1[{k}]·X", f"b1[{k}]", f"z1[{k}]", f"h[{k}]", f"w2[{k}]",
                f"w2[{k}]·h[{k}]"}  # fmt: skip
        names = {node.name for node in path.nodes}
        others = {OTHERS} if c.hidden > 1 else set()
        assert names == unit | {"X", "b2", "z2", "y", "Loss"} | others
        assert sorted(step.node for step in path.backward) == sorted(names)  # each reached once
        gradients = path.gradients()
        for name in names - others:
            assert_close(gradients[name], expected[name], name)
        assert [u.name for u in path.updates] == [f"W1[{k}]", f"b1[{k}]", f"w2[{k}]", "b2"]
        if others:
            h = np.asarray(e["h"])
            rest = sum(float(w2[j]) * h[j] for j in range(c.hidden) if j != k - 1)
            assert_close(path.node(OTHERS).value, rest, "the other units, added up")
            assert_close(gradients[OTHERS], e["dloss_dz2"], "dLoss/d(other units)")
            assert path.step_of(OTHERS).symbol() == "dLoss/d(other units) = dLoss/dz2 · dz2/d(other units)"
        # Every edge joins two boxes drawn; the walk reaches the upstream before the node.
        assert all(edge.source in names and edge.target in names for edge in path.edges)
        order = [step.node for step in path.backward]
        for step in path.backward:
            for term in step.terms:
                assert term.via not in names or order.index(term.via) < order.index(step.node)


def test_a_neurons_one_path_is_its_whole_graph_and_one_unit_folds_nothing():
    neuron = Neuron(NeuronConfig(w=(0.5,), x=(2.0,), b=0.1))
    graph = neuron.graph(neuron.update(neuron.initial_params()))
    assert path_starts(graph) == ("W",)
    path = path_to(graph, "W")
    assert (path.nodes, path.edges, path.backward, path.updates) == (
        graph.nodes, graph.edges, graph.backward, graph.updates)
    single = Mlp(MlpConfig(x=(2.0,), hidden=1))
    whole = single.graph(single.update(single.initial_params()))
    assert path_to(whole, "W1[1]").nodes == whole.nodes
