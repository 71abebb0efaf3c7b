"""Finding the first quantity of an update record that is not a finite number, and a mean that
stays a number (perhaps an infinite one) where its sum passes the float limit."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any


def is_finite(value: Any) -> bool:
    """True for a finite number, None (an absent bias), or nested tuples of those."""
    if value is None:
        return True
    if isinstance(value, tuple):
        return all(map(is_finite, value))
    return math.isfinite(value)


def first_non_finite(record: Any, names: Iterable[str]) -> str | None:
    """The first of ``names`` whose value in ``record`` holds an inf or NaN, or None."""
    for name in names:
        if not is_finite(getattr(record, name)):
            return name
    return None


def mean(values: Iterable[float]) -> float:
    """The mean, summed exactly (fsum); where the sum passes the float limit, the plain sum's
    ±inf (or NaN), as for any other number too large for float64, instead of an OverflowError."""
    values = list(values)
    try:
        total = math.fsum(values)
    except OverflowError:  # finite values whose sum is not
        total = sum(values)
    return total / len(values)

