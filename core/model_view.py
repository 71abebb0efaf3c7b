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


class DiagramUnit(NamedTuple):
    """One node of the network diagram: an input, a hidden unit or the output."""

    name: str  # "X1", "h2", "y"
    value: float  # the input's value, or the unit's output at this update
    error: float | None  # the unit's error signal dLoss/dz; None for an input


class DiagramLayer(NamedTuple):
    """One column of the diagram: its units, and the weights that feed each of them."""

    title: str  # the column's heading: "X" (the inputs' values), "dLoss/dz1" (the units' numbers)
    weights_name: str  # the weights into this layer ("W1"); "" for the inputs
    units: tuple[DiagramUnit, ...]
    weights: tuple[tuple[float, ...], ...]  # per unit, its incoming weights, input by input
