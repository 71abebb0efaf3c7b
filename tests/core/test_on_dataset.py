"""A model trained on a dataset: each update's example, the batch's mean gradient and every
factor against the independent oracle and central differences; the session, the derivation
and the diagnosis with a dataset."""

from __future__ import annotations

import math

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given
from hypothesis import strategies as st

from calc_tutor.core.config import ConfigError, MlpConfig, NeuronConfig
from calc_tutor.core.datasets import BUILT_IN, Dataset, parse_csv
from calc_tutor.core.diagnosis import NoteWatch, diagnose
from calc_tutor.core.gradcheck import gradient_check
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.on_dataset import OnDataset
from calc_tutor.core.session import HistoryLimits, Session

from . import oracle
from .cases import CORE_SETTINGS, assert_close, bits, split_mlp

NEURON_FACTORS = ("z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dloss_dw", "dloss_db",
                  "dloss_dx", "w_next", "b_next")  # fmt: skip
MLP_FACTORS = ("z1", "h", "z2", "y", "loss", "dloss_dz2", "dloss_dw2", "dloss_db2", "dloss_dh",
               "dloss_dz1", "dloss_dw1", "dloss_db1", "dloss_dx", "w1_next", "b1_next",
               "w2_next", "b2_next")  # fmt: skip


@st.composite
def datasets(draw, features: int | None = None) -> Dataset:
    """Random examples with 0/1 or soft targets (bce takes both), inputs of modest size."""
    n = draw(st.integers(1, 6))
    width = features or draw(st.integers(1, 3))
    number = st.floats(-3, 3, allow_nan=False)
    inputs = tuple(tuple(draw(number) for _ in range(width)) for _ in range(n))
    target = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1))
    return Dataset("random", inputs, tuple(draw(target) for _ in range(n)))


@st.composite
def neurons_on_data(draw, batch: bool | None = None) -> tuple[OnDataset, tuple[float, ...]]:
    data = draw(datasets())
    weight = st.floats(-2, 2, allow_nan=False)
    w = tuple(draw(weight) for _ in range(data.features))
    loss = draw(st.sampled_from(["bce", "mse"]))
    config = NeuronConfig(w=w, x=data.inputs[0], b=draw(weight), lr=draw(st.floats(0.01, 2)),
                          loss=loss, target=0.5)  # fmt: skip
    batch = draw(st.booleans()) if batch is None else batch
    model = OnDataset(Neuron(config), data, batch)
    return model, model.initial_params()


@st.composite
def networks_on_data(draw, batch: bool | None = None) -> tuple[OnDataset, tuple[float, ...]]:
    data = draw(datasets())
    config = MlpConfig(x=data.inputs[0], hidden=draw(st.integers(1, 4)),
                       seed=draw(st.integers(0, 1000)), lr=draw(st.floats(0.01, 2)),
                       activation=draw(st.sampled_from(["tanh", "sigmoid", "silu"])),
                       loss=draw(st.sampled_from(["bce", "mse"])), target=0.5)  # fmt: skip
    batch = draw(st.booleans()) if batch is None else batch
    model = OnDataset(Mlp(config), data, batch)
    return model, model.initial_params()


def neuron_oracle(model: OnDataset, params, example: int) -> dict:
    c = model.config
    w, b = params[:-1], params[-1]
    return oracle.neuron_expected(w, model.dataset.inputs[example], b, c.lr, c.activation, c.loss,
                                  model.dataset.targets[example])  # fmt: skip


def mlp_oracle(model: OnDataset, params, example: int) -> dict:
    c = model.config
    w1, b1, w2, b2 = split_mlp(params, model.dataset.features, c.hidden)
    return oracle.mlp_expected(w1, b1, w2, b2, model.dataset.inputs[example], c.lr, c.activation,
                               c.loss, model.dataset.targets[example])  # fmt: skip


