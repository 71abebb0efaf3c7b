"""Plain ASCII for fonts without the mathematical symbols: one table, used by every panel.

``--ascii`` (and TERM=linux) means ASCII everywhere: the derivation, the status line, the
plots' labels, the inputs and the help. Greek letters become their names, arrows and products
their usual ASCII spellings; whatever has no entry becomes "?", so a symbol we missed shows.
"""

from __future__ import annotations

import re

_TABLE = str.maketrans({
    "σ": "sigma", "α": "alpha", "ε": "eps", "×": "x", "−": "-", "·": "*", "←": "<-", "→": "->",
    "²": "^2", "ᵀ": "^T", "⊙": "(.)", "⊗": "(x)", "′": "'", "≤": "<=", "≥": ">=", "≈": "~",
    "—": "--", "–": "-", "…": "...", "▸": ">", "●": "@", "○": "O", "▾": "v", "↑": "^",
    "↓": "v", "∞": "inf", "’": "'", "“": '"', "”": '"', "∂": "d", "✓": "ok", "Σ": "sum",
    "≠": "!=", "⁰": "^0", "¹": "^1", "³": "^3", "⁴": "^4", "⁵": "^5", "⁶": "^6", "⁷": "^7",
    "⁸": "^8", "⁹": "^9",
})  # fmt: skip
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


# "×" as an operator, standing alone ("0.5 × 2", the product's box "× z"): "*", as "·" is, so
# it cannot be read as the letter x beside an input X. A factor ("3×", "H×n") keeps "x".
_TIMES = re.compile(r"(?:(?<=\s)|^)×(?=\s)")


def to_ascii(text: str) -> str:
    """``text`` in ASCII: ``σ′ = y(1 − y)`` → ``sigma' = y(1 - y)``."""
    if text.isascii():
        return text
    return _NON_ASCII.sub("?", _TIMES.sub("*", text).translate(_TABLE))


def parts_to_ascii(text: str) -> str:
    """A line of parts (a status line, a title, a key hint) in ASCII: its " · " separators
    become " | ", since "·" is "*", multiplication, in ASCII."""
    return to_ascii(text.replace(" · ", " | "))
