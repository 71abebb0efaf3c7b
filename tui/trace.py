"""``calc-tutor trace``: a run written as JSON Lines, text or Markdown.

JSON Lines is the public contract (keys in the README): one strict JSON object per update,
full float64 precision, any non-finite number written as null on the line marked diverged.
"""

from __future__ import annotations

import functools
import json
import math
import os
from operator import attrgetter
from typing import Any, TextIO

from calc_tutor.core.derivation import derive
from calc_tutor.core.diagnosis import NoteWatch
from calc_tutor.core.divergence import DivergenceWatch
from calc_tutor.core.session import Model

from .render import render_markdown, render_markdown_header, render_text, render_text_header


def strict(value: Any) -> Any:
    """Tuples become lists and inf/NaN become None, so json.dumps never writes NaN or Infinity."""
    if isinstance(value, tuple):
        return [strict(item) for item in value]
    if isinstance(value, dict):  # a batch update's examples
        return {key: strict(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@functools.cache
def _values_of(keys: tuple[str, ...]) -> attrgetter[Any]:
    return attrgetter(*keys)


def record_json(record: Any, step: int, diverged: bool) -> str:
    keys = record.trace_keys  # each model's record lists its own
    line = {"step": step, **dict(zip(keys, _values_of(keys)(record)))}
    if diverged:
        line["diverged"] = True
    try:
        return json.dumps(line, allow_nan=False)  # tuples are written as lists
    except ValueError:  # an inf or NaN, on the diverged line: null instead
        return json.dumps({key: strict(value) for key, value in line.items()}, allow_nan=False)


def run_trace(model: Model, steps: int, fmt: str, out: TextIO, err: TextIO) -> int:
    """Write each update as soon as it is computed: memory stays flat whatever ``steps`` is.

    The updates and the divergence test are the session's own (``DivergenceWatch``), so the
    output is what the app would show for the same run.
    """
    color = fmt == "text" and out.isatty() and not os.environ.get("NO_COLOR")
    if fmt == "text":
        out.write(render_text_header(model, color))
    elif fmt == "markdown":
        out.write(render_markdown_header(model))
    observe = DivergenceWatch(model, first_step=1).observe
    notes = NoteWatch(model)
    params = model.initial_params()
    for step in range(1, steps + 1):
        record = model.update(params, step - 1)  # the update's index picks a dataset's example
        divergence = observe(step, record.loss, model.non_finite(record))
        note = notes.see(record) if divergence is None else None
        if note is not None:  # a stall, a saturated unit, a bouncing loss: said where it starts
            err.write(f"calc-tutor trace: step {step}: {note.text}\n")
        if fmt == "jsonl":
            out.write(record_json(record, step, divergence is not None) + "\n")
        else:
            derivation = derive(model, record, step)
            out.write(render_text(derivation, color) if fmt == "text" else render_markdown(derivation))
        if divergence is not None:
            err.write(f"calc-tutor trace: stopped after step {step}: {divergence.reason}\n")
            break
        params = model.next_params(record)
    return 0
