"""The models a learner can pick (``--model``, the inputs panel's model row, key m)."""

from __future__ import annotations

from typing import Any

from .mlp import Mlp
from .neuron import Neuron

# name → class; each class builds itself from a form (``from_form``) or from another model's
# settings (``like``), so switching needs no knowledge of either.
MODEL_KINDS: dict[str, type[Neuron] | type[Mlp]] = {Neuron.kind: Neuron, Mlp.kind: Mlp}


def switched(model: Any, kind: str) -> Any:
    """``model`` as a model of ``kind``, with its inputs, α, loss and target (and its dataset)."""
    return model.as_kind(MODEL_KINDS[kind])
