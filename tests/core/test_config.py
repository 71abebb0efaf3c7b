"""Config validation: every bad input is a ConfigError naming its field."""

from __future__ import annotations

from dataclasses import replace

import pytest

from calc_tutor.core.config import (
    MAX_HIDDEN,
    MAX_STEPS,
    ConfigError,
    MlpConfig,
    NeuronConfig,
    parse_count,
    parse_name,
    parse_number,
    parse_vector,
    validate_mlp,
    validate_neuron,
)
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron

from .cases import ACTIVATION_NAMES, LOSS_NAMES


def raises_for(field: str):
    """Expect a ConfigError for ``field`` with a message a learner can read."""
    def names_field(error: ConfigError) -> bool:
        return error.field == field and str(error) == error.message != ""

    return pytest.raises(ConfigError, check=names_field)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.5", 0.5), (" -2 ", -2.0), ("1e-3", 0.001), ("+3", 3.0), ("-0", 0.0), ("1e300", 1e300)],
)
def test_parse_number_accepts_finite_numbers(text, expected):
    assert parse_number("lr", text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "0.5.1", "1,2", "nan", "NaN", "-nan", "inf", "-inf", "Infinity",
             "1e999", "-1e999"],
)  # fmt: skip
def test_parse_number_refuses_what_is_not_a_finite_number(text):
    with raises_for("target"):
        parse_number("target", text)


def test_parse_number_messages_say_what_was_wrong():
    for text, words in (("", "empty"), ("abc", "not a number"), ("nan", "NaN"), ("inf", "infinite"),
                        ("1e999", "infinite")):  # fmt: skip
        with pytest.raises(ConfigError) as caught:
            parse_number("bias", text)
        assert words in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.5", (0.5,)), ("0.5,-0.25", (0.5, -0.25)), (" 1 , 2 ,3 ", (1.0, 2.0, 3.0))],
)
def test_parse_vector_reads_comma_separated_numbers(text, expected):
    assert parse_vector("w", text) == expected


@pytest.mark.parametrize(
    "text", ["", " ", "1,", ",1", "1,,2", "1,abc", "1,nan", "1,inf", "abc", ",".join(["1"] * 65)]
)
def test_parse_vector_refuses_missing_or_bad_elements(text):
    with raises_for("x"):
        parse_vector("x", text)


def test_parse_vector_says_which_element_is_wrong():
    with pytest.raises(ConfigError) as caught:
        parse_vector("w", "1,2,,4")
    assert "3" in caught.value.message
    with pytest.raises(ConfigError) as caught:
        parse_vector("w", "1,zz")
    assert "2" in caught.value.message and "'zz'" in caught.value.message


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_parse_name_accepts_every_activation_in_any_case(name):
    assert parse_name("activation", f" {name.upper()} ", list(ACTIVATION_NAMES)) == name


@pytest.mark.parametrize("text", ["", "sigmoidx", "soft plus", "gelu"])
def test_parse_name_refuses_unknown_names_and_lists_the_choices(text):
    with pytest.raises(ConfigError) as caught:
        parse_name("loss", text, list(LOSS_NAMES))
    assert caught.value.field == "loss"
    assert all(name in caught.value.message for name in LOSS_NAMES)


@pytest.mark.parametrize(
    ("text", "expected"), [("0", 0), (" 25 ", 25), (str(MAX_STEPS), MAX_STEPS)]
)
def test_parse_count_accepts_whole_numbers_in_range(text, expected):
    assert parse_count("steps", text, 0, MAX_STEPS) == expected


@pytest.mark.parametrize("text", ["-1", "-100", str(MAX_STEPS + 1), "1.5", "ten", "", "nan", "1e3"])
def test_parse_count_refuses_steps_out_of_range_or_not_whole(text):
    with raises_for("steps"):
        parse_count("steps", text, 0, MAX_STEPS)


# ---- whole configs ---------------------------------------------------------------------------

VALID_NEURON = NeuronConfig(w=(0.5, -0.25), x=(1.0, 2.0), b=0.1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"w": (0.5,)}, "w"),  # lengths differ
        ({"w": (0.5, 1.0, 2.0)}, "w"),
        ({"activation": "gelu"}, "activation"),
        ({"loss": "hinge"}, "loss"),
        ({"activation": "tanh", "loss": "bce", "target": 0.5}, "loss"),  # bce needs σ
        ({"activation": "relu", "loss": "bce", "target": 0.5}, "loss"),
        ({"loss": "bce", "target": 1.5}, "target"),
        ({"loss": "bce", "target": -0.01}, "target"),
        ({"loss": "one-minus-y", "target": 0.5}, "target"),
        ({"lr": 0.0}, "lr"),
        ({"lr": -0.1}, "lr"),
        ({"lr": float("nan")}, "lr"),
        ({"w": (), "x": ()}, "x"),  # no features at all: equal lengths, still nothing to learn
    ],
)
def test_validate_neuron_names_the_bad_field(change, field):
    with raises_for(field):
        validate_neuron(replace(VALID_NEURON, **change))
    with raises_for(field):  # a model cannot be built from it either
        Neuron(replace(VALID_NEURON, **change))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize(("loss", "target"), [("one-minus-y", 1.0), ("mse", -3.0), ("bce", 0.0),
                                              ("bce", 1.0), ("bce", 0.3)])  # fmt: skip
def test_validate_neuron_accepts_exactly_the_valid_pairings(activation, loss, target):
    config = replace(VALID_NEURON, activation=activation, loss=loss, target=target)
    if loss == "bce" and activation != "sigmoid":
        with raises_for("loss"):
            validate_neuron(config)
    else:
        assert validate_neuron(config) == config


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hidden": 0}, "hidden"),
        ({"hidden": MAX_HIDDEN + 1}, "hidden"),
        ({"activation": "gelu"}, "activation"),
        ({"loss": "hinge"}, "loss"),
        ({"loss": "bce", "target": 2.0}, "target"),
        ({"loss": "one-minus-y", "target": 0.0}, "target"),
        ({"lr": -1.0}, "lr"),
        ({"x": ()}, "x"),
    ],
)
def test_validate_mlp_names_the_bad_field(change, field):
    with raises_for(field):
        validate_mlp(replace(MlpConfig(), **change))
    with raises_for(field):
        Mlp(replace(MlpConfig(), **change))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_mlp_allows_bce_with_any_hidden_activation(activation):
    # The network's output unit is always a sigmoid, so bce is valid whatever the hidden layer.
    config = MlpConfig(activation=activation, loss="bce", target=0.25, hidden=MAX_HIDDEN)
    assert validate_mlp(config) == config


def test_defaults_are_valid_and_reproduce_the_source():
    neuron = validate_neuron(NeuronConfig())
    assert (neuron.b, neuron.activation, neuron.loss, neuron.target) == (
        None, "sigmoid", "one-minus-y", 1.0)  # fmt: skip
    assert validate_mlp(MlpConfig()) == MlpConfig()
