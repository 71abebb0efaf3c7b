"""How big each layer's weight gradient is: how much error signal reaches it.

Backprop multiplies the error by each layer's slopes on its way back, so a saturated hidden
layer (slopes near 0) gets a far smaller gradient than the layer after it.
"""

from __future__ import annotations

import math
from typing import Any


def gradient_sizes(model: Any, step: Any) -> tuple[tuple[str, float], ...]:
    """(weights' name, |dLoss/d weights|) per layer, input side first: the Euclidean length of
    that layer's weight gradient at this update."""
    groups = dict(model.param_groups(model.gradient(step)))
    return tuple((name, math.hypot(*groups[name])) for name in model.layer_weights)
