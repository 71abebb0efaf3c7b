"""Validated starting states: text from a flag or an input field becomes a checked config.

Every failure is a ConfigError that names the field (``w``, ``lr``, …) and says what was
wrong in words a learner understands. The CLI shows the field as a flag (``--w``), the app
beside the input it came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .activations import ACTIVATIONS
from .losses import LOSSES

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
    """n inputs → H hidden units (activation) → 1 sigmoid output; weights from a seed."""

    x: tuple[float, ...] = (2.0,)
    hidden: int = 3
    seed: int = 0
    lr: float = 0.5
    activation: str = "tanh"
    loss: str = "one-minus-y"
    target: float = 1.0


def parse_number(field: str, text: str) -> float:
    text = text.strip()
    if not text:
        raise ConfigError(field, "is empty; expected a number")
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(field, f"{text!r} is not a number") from None
    if math.isnan(value):
        raise ConfigError(field, "NaN is not allowed; expected a finite number")
    if math.isinf(value):
        raise ConfigError(field, f"{text!r} is infinite; expected a finite number")
    return value


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
        raise ConfigError(field, f"unknown {field} {text!r}; choose one of: {', '.join(choices)}")
    return name


def parse_count(field: str, text: str, minimum: int, maximum: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ConfigError(field, f"{text!r} is not a whole number") from None
    if not minimum <= value <= maximum:
        raise ConfigError(field, f"{value} is out of range; expected {minimum} to {maximum:,}")
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
    if loss.needs_0_1_output:
        if not ACTIVATIONS[output_activation].bounded_0_1:
            raise ConfigError(
                "loss",
                f"bce needs an output strictly between 0 and 1, so it needs the sigmoid "
                f"activation, not {output_activation}",
            )
        if not 0 <= config.target <= 1:
            raise ConfigError("target", f"{config.target:g} is outside [0, 1], as bce requires")


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
    _check_training(config, "sigmoid")
    return config