def mean_loss_oracle(model: OnDataset):
    """The mean loss over the dataset as a function of the flat parameters, from the textbook."""
    c, data = model.config, model.dataset
    act, loss_of = oracle.ACTIVATIONS[c.activation], oracle.LOSSES[c.loss]
    inputs, targets = np.array(data.inputs), np.array(data.targets)
    if model.kind == "neuron":  # the test, not the engine, knows each layout

        def forward(p):
            return act(anp.dot(inputs, p[:-1]) + p[-1])
    else:
        n, hidden = data.features, c.hidden

        def forward(p):
            w1 = anp.reshape(p[: hidden * n], (hidden, n))
            b1, w2, b2 = p[hidden * n : hidden * (n + 1)], p[hidden * (n + 1) : -1], p[-1]
            z2 = anp.dot(act(anp.dot(inputs, w1.T) + b1), w2) + b2
            return 1.0 / (1.0 + anp.exp(-z2))

    return lambda p: anp.mean(loss_of(forward(p), targets))


# ---- one example an update ------------------------------------------------------------------


@CORE_SETTINGS
@given(neurons_on_data(batch=False), st.integers(0, 20))
def test_each_neuron_update_uses_its_example_and_matches_autograd(case, index):
    model, params = case
    record = model.update(params, index)
    example = index % len(model.dataset)
    assert record.example == example and record.t == model.dataset.targets[example]
    assert record.x == model.dataset.inputs[example]
    expected = neuron_oracle(model, params, example)
    for name in NEURON_FACTORS:
        assert_close(getattr(record, name), expected[name], name)
    assert model.gradient(record) == record.dloss_dw + (record.dloss_db,)


@CORE_SETTINGS
@given(networks_on_data(batch=False), st.integers(0, 20))
def test_each_network_update_uses_its_example_and_matches_autograd(case, index):
    model, params = case
    record = model.update(params, index)
    example = index % len(model.dataset)
    assert record.example == example
    expected = mlp_oracle(model, params, example)
    for name in MLP_FACTORS:
        assert_close(getattr(record, name), expected[name], name)


def test_updates_take_the_examples_in_turn():
    model = OnDataset(Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0, loss="bce")), BUILT_IN["xor"])
    params = model.initial_params()
    seen = []
    for index in range(9):
        record = model.update(params, index)
        seen.append((record.example, record.t))
        params = model.next_params(record)
    assert seen == [(i % 4, (0.0, 1.0, 1.0, 0.0)[i % 4]) for i in range(9)]


# ---- the mean gradient over all examples ----------------------------------------------------


@CORE_SETTINGS
@given(st.one_of(neurons_on_data(batch=True), networks_on_data(batch=True)))
def test_batch_update_descends_the_mean_loss(case):
    model, params = case
    record = model.update(params, 7)
    mean_loss = mean_loss_oracle(model)
    flat = np.array(params, dtype=np.float64)
    assert_close(record.loss, float(mean_loss(flat)), "loss")
    expected_gradient = grad(mean_loss)(flat)
    assert_close(model.gradient(record), expected_gradient, "mean gradient")
    assert_close(model.next_params(record), flat - model.config.lr * expected_gradient, "next")
    # Each example's own record is kept, and each is that example's textbook update.
    expected_each = neuron_oracle if model.kind == "neuron" else mlp_oracle
    for example, own in enumerate(record.records):
        assert_close(own.loss, expected_each(model, params, example)["loss"], "example loss")
    # The trace keys: the parameters, the mean loss, the mean gradient, the new parameters.
    parts = {name.lower() for name in model.param_parts(params)}
    assert set(record.trace_keys) == (parts | {"loss", "examples"} | {f"dloss_d{p}" for p in parts}
                                      | {f"{p}_next" for p in parts})  # fmt: skip
    assert [e["example"] for e in record.examples] == list(range(len(model.dataset)))


