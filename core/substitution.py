"""Numbers plugged into a formula, with as many digits as make the line true as read.

``y(1 − y)`` at y = 0.99995453 written with four digits reads ``1 × (1 − 1)``, which is 0, beside a
value of 4.54701e-05: false arithmetic. A ``Sub`` knows its template, its numbers and how to
compute the formula from them, so it can check what a reader would compute from the digits shown
and add digits until that agrees with the value. Where no number of digits can (the value comes
from a more accurate form, such as 1 − σ(z) computed as σ(−z)), a later candidate writes the
formula differently, e.g. with 1 − y as a number of its own.
"""

from __future__ import annotations

import math
import string
from fractions import Fraction
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .numbers import MAX_DIGITS, MINUS, SUBSTITUTION_DIGITS, fmt_plain, fmt_sub, parse_shown

# A line is true at the precision shown when the digits on it give the value to within this
# share: four significant digits, so a reader who works it out by hand agrees with the value.
# There is no absolute floor: 1 × (1 − 1) = 4.5e-05 is false however small the value.
RELATIVE_TOLERANCE = 1e-4

Slot = float | tuple[float, ...]


@dataclass(frozen=True)
class Sub:
    """``template`` uses ``{0}``, ``{1}``, … for the numbers (bracketed when negative) and
    ``{0:p}`` for one already inside brackets; a vector slot is written ``[a, b]``.
    ``evaluate`` computes the formula from the numbers (a vector slot arrives as a tuple); it
    receives them as exact Fractions, so its constants are written as integers (``1 - y``) to
    keep sums and products exact; functions such as exp and ln work in floats."""

    template: str
    numbers: tuple[Slot, ...]
    evaluate: Callable[..., Any] | None = None  # None: nothing to check (symbols, a condition)

    def text(self, digits: int) -> str:
        return _Writer(digits).format(self.template, *self.numbers)

    def agrees_at(self, digits: int, value: Any) -> bool:
        if self.evaluate is None:
            return True
        shown = tuple(_shown(number, digits) for number in self.numbers)
        try:
            return agrees(self.evaluate(*shown), value)
        except (ArithmeticError, ValueError):  # 1/0, ln 0, a result beyond any float
            return False


LONE = ("{0}", "{0:p}")  # a template that is one number: the value written again


def write(value: Any, *candidates: Sub) -> str:
    """The first candidate whose digits reproduce ``value``, with the fewest digits that do;
    "" when that candidate is the value alone (a line need not say it twice).

    If none can, the last candidate at full precision: the best a float can say.
    """
    for candidate in candidates:
        for digits in range(SUBSTITUTION_DIGITS, MAX_DIGITS + 1):
            if candidate.agrees_at(digits, value):
                return "" if candidate.template in LONE else candidate.text(digits)
            if not candidate.numbers:
                break
    last = candidates[-1]
    return "" if last.template in LONE else last.text(MAX_DIGITS)


def agrees(computed: Any, value: Any) -> bool:
    """``computed`` equals ``value`` to RELATIVE_TOLERANCE (elementwise for vectors)."""
    if isinstance(value, tuple) or isinstance(computed, tuple):
        values = value if isinstance(value, tuple) else (value,)
        results = computed if isinstance(computed, tuple) else (computed,) * len(values)
        return len(results) == len(values) and all(
            agrees(c, v) for c, v in zip(results, values)
        )
    if value is None:
        return computed is None
    computed, value = float(computed), float(value)  # may raise OverflowError: not agreeing
    if computed == value or (math.isnan(computed) and math.isnan(value)):
        return True
    if not (math.isfinite(computed) and math.isfinite(value)):
        return False
    return abs(computed - value) <= RELATIVE_TOLERANCE * abs(value)


def _shown(number: Slot, digits: int) -> Any:
    """The number a reader sees at ``digits`` significant digits, exactly as a decimal: a
    Fraction, so that the formula's sums and products are worked out as a reader would, not in
    floats (where 0.49999999999999989 − 0.5, printed with 16 digits, would still look right)."""
    if isinstance(number, tuple):
        return tuple(_shown(item, digits) for item in number)
    text = fmt_plain(number, digits).replace(MINUS, "-")
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):  # inf, NaN
        return parse_shown(text)


class _Writer(string.Formatter):
    """Formats the numbers of a template at a given number of significant digits."""

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, tuple):
            if len(value) == 1:
                return self.format_field(value[0], format_spec)
            rows = (self.format_field(v, "p") if isinstance(v, tuple) else fmt_plain(v, self.digits)
                    for v in value)  # a matrix: a list of rows
            return "[" + ", ".join(rows) + "]"
        if isinstance(value, str):
            return value
        if format_spec == "p":
            return fmt_plain(value, self.digits)
        return fmt_sub(value, self.digits)
