"""The parameters a view looks at: where a run is after N updates, and what each is called.

The run stops where ``trace`` and the app stop (one divergence rule, ``DivergenceWatch``), so a
gradient check or an attribution never looks at parameters the learner could not reach.
"""

from __future__ import annotations

from typing import Any

from .config import ConfigError
from .divergence import Divergence, DivergenceWatch
from .mlp import Mlp
from .neuron import Neuron

Params = tuple[float, ...]

# The parts of each model's flat parameters, in order, as the learner reads them.
# A model method would say this better; until the model types grow one, this table does.
_PART_LABELS = {Neuron: ("W", "b"), Mlp: ("W1", "b1", "w2", "b2")}


def params_after(model: Any, steps: int) -> tuple[Params, Divergence | None]:
    """The parameters after ``steps`` updates from the model's start, and None; or, when the
    run diverges first, the parameters the diverged update started from and its Divergence."""
    observe = DivergenceWatch(model, first_step=1).observe
    params = model.initial_params()
    for step in range(1, steps + 1):
        record = model.update(params)
        divergence = observe(step, record.loss, model.non_finite(record))
        if divergence is not None:
            return params, divergence
        params = model.next_params(record)
    return params, None


def reachable_params(model: Any, steps: int) -> Params:
    """The parameters after ``steps`` updates; a run that stops sooner is a ConfigError on
    ``steps``, saying where it stops and why."""
    params, divergence = params_after(model, steps)
    if divergence is not None:
        raise ConfigError(
            "steps", f"the run stops at update {divergence.step}, before {steps}: "
            f"{divergence.reason}; give --steps {divergence.step - 1} or fewer",
        )  # fmt: skip
    return params


def parameter_parts(model: Any, params: Params) -> dict[str, Any]:
    """``{"W": (…), "b": …}`` or ``{"W1": ((…), …), "b1": …, "w2": …, "b2": …}``: the flat
    parameters split into the model's parts (a neuron without a bias has ``"b": None``)."""
    return dict(zip(_PART_LABELS[type(model)], model.split(params), strict=True))


def parameter_names(model: Any, params: Params) -> tuple[str, ...]:
    """One readable name per flat parameter, counting from 1: W[1], b, W1[2,1] (hidden unit 2,
    input 1), b1[2], w2[1], b2."""
    names: list[str] = []
    for label, part in parameter_parts(model, params).items():
        if part is None:
            continue
        if not isinstance(part, tuple):
            names.append(label)
        elif part and isinstance(part[0], tuple):  # a matrix: one row per unit
            names += [f"{label}[{j},{i}]" for j, row in enumerate(part, 1) for i in range(1, len(row) + 1)]
        else:
            names += [f"{label}[{i}]" for i in range(1, len(part) + 1)]
    return tuple(names)
