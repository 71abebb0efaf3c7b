"""How numbers are written for a learner: short in substitutions, fuller as values.

Numbers keep the ASCII minus sign so a learner (or a script reading the screen) can copy them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SUBSTITUTION_DIGITS = 4
VALUE_DIGITS = 6


def _format(value: float, digits: int) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == 0:
        return "0"  # also for -0.0: a signed zero only confuses a learner
    return format(value, f".{digits}g")


def fmt_plain(value: float) -> str:
    """A number inside a substitution where brackets already enclose it: ``tanh(-0.5)``."""
    return _format(value, SUBSTITUTION_DIGITS)


def fmt_sub(value: float) -> str:
    """A number inside a substituted formula, bracketed when negative: ``(-0.25)``."""
    text = _format(value, SUBSTITUTION_DIGITS)
    return f"({text})" if text.startswith("-") else text


def fmt_value(value: float | Sequence[float] | None) -> str:
    """A computed value: a number, a vector ``[0.5, -1]``, or ``—`` when absent."""
    if value is None:
        return "—"
    if isinstance(value, Sequence):
        return "[" + ", ".join(fmt_value(item) for item in value) + "]"
    return _format(value, VALUE_DIGITS)


def fmt_vector_sub(values: Sequence[float]) -> str:
    """A vector inside a substituted formula: a bare number for one feature."""
    if len(values) == 1:
        return fmt_sub(values[0])
    return "[" + ", ".join(_format(v, SUBSTITUTION_DIGITS) for v in values) + "]"
