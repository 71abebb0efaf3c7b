"""Validated starting states: text from a flag or an input field becomes a checked config.

Every failure is a ConfigError that names the field (``w``, ``lr``, …) and says what was
wrong in words a learner understands. The CLI shows the field as a flag (``--w``), the app
beside the input it came from.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass

from .activations import ACTIVATIONS
from .losses import LOSSES, Loss

MAX_STEPS = 10_000_000
MAX_HIDDEN = 64
MAX_FEATURES = 64


class ConfigError(ValueError):
    """Bad input for one field; ``field`` names it, the message says what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NeuronConfig:
    """One neuron: z = W·X (+ b), y = activation(z), loss against a target."""

    w: tuple[float, ...] = (0.5,)
    x: tuple[float, ...] = (2.0,)
    b: float | None = None  # None: the source's neuron has no bias
    lr: float = 0.5
    activation: str = "sigmoid"
    loss: str = "one-minus-y"
    target: float = 1.0


@dataclass(frozen=True)
class MlpConfig:
    """n inputs → H hidden units (activation) → 1 sigmoid output; weights from a seed, except
    those given (a lesson or a worksheet needs the same numbers on every machine)."""

    x: tuple[float, ...] = (2.0,)
    hidden: int = 3
    seed: int = 0
    w1: tuple[float, ...] | None = None  # H×n weights, row by row; None: from the seed
    b1: tuple[float, ...] | None = None  # H biases; None: zeros
    w2: tuple[float, ...] | None = None  # H weights; None: from the seed
    b2: float | None = None  # None: zero
    lr: float = 0.5
    activation: str = "tanh"
    loss: str = "one-minus-y"
    target: float = 1.0


# Plain ASCII numbers only: Python's float() and int() also take "+5", "1_000" and digits of
# other scripts ("１"), which a learner cannot tell from what the program then uses.
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
_NOT_FINITE = ("nan", "inf", "infinity")
QUOTE_LIMIT = 40  # characters of a bad value echoed back in a message
SMALLEST_ADVISED = "1e-307"  # a round size above the smallest float64 kept to full precision


def shorten(text: str) -> str:
    """``text`` cut to a few dozen characters with an ellipsis: a 100 KB value is not echoed back."""
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def quote(text: str) -> str:
    """Input echoed in a message: shortened, in quotes, control characters escaped."""
    return repr(shorten(text))


def _why_not(text: str, pattern: re.Pattern[str], kind: str) -> str:
    """Why ``text`` is not a plain ASCII number of ``kind``, in a learner's words."""
    shown = quote(text)
    if text.startswith("+") and pattern.fullmatch(text[1:]):
        return f"{shown} has a '+' sign; write a positive number without it"
    if "_" in text and pattern.fullmatch(text.replace("_", "")):
        return f"{shown} has a '_'; write the digits without separators"
    if text.startswith("−") and pattern.fullmatch(text[1:]):
        return f"{shown} starts with a typographic minus; type it as '-'"
    if not text.isascii():
        return f"{shown} is not written with the plain digits 0-9; retype it"
    return f"{shown} is not a {kind}"


def parse_number(field: str, text: str) -> float:
    """A finite float written in plain ASCII: ``-0.5``, ``.5``, ``5.``, ``2e-3``, ``1E+5``."""
    text = text.strip()
    if not text:
        raise ConfigError(field, "is empty; expected a number")
    word = text.lower().lstrip("+-")
    if word == "nan":
        raise ConfigError(field, "NaN is not allowed; expected a finite number")
    if word in _NOT_FINITE:
        raise ConfigError(field, f"{quote(text)} is infinite; expected a finite number")
    if not _NUMBER.fullmatch(text):
        raise ConfigError(field, _why_not(text, _NUMBER, "number"))
    value = float(text)
    if math.isinf(value):
        raise ConfigError(field, f"{quote(text)} is infinite; expected a finite number")
    if abs(value) < sys.float_info.min and _has_nonzero_digit(text):
        # Below the normal range a float64 keeps fewer digits, and below ~5e-324 none at all.
        loss = "it would round to 0" if value == 0 else "it would lose digits"
        raise ConfigError(
            field,
            f"{quote(text)} is too small to store: {loss}; "
            f"write 0 or a number of at least {SMALLEST_ADVISED} in size",
        )
    return value


def _has_nonzero_digit(text: str) -> bool:
    mantissa = text.lower().split("e")[0]
    return any(digit in mantissa for digit in "123456789")


def parse_vector(field: str, text: str) -> tuple[float, ...]:
    """Comma-separated numbers: ``0.5,-0.25``; one number is a vector of one."""
    parts = text.split(",")
    if len(parts) > MAX_FEATURES:
        raise ConfigError(field, f"has {len(parts)} values; at most {MAX_FEATURES} are allowed")
    values = []
    for position, part in enumerate(parts, start=1):
        if not part.strip():
            where = f" at position {position}" if len(parts) > 1 else ""
            raise ConfigError(field, f"is missing a number{where}")
        try:
            values.append(parse_number(field, part))
        except ConfigError as error:
            if len(parts) == 1:
                raise
            raise ConfigError(field, f"value {position}: {error.message}") from None
    return tuple(values)