@CORE_SETTINGS
@given(st.one_of(neurons_on_data(), networks_on_data()), st.integers(0, 10))
def test_gradient_matches_central_differences_of_the_loss_it_descends(case, index):
    model, params = case
    mean_loss = mean_loss_oracle(model)
    record = model.update(params, index)
    analytic = model.gradient(record)
    h = 1e-6
    for i, p in enumerate(params):
        up = params[:i] + (p + h,) + params[i + 1 :]
        down = params[:i] + (p - h,) + params[i + 1 :]
        if model.batch:
            numeric = (float(mean_loss(np.array(up))) - float(mean_loss(np.array(down)))) / (2 * h)
        else:  # the one example this update learns from, through its own textbook forward pass
            example = index % len(model.dataset)
            loss_at = lambda q: (neuron_oracle if model.kind == "neuron" else mlp_oracle)(  # noqa: E731
                model, q, example)["loss"]
            numeric = (loss_at(up) - loss_at(down)) / (2 * h)
        assert math.isclose(analytic[i], numeric, rel_tol=1e-5, abs_tol=1e-7), (i, analytic[i], numeric)


@pytest.mark.parametrize("batch", [False, True])
def test_gradient_check_checks_the_next_updates_loss(batch):
    model = OnDataset(Neuron(NeuronConfig(w=(0.3, -0.2), x=(0.0, 0.0), b=0.1, loss="bce")),
                      BUILT_IN["xor"], batch)  # fmt: skip
    params = model.initial_params()
    for index in range(4):
        checks = gradient_check(model, params, update_index=index)
        assert all(check.passed for check in checks)
        assert [c.analytic for c in checks] == list(model.gradient(model.update(params, index)))


# ---- edge cases -----------------------------------------------------------------------------


def test_one_example_batch_equals_one_example_an_update():
    data = Dataset("one", ((1.5, -2.0),), (1.0,))
    base = Neuron(NeuronConfig(w=(0.5, 0.5), x=(1.5, -2.0), b=0.0, loss="bce"))
    stochastic, batch = OnDataset(base, data), OnDataset(base, data, batch=True)
    params = base.initial_params()
    for index in range(5):
        one, mean = stochastic.update(params, index), batch.update(params, index)
        assert mean.loss == one.loss
        assert mean.gradient == stochastic.gradient(one)
        assert batch.next_params(mean) == stochastic.next_params(one)
        params = stochastic.next_params(one)


def test_a_constant_column_gets_the_gradient_of_a_constant_input():
    # x2 = 3 in every example: its weight's slope is 3 × dLoss/dz, example by example.
    data = parse_csv("x1,x2,t\n0,3,0\n1,3,1\n2,3,1\n", "constant.csv")
    model = OnDataset(Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 3.0), b=0.0, loss="bce")), data, True)
    record = model.update(model.initial_params())
    mean_dz = sum(r.dloss_dz for r in record.records) / 3
    assert math.isclose(record.dloss_dw[1], 3 * mean_dz, rel_tol=1e-15)
    assert math.isclose(record.dloss_db, mean_dz, rel_tol=1e-15)


def test_bce_at_saturation_keeps_every_number_finite_and_exact():
    # z = ±60: y rounds to 1 or sits at 1e-26; the logit form of bce still gives y − t exactly.
    data = Dataset("far", ((60.0,), (-60.0,), (60.0,)), (1.0, 0.0, 0.0))
    model = OnDataset(Neuron(NeuronConfig(w=(1.0,), x=(60.0,), b=0.0, loss="bce")), data, True)
    record = model.update(model.initial_params())
    assert model.non_finite(record) is None
    # The wrong-side example costs about 60 (−ln σ(−60)); the right ones about e^−60.
    assert math.isclose(record.loss, (60.0 + 2 * math.log1p(math.exp(-60.0))) / 3, rel_tol=1e-12)
    # The textbook's log(1 − y) is −inf here, so the reference is dLoss/dz = y − t by hand:
    # σ(−60) = s, so the examples' y − t are −s, s and 1 − s.
    s = 1 / (1 + math.exp(60.0))
    expected = (((-s) * 60 + s * (-60) + (1 - s) * 60) / 3, (-s + s + (1 - s)) / 3)
    assert_close(record.gradient, expected, "gradient at saturation", rtol=1e-15)


