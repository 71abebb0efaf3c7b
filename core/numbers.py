"""How numbers are written for a learner: short in substitutions, fuller as values.

Everything a learner reads uses one minus sign, the typographic "−" of the formulas
(``Loss = 1 − y``, ``W = −0.5``); ``--ascii`` turns it into "-" with the rest of the symbols.
Text that is typed back in (the input fields) uses ``fmt_input``: plain ASCII that the parsers take.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

MINUS = "−"
SUBSTITUTION_DIGITS = 4
VALUE_DIGITS = 6
MAX_DIGITS = 17  # enough to write any float64 exactly
_WHOLE = re.compile(r"-?[0-9]+")


def _format(value: float, digits: int, rounded_says_so: bool = False) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else f"{MINUS}inf"
    if value == 0:
        return "0"  # also for -0.0: a signed zero only confuses a learner
    text = format(value, f".{digits}g")
    # A whole number reads as exact: y = 0.99995 written "1" reads as a sigmoid that reached 1,
    # and 1 − y as 0. One that is not whole gets the digits that say so.
    while _WHOLE.fullmatch(text) and not float(value).is_integer() and digits < MAX_DIGITS:
        digits += 1
        text = format(value, f".{digits}g")
    # A rounded number shows all the digits it was rounded to: 0.419974 as "0.4200", not
    # "0.42", which reads as exact, so (−1) × 0.42 = −0.419974 would read false. A number that
    # is exactly what is shown (0.5, 2) stays short.
    if rounded_says_so and float(text) != value:
        text = format(value, f"#.{digits}g").replace(".e", "e").rstrip(".")
    return text.replace("-", MINUS)


def fmt_plain(value: float, digits: int = SUBSTITUTION_DIGITS) -> str:
    """A number inside a substitution where brackets already enclose it: ``tanh(−0.5)``."""
    return _format(value, digits, rounded_says_so=True)


def fmt_sub(value: float, digits: int = SUBSTITUTION_DIGITS) -> str:
    """A number inside a substituted formula, bracketed when negative: ``(−0.25)``."""
    text = _format(value, digits, rounded_says_so=True)
    return f"({text})" if text.startswith(MINUS) else text


def fmt_value(value: float | Sequence[float] | None) -> str:
    """A computed value: a number, a vector ``[0.5, −1]`` (one of one element as its number),
    or ``—`` when absent."""
    if value is None:
        return "—"
    if isinstance(value, Sequence):
        if len(value) == 1:
            return fmt_value(value[0])
        return "[" + ", ".join(fmt_value(item) for item in value) + "]"
    return _format(value, VALUE_DIGITS)


def fmt_input(value: float) -> str:
    """A number for an input field: ASCII, as short as reads back to the same float when it
    has few digits, else six significant digits (the field keeps the exact value behind it)."""
    if value == 0:
        return "0"
    return format(value, f".{VALUE_DIGITS}g")


def parse_shown(text: str) -> float:
    """A number as formatted here, read back (``(−0.25)`` → −0.25)."""
    return float(text.strip("()").replace(MINUS, "-"))


def unwrap(value: Any) -> Any:
    """A vector of one number is that number (one input's W is W): ``((0.5,),)`` → 0.5."""
    while isinstance(value, tuple) and len(value) == 1:
        value = value[0]
    return value


def numbers_of(value: Any) -> tuple[float, ...]:
    """Every number in a value, in the order it is written (a matrix row by row)."""
    if isinstance(value, tuple):
        return tuple(n for item in value for n in numbers_of(item))
    return (float(value),)