def parse_name(field: str, text: str, choices: list[str]) -> str:
    name = text.strip().lower()
    if name not in choices:
        raise ConfigError(field, f"unknown {field} {quote(text)}; choose one of: {', '.join(choices)}")
    return name


def parse_count(field: str, text: str, minimum: int, maximum: int) -> int:
    """A whole number in plain ASCII digits, from ``minimum`` to ``maximum``."""
    text = text.strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ConfigError(field, _why_not(text, _WHOLE_NUMBER, "whole number"))
    # Compare digit counts first: int() refuses strings of more than 4,300 digits.
    digits = text.lstrip("-").lstrip("0")
    value = int(text) if len(digits) <= len(str(maximum)) + 1 else None
    if value is None or not minimum <= value <= maximum:
        shown = quote(text) if value is None else value
        raise ConfigError(field, f"{shown} is out of range; expected {minimum} to {maximum:,}")
    return value


def _check_finite(field: str, values: tuple[float, ...]) -> None:
    if not all(math.isfinite(v) for v in values):
        raise ConfigError(field, "must be finite numbers (no NaN or inf)")


def _check_training(config: NeuronConfig | MlpConfig, output_activation: str) -> None:
    """The checks shared by both models: learning rate, names and the loss/target pairing."""
    # Configs built in code skip the parsers, so the parsers' guarantees are checked again here.
    if not config.x:
        raise ConfigError("x", "is empty; give at least one input")
    _check_finite("x", config.x)
    _check_finite("target", (config.target,))
    _check_finite("lr", (config.lr,))
    if not config.lr > 0:
        raise ConfigError("lr", f"{config.lr:g} is not positive; α must be greater than 0")
    parse_name("activation", config.activation, list(ACTIVATIONS))
    loss = LOSSES[parse_name("loss", config.loss, list(LOSSES))]
    if loss.fixed_target is not None and config.target != loss.fixed_target:
        raise ConfigError(
            "target",
            f"the {loss.name} loss has a fixed target of {loss.fixed_target:g}; "
            "choose the mse or bce loss for another target",
        )
    if loss.needs_output_at_most_1 and not ACTIVATIONS[output_activation].at_most_1:
        raise ConfigError("loss", _no_floor_message(loss.name, output_activation))
    if loss.needs_0_1_output:
        if not ACTIVATIONS[output_activation].bounded_0_1:
            raise ConfigError(
                "loss",
                f"bce needs an output strictly between 0 and 1, so it needs the sigmoid "
                f"activation, not {output_activation}",
            )
        if not 0 <= config.target <= 1:
            raise ConfigError("target", f"{config.target:g} is outside [0, 1], as bce requires")


def _no_floor_message(loss_name: str, activation: str) -> str:
    """Why ``loss_name`` has no bottom with ``activation``, and the choices that have one."""
    bounded = " or ".join(name for name, act in ACTIVATIONS.items() if act.at_most_1)
    loss = LOSSES[loss_name].formula.removeprefix("Loss = ")
    fits = " or ".join(name for name, fit in LOSSES.items() if _loss_fits(fit, activation))
    # Named as the flag it is: the loss may be the default, not one the learner typed.
    return (
        f"{loss_name} (Loss = {loss}) needs an output that never exceeds 1 ({bounded}); with "
        f"{activation} it falls forever: give --loss {fits} and a --target"
    )


def _loss_fits(loss: Loss, activation: str) -> bool:
    """Whether ``loss`` has a bottom for outputs of ``activation`` (targets aside)."""
    output = ACTIVATIONS[activation]
    return (output.at_most_1 or not loss.needs_output_at_most_1) and (
        output.bounded_0_1 or not loss.needs_0_1_output
    )


def validate_neuron(config: NeuronConfig) -> NeuronConfig:
    if len(config.w) != len(config.x):
        raise ConfigError(
            "w",
            f"has {len(config.w)} value(s) but X has {len(config.x)}; give one weight per input",
        )
    _check_finite("w", config.w)
    if config.b is not None:
        _check_finite("bias", (config.b,))
    _check_training(config, config.activation)
    return config


def validate_mlp(config: MlpConfig) -> MlpConfig:
    if not 1 <= config.hidden <= MAX_HIDDEN:
        raise ConfigError("hidden", f"{config.hidden} is out of range; expected 1 to {MAX_HIDDEN}")
    if config.seed < 0:
        raise ConfigError("seed", f"{config.seed} is negative; a seed is a whole number from 0")
    _check_training(config, "sigmoid")  # first: it checks X, which fixes n
    n = len(config.x)
    shapes = (("w1", config.hidden * n, f"H×n = {config.hidden}×{n}, row by row"),
              ("b1", config.hidden, f"one per hidden unit (H = {config.hidden})"),
              ("w2", config.hidden, f"one per hidden unit (H = {config.hidden})"))  # fmt: skip
    for field, count, which in shapes:
        values = getattr(config, field)
        if values is None:
            continue
        if len(values) != count:
            raise ConfigError(field, f"has {len(values)} value(s) but needs {count}: {which}")
        _check_finite(field, values)
    if config.b2 is not None:
        _check_finite("b2", (config.b2,))
    return config
