"""What a model tells the views about itself, in pieces every model shares: the unit its y(z)
view shows, and the training settings its summary ends with."""

from __future__ import annotations

from typing import Any, NamedTuple

from .activations import Activation
from .numbers import fmt_value


class ActivationView(NamedTuple):
    """One unit's activation at the update's z, named as the derivation names it."""

    activation: Activation
    z_name: str  # "z", or "z1[1]" for the network's first hidden unit
    y_name: str  # "y", or "h[1]"
    slope_name: str  # "dy/dz", or "dh/dz1"
    z: float
    y: float
    slope: float  # dy/dz at z, from the model's record


def training_rows(model: Any) -> list[tuple[str, str]]:
    """The summary rows after the model's own: loss, X, α, and the target where the loss has one."""
    c = model.config
    rows = [("loss", model.loss.formula), ("X", fmt_value(c.x)), ("α", fmt_value(c.lr))]
    if model.loss.fixed_target is None:
        rows.append(("target t", fmt_value(c.target)))
    return rows
