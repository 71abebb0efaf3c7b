"""--data and --batch in trace, attribute and gradcheck: what they learn, the records they
write, and one clear line for every bad combination or malformed file."""

from __future__ import annotations

import json
import math

import pytest

from calc_tutor.core.datasets import BUILT_IN

from .conftest import run_cli

NEURON_KEYS = ["w", "x", "b", "z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dz_dw",
               "dloss_dw", "dloss_db", "dloss_dx", "w_next", "b_next"]  # fmt: skip


def objects(*argv: str) -> list[dict]:
    result = run_cli(*argv)
    assert result.code == 0, result.err
    return [json.loads(line) for line in result.out.splitlines()]


def sides(*argv: str) -> list[bool]:
    """For each example, whether the trained model's y is on its target's side of 0.5."""
    found = objects("attribute", *argv)
    return [(line["y"] > 0.5) == (t > 0.5) for line, t in zip(found, BUILT_IN[argv[argv.index("--data") + 1]].targets)]


def test_the_network_learns_xor_in_4000_steps_with_the_defaults():
    assert sides("--model", "mlp", "--data", "xor", "--steps", "4000") == [True] * 4


def test_the_neuron_learns_and_but_not_xor():
    assert sides("--data", "and", "--steps", "4000") == [True] * 4
    assert sides("--data", "xor", "--steps", "4000") != [True] * 4


def test_a_neuron_on_xor_says_once_why_it_stalls():
    result = run_cli("trace", "--data", "xor", "--steps", "4000")
    notes = [line for line in result.err.splitlines() if "straight line" in line]
    assert len(notes) == 1 and "ln 2" in notes[0]
    last = json.loads(result.out.splitlines()[-1])
    assert abs(last["loss"] - math.log(2)) < 0.2  # one example's loss, near chance


def test_trace_adds_the_example_and_its_target_after_step():
    lines = objects("trace", "--data", "or", "--steps", "6")
    for line in lines:
        assert list(line)[:3] == ["step", "example", "t"]
        assert list(line)[3:] == NEURON_KEYS
        example = (line["step"] - 1) % 4
        assert line["example"] == example and line["t"] == BUILT_IN["or"].targets[example]
        assert tuple(line["x"]) == BUILT_IN["or"].inputs[example]
    assert lines[0]["b"] == 0.0  # the neuron gets a bias with --data


def test_batch_record_holds_the_mean_and_each_examples_factors():
    (line,) = objects("trace", "--data", "xor", "--batch", "--steps", "1")
    assert list(line) == ["step", "w", "b", "loss", "dloss_dw", "dloss_db", "w_next", "b_next",
                          "examples"]  # fmt: skip
    each = line["examples"]
    assert [e["example"] for e in each] == [0, 1, 2, 3]
    assert all(list(e)[:2] == ["example", "t"] and list(e)[2:] == NEURON_KEYS for e in each)
    assert math.isclose(line["loss"], sum(e["loss"] for e in each) / 4, rel_tol=1e-15)
    for i in range(2):
        assert math.isclose(line["dloss_dw"][i], sum(e["dloss_dw"][i] for e in each) / 4, rel_tol=1e-15)
    assert line["w_next"] == [w - 0.1 * g for w, g in zip(line["w"], line["dloss_dw"])]


def test_text_and_markdown_name_the_example():
    text = run_cli("trace", "--data", "xor", "--steps", "2", "--format", "text").out
    assert "example 2 of 4: X = [0, 1], t = 1" in text and "xor: 4 examples" in text
    markdown = run_cli("trace", "--data", "xor", "--batch", "--steps", "1", "--format", "markdown").out
    assert "examples averaged: n = 4" in markdown


def test_attribute_writes_one_object_per_example():
    lines = objects("attribute", "--model", "mlp", "--data", "xor", "--steps", "3")
    assert [tuple(line["x"]) for line in lines] == list(BUILT_IN["xor"].inputs)
    assert len({json.dumps(line["w1"]) for line in lines}) == 1  # the same parameters for all


