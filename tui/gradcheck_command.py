"""``calc-tutor gradcheck``: each parameter's analytic gradient against a central difference.

One strict JSON object per parameter (``name``, ``analytic``, ``numeric``, ``rel_error``), full
float64; a number that is not finite is written as null. Exit 0 when every relative error is
below 1e-6, 1 otherwise. ``--bug`` checks a backward pass that leaves the output's slope out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TextIO

from calc_tutor.core.config import ConfigError, parse_number, quote
from calc_tutor.core.gradcheck import (
    DEFAULT_EPSILON,
    SMALLEST_EPSILON,
    ParamCheck,
    gradient_check,
    plant_bug,
)
from calc_tutor.core.numbers import fmt_value
from calc_tutor.core.parameters import reachable_params

from .trace import strict

PROG = "calc-tutor gradcheck"


def parse_epsilon(text: str) -> float:
    """ε for the central difference: the step is ε·max(1, |p|), so ε is relative."""
    epsilon = parse_number("eps", text)
    if epsilon <= 0:
        raise ConfigError("eps", f"{quote(text)} is not positive; expected a small step such as 1e-6")
    if epsilon > 1:
        raise ConfigError("eps", f"{quote(text)} is above 1: the step ε·max(1, |p|) would be "
                          "larger than the parameter p")  # fmt: skip
    if epsilon < SMALLEST_EPSILON:
        raise ConfigError("eps", f"{quote(text)} is below float64's resolution, "
                          f"{SMALLEST_EPSILON:.3g}: p ± ε·max(1, |p|) could round back to p")  # fmt: skip
    return epsilon


@dataclass(frozen=True)
class Gradcheck:
    """A validated request: what to check, where, with which ε, and whether to plant the bug."""

    model: Any
    params: tuple[float, ...]
    epsilon: float
    bug: bool
    index: int  # the update whose loss is checked: the next one (it picks a dataset's example)


def prepare(model: Any, steps: int, eps_text: str | None, bug: bool) -> Gradcheck:
    """Validate everything before anything is written; raises ConfigError naming the flag."""
    epsilon = parse_epsilon(eps_text) if eps_text is not None else DEFAULT_EPSILON
    return Gradcheck(model, reachable_params(model, steps), epsilon, bug, steps)


def check_json(name: str, check: ParamCheck) -> str:
    line = {"name": name, "analytic": check.analytic, "numeric": check.numeric,
            "rel_error": check.relative_error}  # fmt: skip
    return json.dumps({key: strict(value) for key, value in line.items()}, allow_nan=False)


def run_gradcheck(job: Gradcheck, out: TextIO, err: TextIO) -> int:
    analytic = None
    if job.bug:
        planted = plant_bug(job.model, job.params, job.index)
        analytic = planted.gradient
        said = f"{PROG}: --bug: {planted.dropped} = {fmt_value(planted.dropped_value)} is left out"
        dropped = planted.dropped_value
        if all(value == 1 for value in (dropped if isinstance(dropped, tuple) else (dropped,))):
            said += "; it is 1 here, so leaving it out changes nothing"
        err.write(said + "\n")
    checks = gradient_check(job.model, job.params, job.epsilon, analytic, job.index)
    for name, check in zip(job.model.param_names(), checks, strict=True):
        out.write(check_json(name, check) + "\n")
    return 0 if all(check.passed for check in checks) else 1
