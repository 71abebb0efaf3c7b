"""The session so far as Markdown (key ``x``), saved to a new file that never replaces another.

The text is ``calc-tutor trace --format markdown``'s for the same run, made by the same
renderers; where an edit or a switch of model changed the settings, a new settings table says so
at the step it applies from.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from calc_tutor.core.derivation import derive
from calc_tutor.core.numbers import fmt_value
from calc_tutor.core.session import Model, Session

from .now import step_record
from .render import render_markdown, render_markdown_header, render_markdown_settings

NOTHING_YET = "No update has been applied yet."
# Each update costs about 1 ms (neuron) to 3 ms (network) and 2–4 kB: 10,000 updates take
# seconds and tens of MB, so a keypress cannot start hours of work and gigabytes.
MAX_TRANSCRIPT_UPDATES = 10_000


def transcript_markdown(session: Session) -> str:
    """Updates 1 to ``session.cursor``, each under the model that made it, with its settings."""
    parts = [render_markdown_header(session.model_at(0))]
    if session.cursor == 0:
        parts.append(f"\n{NOTHING_YET}\n")
    shown: Model = session.model_at(0)
    for step in range(1, session.cursor + 1):
        model, record = step_record(session, step)  # the record under the model of its own step
        if model is not shown:  # an edit or a switch of model starts a new run here
            parts.append(settings_change(model, model.params_of(record), step))
            shown = model
        parts.append(render_markdown(derive(model, record, step)))
    return "".join(parts)


def settings_change(model: Model, params: tuple[float, ...], step: int) -> str:
    """The heading and table of a run that starts at ``step``, and the parameters it starts from
    (an edit of W alone leaves the table as it was)."""
    start = ", ".join(f"{name} = {fmt_value(values)}" for name, values in model.param_groups(params))
    table = render_markdown_settings(model)
    return f"\n## Settings from step {step}\n\n{table}\nStep {step} starts from {start}.\n"


def transcript_name(now: datetime, copy: int) -> str:
    """``calc-tutor-2026-11-30-021500.md``; the second file of the same second ends ``-2``."""
    suffix = "" if copy == 1 else f"-{copy}"
    return f"calc-tutor-{now:%Y-%m-%d-%H%M%S}{suffix}.md"


def write_transcript(text: str, directory: Path, now: datetime) -> Path:
    """Write ``text`` to a new file in ``directory`` and return its path.

    The file is created exclusively, so an existing file is never replaced: a taken name moves on
    to the next (``-2``, ``-3``, …). Any other failure (no such directory, no permission, a full
    disk) raises the ``OSError``, after removing a file left half-written.
    """
    copy = 1
    while True:
        path = directory / transcript_name(now, copy)
        try:
            handle = open(path, "x", encoding="utf-8")  # noqa: SIM115 (closed below)
        except FileExistsError:
            copy += 1
            continue
        try:
            with handle:
                handle.write(text)
        except OSError:
            path.unlink(missing_ok=True)  # a half-written transcript would read as a whole one
            raise
        return path


def save_transcript(
    session: Session,
    directory: Path | None = None,
    now: datetime | None = None,
    limit: int = MAX_TRANSCRIPT_UPDATES,
) -> str:
    """Save the session's transcript in ``directory`` (by default the current one); the one-line
    notice to show, whether it worked or not. Slow for long runs: call it off the UI thread."""
    if session.cursor > limit:
        return (f"could not save the transcript: {session.cursor:,} updates applied, "
                f"at most {limit:,} fit in one")  # fmt: skip
    where = "the current directory" if directory is None else os.fspath(directory)
    try:
        folder = Path.cwd() if directory is None else directory  # a removed cwd raises here
        path = write_transcript(transcript_markdown(session), folder, now or datetime.now())
    except OSError as error:
        return f"could not save the transcript in {where}: {error.strerror or error}"
    return f"transcript saved: {path.name}"
