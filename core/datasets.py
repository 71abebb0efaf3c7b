"""Datasets a model can learn (``--data``): the built-in logic gates, or a CSV file of examples.

A dataset is a list of examples, each inputs X = (x1, …, xn) and a target t. The gates have two
inputs and four examples; a CSV file has a header row (``x1,…,xn,t``) and one example a row.
Anything malformed is a ConfigError on the field ``data`` that names the file, the line and what
is wrong, so the command line and the app say it the same way.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .config import MAX_FEATURES, ConfigError, parse_number, shorten

MAX_EXAMPLES = 10_000  # a dataset a learner steps through, not a training corpus


@dataclass(frozen=True)
class Dataset:
    name: str
    inputs: tuple[tuple[float, ...], ...]  # one row of X per example
    targets: tuple[float, ...]  # one t per example
    lines: tuple[int, ...] = ()  # each example's line in its file (none for a built-in set)

    def where(self, index: int) -> str:
        """Where example ``index`` (from 0) comes from, for a message: its file's line."""
        if self.lines:
            return f"{self.name}, line {self.lines[index]}"
        return f"{self.name}, example {index + 1}"

    @property
    def features(self) -> int:
        return len(self.inputs[0])

    def __len__(self) -> int:
        return len(self.targets)


def _gate(name: str, truth: tuple[int, int, int, int]) -> Dataset:
    inputs = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
    return Dataset(name, inputs, tuple(float(t) for t in truth))


BUILT_IN: dict[str, Dataset] = {
    "and": _gate("and", (0, 0, 0, 1)),
    "or": _gate("or", (0, 1, 1, 1)),
    "xor": _gate("xor", (0, 1, 1, 0)),
}


def load_dataset(spec: str) -> Dataset:
    """A built-in dataset by name, or a CSV file by path; raises ConfigError("data", …)."""
    name = spec.strip()
    if name.lower() in BUILT_IN:
        return BUILT_IN[name.lower()]
    path = Path(name)
    if not name.lower().endswith(".csv"):
        raise ConfigError("data", f"unknown dataset {shorten(name)!r}; choose one of: "
                                  f"{', '.join(BUILT_IN)}, or a file ending in .csv")  # fmt: skip
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("data", f"{shorten(name)}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else error.strerror
        raise ConfigError("data", f"{shorten(name)}: cannot be read ({reason})") from None
    return parse_csv(text, path.name)


def parse_csv(text: str, name: str) -> Dataset:
    """Examples from CSV text: a header ``x1,…,xn,t``, then one row of numbers per example."""
    rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
            if any(cell.strip() for cell in row)]  # fmt: skip
    if not rows:
        raise ConfigError("data", f"{name}: the file is empty; expected a header x1,…,xn,t")
    header_line, header = rows[0]
    columns = [cell.strip().lower() for cell in header]
    expected = [f"x{i}" for i in range(1, len(columns))] + ["t"]
    if len(columns) < 2 or columns != expected:
        raise ConfigError("data", f"{name}, line {header_line}: the header is "
                                  f"{shorten(','.join(header))!r}; expected "
                                  f"{','.join(expected if len(columns) >= 2 else ['x1', 't'])}")  # fmt: skip
    if len(columns) - 1 > MAX_FEATURES:
        raise ConfigError("data", f"{name}: {len(columns) - 1} inputs; at most {MAX_FEATURES}")
    examples = rows[1:]
    if not examples:
        raise ConfigError("data", f"{name}: no examples after the header")
    if len(examples) > MAX_EXAMPLES:
        raise ConfigError("data", f"{name}: {len(examples):,} examples; at most {MAX_EXAMPLES:,}")
    inputs, targets, lines = [], [], []
    for line, row in examples:
        if len(row) != len(columns):
            raise ConfigError("data", f"{name}, line {line}: {len(row)} values; the header has "
                                      f"{len(columns)}")  # fmt: skip
        values = []
        for column, cell in zip(columns, row):
            try:
                values.append(parse_number(column, cell))
            except ConfigError as error:
                raise ConfigError("data", f"{name}, line {line}, {column}: {error.message}") from None
        inputs.append(tuple(values[:-1]))
        targets.append(values[-1])
        lines.append(line)
    return Dataset(name, tuple(inputs), tuple(targets), tuple(lines))
