"""What a learner can edit about a model: its form, one field a row, and reading it back.

Each model lists its own fields (``model.form(params)``) and builds a new model from them
(``Model.from_form(read, previous, params)``), so the inputs panel draws and reads any model
without asking which one it is. The panel supplies ``read``: it parses a field's text with the
parser given, or hands back the exact value behind a field the learner left unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config import MAX_HIDDEN, parse_count, parse_number, parse_vector
from .numbers import fmt_input

# read(name, parse) → the field's value: parse(name, text), or the exact value if unchanged.
Read = Callable[[str, Callable[[str, str], Any]], Any]
NO_BIAS = "none (no bias)"  # what an empty bias field means
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class Field:
    name: str  # the flag's and the ConfigError's field name, so an error finds its row
    label: str  # at most 6 cells: the panel's label column
    value: Any  # the exact value behind the text (a float, a vector, an int, a name or None)
    choices: tuple[str, ...] = ()  # a name picked from a list, instead of typed text
    placeholder: str = ""  # what an empty field means

    @property
    def text(self) -> str:
        """The value as the field shows it (ASCII, short: the exact value stays behind it)."""
        return field_text(self.value)


def field_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        return ",".join(fmt_input(v) for v in value)
    return fmt_input(float(value))  # type: ignore[arg-type]


def parse_optional_number(field: str, text: str) -> float | None:
    """An empty field is None (no bias); anything else a number."""
    return parse_number(field, text) if text.strip() else None


def parse_hidden(field: str, text: str) -> int:
    return parse_count(field, text, 1, MAX_HIDDEN)


def parse_seed(field: str, text: str) -> int:
    return parse_count(field, text, 0, MAX_SEED)


__all__ = [
    "Field", "NO_BIAS", "Read", "field_text", "parse_hidden", "parse_number",
    "parse_optional_number", "parse_seed", "parse_vector",
]  # fmt: skip
