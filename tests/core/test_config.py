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
    [("0.5", 0.5), (" -2 ", -2.0), ("1e-3", 0.001), ("-0", 0.0), ("1e300", 1e300),
     ("-0.5", -0.5), (".5", 0.5), ("5.", 5.0), ("2e-3", 0.002), ("1E+5", 100000.0),
     ("-.25e1", -2.5), ("0e-999", 0.0), ("1e-307", 1e-307), ("-2.5e-308", -2.5e-308)],
)  # fmt: skip
def test_parse_number_accepts_plain_ascii_numbers(text, expected):
    assert parse_number("lr", text) == expected


# Python's float() takes all of these, so each would be used as a number unlike what it looks like.
LOOKALIKES = [
    ("+3", "'+'"), ("+0.5", "'+'"), ("1_000", "'_'"), ("0.000_1", "'_'"),
    ("\uff11", "0-9"), ("\uff10.5", "0-9"), ("\u0661", "0-9"), ("\u00b2", "0-9"),
    ("\u22120.5", "'-'"), ("0x10", "not a number"), ("1e", "not a number"), ("e5", "not a number"),
    ("--1", "not a number"), ("1e+-3", "not a number"), (".", "not a number"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "words"), LOOKALIKES)
def test_parse_number_refuses_what_only_looks_like_a_number(text, words):
    with raises_for("w") as caught:
        parse_number("w", text)
    assert words in caught.value.message


@pytest.mark.parametrize(("text", "words"), [
    ("+3", "'+'"), ("1_000", "'_'"), ("\uff11", "0-9"), ("\u0661\u0660", "0-9"), ("\u22123", "'-'"),
    ("0x10", "not a whole number"), ("1e3", "not a whole number"), ("3.", "not a whole number"),
])  # fmt: skip
def test_parse_count_refuses_the_same_lookalikes(text, words):
    with raises_for("steps") as caught:
        parse_count("steps", text, 0, MAX_STEPS)
    assert words in caught.value.message


@pytest.mark.parametrize("text", ["1e-400", "-1e-400", "0.0000001e-320", "1e-310", "-4e-324"])
def test_a_number_too_small_to_store_is_refused_not_rounded(text):
    # Python would store 1e-400 as 0 and 1e-310 with fewer digits than it shows, without a word.
    with raises_for("lr") as caught:
        parse_number("lr", text)
    message = caught.value.message
    assert message.startswith(f"'{text}' is too small to store")
    assert "write 0" in message
    smallest = float(message.rsplit("at least ", 1)[1].split()[0])
    assert smallest >= 2.2250738585072014e-308  # the advice itself is a full-precision number
    assert parse_number("lr", message.rsplit("at least ", 1)[1].split()[0]) == smallest


def test_underflow_to_zero_says_so():
    with pytest.raises(ConfigError) as caught:
        parse_vector("w", "0.5,1e-400")
    assert "value 2" in caught.value.message and "round to 0" in caught.value.message


@pytest.mark.parametrize("parse", [
    lambda text: parse_number("w", text),
    lambda text: parse_vector("w", text),
    lambda text: parse_vector("w", f"1,{text}"),
    lambda text: parse_count("steps", text, 0, MAX_STEPS),
    lambda text: parse_name("loss", text, list(LOSS_NAMES)),
])  # fmt: skip
@pytest.mark.parametrize("text", ["z" * 100_000, "9" * 100_000, "1e" + "9" * 100_000])
def test_a_huge_value_is_not_echoed_back_in_full(parse, text):
    try:
        parse(text)
    except ConfigError as error:
        assert len(error.message) < 200, len(error.message)
        if text[:30] in error.message:
            assert "…" in error.message  # shown cut, and saying so
    else:
        raise AssertionError("a 100 KB value was accepted")


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


@pytest.mark.parametrize("text", ["-1", "-100", str(MAX_STEPS + 1), "1.5", "ten", "", "nan", "1e3",
                                  "9" * 5000, "-" + "9" * 5000])  # fmt: skip
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


# Outputs that never exceed 1: the only ones under which Loss = 1 − y has a floor.
AT_MOST_1 = ("sigmoid", "tanh")


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize(("loss", "target"), [("one-minus-y", 1.0), ("mse", -3.0), ("bce", 0.0),
                                              ("bce", 1.0), ("bce", 0.3)])  # fmt: skip
def test_validate_neuron_accepts_exactly_the_valid_pairings(activation, loss, target):
    config = replace(VALID_NEURON, activation=activation, loss=loss, target=target)
    refused = (loss == "bce" and activation != "sigmoid") or (
        loss == "one-minus-y" and activation not in AT_MOST_1
    )
    if refused:
        with raises_for("loss"):
            validate_neuron(config)
    else:
        assert validate_neuron(config) == config


@pytest.mark.parametrize("activation", [name for name in ACTIVATION_NAMES if name not in AT_MOST_1])
def test_one_minus_y_without_a_bounded_output_says_why_and_what_works(activation):
    with raises_for("loss") as caught:
        validate_neuron(replace(VALID_NEURON, activation=activation, loss="one-minus-y"))
    message = caught.value.message
    assert f"with {activation} it" in message and "never exceeds 1" in message
    assert "falls forever" in message
    # Every way out it names is accepted: mse with a target, or a bounded activation.
    assert "give --loss mse and a --target" in message and "bce" not in message  # bce needs σ
    assert validate_neuron(replace(VALID_NEURON, activation=activation, loss="mse", target=0.5))
    for bounded in AT_MOST_1:
        assert bounded in message
        assert validate_neuron(replace(VALID_NEURON, activation=bounded, loss="one-minus-y"))


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