@pytest.mark.parametrize("batch", [(), ("--batch",)])
def test_gradcheck_checks_the_loss_of_the_next_update(batch):
    lines = objects("gradcheck", "--data", "xor", "--steps", "5", *batch)
    assert [line["name"] for line in lines] == ["W[1]", "W[2]", "b"]
    (next_update,) = objects("trace", "--data", "xor", "--steps", "6", *batch)[5:]
    assert [line["analytic"] for line in lines] == next_update["dloss_dw"] + [next_update["dloss_db"]]


def test_data_and_batch_go_before_or_after_the_subcommand():
    after = objects("trace", "--data", "and", "--batch", "--steps", "2")
    assert objects("--data", "and", "--batch", "trace", "--steps", "2") == after
    assert objects("--batch", "trace", "--data", "and", "--steps", "2") == after


@pytest.mark.parametrize("argv, flag, words", [
    (("trace", "--data", "xor", "--x", "1,2"), "--x", "does not apply: the inputs come from --data"),
    (("trace", "--data", "xor", "--target", "1"), "--target", "the targets come from --data"),
    (("trace", "--data", "xor", "--loss", "one-minus-y"), "--loss", "cannot learn a dataset"),
    (("trace", "--data", "xor", "--w", "0.5"), "--w", "give one weight per column"),
    (("trace", "--batch"), "--batch", "only applies with --data"),
    (("--data", "nand"), "--data", "unknown dataset 'nand'"),  # the app checks it first
    (("trace", "--data", "nand"), "--data", "unknown dataset 'nand'"),
    (("trace", "--data", "--activation", "relu"), "--data", "expected one argument"),
    (("trace", "--data", "xor", "--activation", "relu"), "--loss", "bce needs"),
    (("trace", "--data", "xor", "--model", "mlp", "--w", "1,1"), "--w", "not used with --model mlp"),
])  # fmt: skip
def test_bad_combinations_get_one_line_naming_the_flag(argv, flag, words):
    result = run_cli(*argv)
    assert result.code == 2 and result.out == ""
    assert len(result.err.splitlines()) == 1
    assert flag in result.err and words in result.err, result.err


@pytest.mark.parametrize("text, words", [
    ("", "the file is empty"),
    ("a,b,t\n1,2,0\n", "line 1: the header"),
    ("x1,t\n", "no examples after the header"),
    ("x1,t\n0,1\n1\n", "line 3: 1 values"),
    ("x1,t\n0,1\nabc,0\n", "line 3, x1"),
    ("x1,t\n0,1\n1,nan\n", "line 3, t: NaN"),
    ("x1,t\n0,1\n1,2\n", "line 3: 2 is outside [0, 1]"),
])  # fmt: skip
def test_every_malformed_file_names_its_line(tmp_path, text, words):
    path = tmp_path / "examples.csv"
    path.write_text(text, encoding="utf-8")
    result = run_cli("trace", "--data", str(path))
    assert result.code == 2 and result.out == "" and len(result.err.splitlines()) == 1
    assert result.err.startswith("calc-tutor trace: error: --data: ") and words in result.err, result.err


def test_a_missing_file_is_named(tmp_path):
    result = run_cli("gradcheck", "--data", str(tmp_path / "absent.csv"))
    assert result.code == 2 and "--data" in result.err and "no such file" in result.err


def test_a_csv_file_trains_with_its_own_width(tmp_path):
    path = tmp_path / "three.csv"
    path.write_text("x1,x2,x3,t\n1,0,2,1\n0,1,-1,0\n", encoding="utf-8")
    lines = objects("trace", "--data", str(path), "--w", "0.1,0.2,0.3", "--steps", "2")
    assert lines[0]["w"] == [0.1, 0.2, 0.3] and lines[1]["x"] == [0.0, 1.0, -1.0]
