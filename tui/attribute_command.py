"""``calc-tutor attribute``: how the output answers each input, at the parameters after N updates.

One strict JSON object per example (the one input ``--x``, or each example of ``--data`` in
order): the parameters used, ``x``,
``y``, and per input ``dy_dx``, ``grad_x_input`` (Xᵢ·dy/dXᵢ) and ``occlusion`` (y with Xᵢ set to
0, minus y). Full float64; a number that is not finite is written as null.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from calc_tutor.core.attribution import attribute

from .trace import strict


def attribution_json(model: Any, params: tuple[float, ...]) -> str:
    attributions = attribute(model, params)
    line = {label.lower(): part for label, part in model.param_parts(params).items()}
    line |= {
        "x": tuple(a.x for a in attributions),
        "y": model.update(params).y,
        "dy_dx": tuple(a.dy_dx for a in attributions),
        "grad_x_input": tuple(a.gradient_x_input for a in attributions),
        "occlusion": tuple(a.occlusion for a in attributions),
    }
    return json.dumps({key: strict(value) for key, value in line.items()}, allow_nan=False)


def run_attribute(model: Any, params: tuple[float, ...], out: TextIO) -> int:
    for example in model.each_example():  # the model with each example's X and t
        out.write(attribution_json(example, params) + "\n")
    return 0
