"""The network's starting weights by hand: --w1, --b1, --w2, --b2 (issue 7, lesson 5 needs them).

Each is optional (the rest still come from --seed), only with --model mlp, and its count is
checked against H and n with a message naming the flag.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from calc_tutor.core.config import ConfigError, MlpConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.tui.cli import model_from_flags

from ..core import oracle
from .conftest import run_cli

LESSON_5 = ("--model", "mlp", "--hidden", "1", "--activation", "sigmoid", "--w1", "0.5",
            "--w2", "1.5", "--b1", "0", "--b2", "0", "--x", "2", "--loss", "one-minus-y")  # fmt: skip


def first_update(*argv: str) -> dict:
    result = run_cli("trace", "--steps", "1", *argv)
    assert result.code == 0 and result.err == "", result.err
    (line,) = result.out.splitlines()
    return json.loads(line)


def refused(*argv: str) -> str:
    result = run_cli("trace", "--steps", "1", *argv)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    return line


def test_the_issues_two_layer_example():
    line = first_update(*LESSON_5)
    assert line["w1"] == [[0.5]] and line["w2"] == [1.5] and line["b1"] == [0.0] and line["b2"] == 0.0
    assert round(line["dloss_dw2"][0], 6) == -0.137212
    assert round(line["dloss_dw1"][0][0], 6) == -0.110706
    tanh = first_update(*LESSON_5[:4], "--activation", "tanh", *LESSON_5[6:])
    assert round(tanh["dloss_dw1"][0][0], 6) == -0.231038


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_the_example_agrees_with_the_autodiff_oracle(activation):
    argv = [*LESSON_5[:4], "--activation", activation, *LESSON_5[6:]]
    line = first_update(*argv)
    expected = oracle.mlp_expected([[0.5]], [0.0], [1.5], 0.0, [2.0], 0.5, activation, "one-minus-y", 1.0)
    for name in ("y", "loss", "dloss_dw2", "dloss_dw1", "dloss_db1", "dloss_db2"):
        np.testing.assert_allclose(line[name], expected[name], rtol=1e-12, err_msg=name)


def test_given_weights_set_exactly_those_and_the_seed_the_rest():
    seeded = first_update("--model", "mlp", "--hidden", "2", "--x", "1,2", "--seed", "4")
    w2_only = first_update("--model", "mlp", "--hidden", "2", "--x", "1,2", "--seed", "4",
                           "--w2", "0.25,-0.75")  # fmt: skip
    assert w2_only["w2"] == [0.25, -0.75]
    assert w2_only["w1"] == seeded["w1"] and w2_only["b1"] == seeded["b1"] == [0.0, 0.0]
    everything = first_update("--model", "mlp", "--hidden", "2", "--x", "1,2", "--w1", "0.1,0.2,0.3,0.4",
                              "--b1", "0.1,-0.2", "--w2", "-1,1", "--b2", "0.3")  # fmt: skip
    # Row by row: hidden unit 1 takes the first n = 2 values.
    assert everything["w1"] == [[0.1, 0.2], [0.3, 0.4]]
    assert everything["b1"] == [0.1, -0.2] and everything["w2"] == [-1.0, 1.0]
    assert everything["b2"] == 0.3
    assert everything["z1"] == pytest.approx([0.1 * 1 + 0.2 * 2 + 0.1, 0.3 * 1 + 0.4 * 2 - 0.2], rel=1e-15)


@pytest.mark.parametrize("flag", ["w1", "b1", "w2", "b2"])
def test_only_with_the_network(flag):
    line = refused(f"--{flag}", "0.5")
    assert line == f"calc-tutor trace: error: --{flag}: only applies with --model mlp"


@pytest.mark.parametrize(("argv", "flag", "needs"), [
    (("--hidden", "2", "--x", "1,2", "--w1", "1,2,3"), "w1", "needs 4: H×n = 2×2, row by row"),
    (("--hidden", "3", "--b1", "0,0"), "b1", "needs 3"),
    (("--hidden", "2", "--w2", "1,2,3"), "w2", "needs 2"),
])  # fmt: skip
def test_a_wrong_count_names_the_flag_and_the_count(argv, flag, needs):
    line = refused("--model", "mlp", *argv)
    assert line.startswith(f"calc-tutor trace: error: --{flag}: has ")
    assert needs in line


def test_a_dataset_fixes_n_for_w1():
    # xor has two input columns: one hidden unit needs two first-layer weights.
    assert "needs 2: H×n = 1×2" in refused("--model", "mlp", "--data", "xor", "--hidden", "1", "--w1", "1")
    line = first_update("--model", "mlp", "--data", "xor", "--hidden", "1", "--w1", "1,-1")
    assert line["w1"] == [[1.0, -1.0]]


@pytest.mark.parametrize(("flag", "value"), [("b2", "1,2"), ("w1", "nan"), ("w2", "x")])
def test_bad_values_name_the_flag(flag, value):
    assert refused("--model", "mlp", "--hidden", "1", f"--{flag}", value).startswith(
        f"calc-tutor trace: error: --{flag}: ")


def test_the_neurons_flags_point_to_the_networks():
    line = refused("--model", "mlp", "--w", "0.5")
    assert "--w1" in line and "--w2" in line


def test_a_config_built_in_code_is_checked_too():
    with pytest.raises(ConfigError) as error:
        Mlp(MlpConfig(hidden=2, w2=(1.0,)))
    assert error.value.field == "w2"
    with pytest.raises(ConfigError) as error:
        Mlp(MlpConfig(hidden=1, b2=float("inf")))
    assert error.value.field == "b2"


def test_an_edit_in_the_app_keeps_given_weights_until_the_shape_or_seed_changes():
    model = model_from_flags(LESSON_5)
    given = model.initial_params()
    assert given == (0.5, 0.0, 1.5, 0.0)
    trained = (0.6, 0.1, 1.6, 0.1)
    fields = {field.name: field.value for field in model.form(trained)}

    def read_with(**changes):
        values = {**fields, **changes}
        return lambda name, parse: values[name]

    same_shape, params = Mlp.from_form(read_with(lr=0.2), model, trained)
    assert params == trained  # training goes on from where it was
    assert same_shape.initial_params() == given  # a restart returns to the given weights
    assert same_shape.config.lr == 0.2
    reseeded, params = Mlp.from_form(read_with(seed=7), model, trained)
    assert params == reseeded.initial_params() != given  # a new seed asks for new weights
    wider, params = Mlp.from_form(read_with(hidden=2), model, trained)
    assert len(params) == wider.n_params == 7  # the given weights fit one hidden unit only


def test_the_summary_says_which_weights_were_given():
    (row,) = [value for label, value in model_from_flags(LESSON_5).summary() if label == "model"]
    assert "W1, b1, w2, b2 given" in row
    (row,) = [value for label, value in model_from_flags(("--model", "mlp")).summary() if label == "model"]
    assert "given" not in row and "seed 0" in row
