"""Each model's form: the rows it lists read back into the same model, and edits do what they say."""

from __future__ import annotations

import pytest

from calc_tutor.core.config import ConfigError, MlpConfig, NeuronConfig
from calc_tutor.core.forms import field_text
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.models import MODEL_KINDS
from calc_tutor.core.neuron import Neuron


def reader(rows, **typed):
    """A ``read`` as the inputs panel gives it: a typed text is parsed, the rest is unchanged."""
    values = {row.name: row for row in rows}

    def read(name, parse):
        if name in typed:
            return parse(name, typed[name]) if parse is not None else typed[name]
        return values[name].value

    return read


def start(model):
    return model, model.initial_params()


@pytest.mark.parametrize("model", [
    Neuron(NeuronConfig(w=(0.25, -1.5), x=(1.0, 2.0), b=0.5, lr=0.1, activation="tanh")),
    Neuron(NeuronConfig()),
    Mlp(MlpConfig(x=(1.0, -2.0), hidden=4, seed=7, lr=0.3, loss="bce", target=0.2)),
], ids=["neuron-bias", "neuron", "mlp"])  # fmt: skip
def test_an_unchanged_form_reads_back_the_same_model_and_start(model):
    params = model.initial_params()
    rows = model.form(params)
    again, again_params = type(model).from_form(reader(rows), model, params)
    assert again.config == model.config
    assert again_params == params
    assert again.form(again_params) == rows


def test_the_neurons_form_starts_from_the_weights_it_shows():
    model = Neuron(NeuronConfig(w=(0.5,), x=(2.0,)))
    params = (0.75,)  # W after some updates
    rows = model.form(params)
    assert [r.text for r in rows if r.name == "w"] == ["0.75"]
    edited, start_params = Neuron.from_form(reader(rows, lr="0.2"), model, params)
    assert edited.config.lr == 0.2 and start_params == (0.75,)


def test_the_network_keeps_its_trained_weights_unless_its_shape_or_seed_changes():
    model = Mlp(MlpConfig(x=(1.0, 2.0), hidden=3, seed=0))
    trained = tuple(p + 0.125 for p in model.initial_params())
    rows = model.form(trained)
    kept, kept_params = Mlp.from_form(reader(rows, lr="0.1"), model, trained)
    assert kept.config.lr == 0.1 and kept_params == trained
    for typed in ({"seed": "5"}, {"hidden": "4"}, {"x": "1,2,3"}):
        fresh, fresh_params = Mlp.from_form(reader(rows, **typed), model, trained)
        assert fresh_params == fresh.initial_params() != trained, typed


@pytest.mark.parametrize(("field", "text", "phrase"), [
    ("hidden", "0", "out of range"), ("hidden", "2.5", "not a whole number"),
    ("seed", "-1", "out of range"), ("x", "1,,2", "missing a number"),
])  # fmt: skip
def test_a_bad_network_field_is_refused_by_name(field, text, phrase):
    model = Mlp(MlpConfig())
    params = model.initial_params()
    with pytest.raises(ConfigError) as error:
        Mlp.from_form(reader(model.form(params), **{field: text}), model, params)
    assert error.value.field == field and phrase in error.value.message


def test_switching_model_keeps_the_inputs_rate_loss_target_and_activation():
    neuron = Neuron(NeuronConfig(w=(0.5, 0.5), x=(1.0, 3.0), lr=0.2, loss="mse", target=0.25,
                                 activation="tanh"))  # fmt: skip
    network = MODEL_KINDS["mlp"].like(neuron)
    back = MODEL_KINDS["neuron"].like(network)
    for model in (network, back):
        c = model.config
        assert (c.x, c.lr, c.loss, c.target, c.activation) == ((1.0, 3.0), 0.2, "mse", 0.25, "tanh")
    assert network.config.hidden == MlpConfig().hidden
    assert back.config.w == (0.5, 0.5)


def test_a_switch_to_the_neuron_takes_the_sigmoid_where_the_loss_needs_it():
    relu_network = Mlp(MlpConfig(activation="relu", loss="bce", target=0.3))
    neuron = MODEL_KINDS["neuron"].like(relu_network)  # bce after a ReLU would be refused
    assert neuron.config.activation == "sigmoid" == NeuronConfig().activation


def test_field_texts_are_plain_ascii():
    assert field_text((-0.5, 1e-300)) == "-0.5,1e-300"
    assert field_text(None) == "" and field_text(3) == "3" and field_text("tanh") == "tanh"