def test_a_target_the_loss_cannot_take_names_its_line():
    data = parse_csv("x1,t\n0,0\n1,1.5\n", "bad.csv")
    with pytest.raises(ConfigError) as error:
        OnDataset(Neuron(NeuronConfig(w=(0.5,), x=(0.0,), b=0.0, loss="bce")), data)
    assert error.value.field == "data" and "bad.csv, line 3" in error.value.message


def test_a_dataset_of_another_width_is_refused():
    with pytest.raises(ConfigError) as error:
        OnDataset(Neuron(NeuronConfig(w=(0.5,), x=(1.0,), b=0.0, loss="bce")), BUILT_IN["and"])
    assert error.value.field == "data" and "2 input(s)" in error.value.message


# ---- the session, the derivation and the diagnosis -------------------------------------------


@pytest.mark.parametrize("batch", [False, True])
def test_session_recomputes_each_step_with_its_own_example(batch):
    base = Mlp(MlpConfig(x=(0.0, 0.0), loss="bce", lr=0.1))
    model = OnDataset(base, BUILT_IN["xor"], batch)
    # Rows thinned to a few: most steps are replayed from a checkpoint, example by example.
    session = Session(model, limits=HistoryLimits(row_bytes=model.n_params * 8 * 4))
    session.forward(37)
    params = model.initial_params()
    for step in range(1, 38):
        record = model.update(params, step - 1)
        assert bits(session.params(step - 1)) == bits(params)
        assert bits(model.gradient(session.record(step))) == bits(model.gradient(record))
        params = model.next_params(record)
    if not batch:
        assert session.record(6).example == 1  # step 6 is update index 5: example 5 mod 4


def test_derivation_says_which_example_or_that_it_is_a_mean():
    base = Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0, loss="bce"))
    model = OnDataset(base, BUILT_IN["xor"])
    first = model.derivation(model.update(model.initial_params(), 2), 3).lines[0]
    assert first.symbol == "example 3 of 4: X = [1, 0], t = 1"
    batch = OnDataset(base, BUILT_IN["xor"], batch=True)
    lines = batch.derivation(batch.update(batch.initial_params()), 1).lines
    assert lines[0].symbol == "examples averaged: n = 4"
    assert lines[0].value == 4


def run_notes(model, steps):
    watch, params, notes = NoteWatch(model), model.initial_params(), []
    for index in range(steps):
        record = model.update(params, index)
        note = watch.see(record)
        if note is not None:
            notes.append(note)
        params = model.next_params(record)
    return notes, params


@pytest.mark.parametrize("batch", [False, True])
def test_a_neuron_on_xor_is_told_why_it_stalls(batch):
    model = OnDataset(Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0, loss="bce", lr=0.1)),
                      BUILT_IN["xor"], batch)  # fmt: skip
    notes, params = run_notes(model, 2000)
    assert [n.kind for n in notes] == ["one-line"]  # once, and no bounce claimed
    assert "no straight line" in notes[0].text
    losses = [m.forward_loss(params) for m in model.each_example()]
    assert abs(sum(losses) / 4 - math.log(2)) < 0.01


@pytest.mark.parametrize("name, base", [
    ("and", Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0, loss="bce", lr=0.1))),
    ("xor", Mlp(MlpConfig(x=(0.0, 0.0), loss="bce", lr=0.1))),
])  # fmt: skip
def test_no_such_note_where_the_model_can_split_the_classes(name, base):
    notes, _ = run_notes(OnDataset(base, BUILT_IN[name]), 2000)
    assert "one-line" not in [n.kind for n in notes]


def test_no_such_note_for_a_slow_run_on_separable_data():
    # α tiny: the loss of `and` falls slowly from near ln 2, but its slope is far from flat.
    model = OnDataset(Neuron(NeuronConfig(w=(0.0, 0.0), x=(0.0, 0.0), b=0.0, loss="bce", lr=1e-6)),
                      BUILT_IN["and"])  # fmt: skip
    notes, _ = run_notes(model, 1000)
    assert "one-line" not in [n.kind for n in notes]
    records = [model.update(model.initial_params(), i) for i in range(20)]
    assert diagnose(model, records) is None
