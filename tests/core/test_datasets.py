"""Datasets (``--data``): the built-in gates, and CSV files whose every fault is named by line."""

from __future__ import annotations

import pytest

from calc_tutor.core.config import ConfigError
from calc_tutor.core.datasets import BUILT_IN, load_dataset, parse_csv


@pytest.mark.parametrize(("name", "truth"), [
    ("and", lambda a, b: a and b), ("or", lambda a, b: a or b), ("xor", lambda a, b: a != b),
])  # fmt: skip
def test_the_gates_are_their_truth_tables(name, truth):
    data = load_dataset(name.upper())  # names are not case-sensitive
    assert data.features == 2 and len(data) == 4
    for (a, b), t in zip(data.inputs, data.targets):
        assert t == float(truth(bool(a), bool(b)))
    assert {x for x in data.inputs} == {(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)}


def test_a_csv_file_reads_its_examples(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("x1,x2,x3,t\n1,-2,3.5,1\n\n0,0.25,-1e-3,0\n")
    data = load_dataset(str(path))
    assert data.inputs == ((1.0, -2.0, 3.5), (0.0, 0.25, -0.001))
    assert data.targets == (1.0, 0.0)
    assert data.name == "points.csv"


@pytest.mark.parametrize(("text", "said"), [
    ("", "the file is empty"),
    ("a,b,t\n1,2,3\n", "line 1: the header is 'a,b,t'; expected x1,x2,t"),
    ("x1,t\n", "no examples after the header"),
    ("x1,x2,t\n1,2\n", "line 2: 2 values; the header has 3"),
    ("x1,t\n1,0\n2,oops\n", "line 3, t: 'oops' is not a number"),
    ("x1,t\n1,0\n\n+2,1\n", "line 4, x1:"),
    ("x1,t\nnan,1\n", "line 2, x1: NaN is not allowed"),
])  # fmt: skip
def test_every_fault_in_a_csv_names_its_line(text, said):
    with pytest.raises(ConfigError) as caught:
        parse_csv(text, "f.csv")
    assert caught.value.field == "data"
    assert caught.value.message.startswith("f.csv")
    assert said in caught.value.message, caught.value.message


def test_unknown_names_and_missing_files_are_said_plainly(tmp_path):
    with pytest.raises(ConfigError, match="unknown dataset 'nand'; choose one of: and, or, xor"):
        load_dataset("nand")
    with pytest.raises(ConfigError, match="no such file"):
        load_dataset(str(tmp_path / "gone.csv"))
    binary = tmp_path / "bad.csv"
    binary.write_bytes(b"x1,t\n\xff\xfe,1\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_dataset(str(binary))


def test_the_built_in_sets_are_the_documented_three():
    assert list(BUILT_IN) == ["and", "or", "xor"]
