"""The parameters a view looks at: where a run is after N updates (each model names its own:
``param_names``, ``param_parts``).

The run stops where ``trace`` and the app stop (one divergence rule, ``DivergenceWatch``), so a
gradient check or an attribution never looks at parameters the learner could not reach.
"""

from __future__ import annotations

from typing import Any

from .config import ConfigError
from .divergence import Divergence, DivergenceWatch

Params = tuple[float, ...]

def params_after(model: Any, steps: int) -> tuple[Params, Divergence | None]:
    """The parameters after ``steps`` updates from the model's start, and None; or, when the
    run diverges first, the parameters the diverged update started from and its Divergence."""
    observe = DivergenceWatch(model, first_step=1).observe
    params = model.initial_params()
    for step in range(1, steps + 1):
        record = model.update(params, step - 1)
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
