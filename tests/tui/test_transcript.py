"""The transcript (key x): the session so far as ``trace --format markdown`` writes the same run,
a new settings table where an edit changed the run, and a file that never replaces another."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
from datetime import datetime

import pytest

from calc_tutor.core.models import switched
from calc_tutor.core.numbers import fmt_value
from calc_tutor.core.session import Session
from calc_tutor.tui.cli import build_parser, join_negative_values, setup_from_args
from calc_tutor.tui.render import render_markdown_settings
from calc_tutor.tui.trace import run_trace
from calc_tutor.tui.transcript import (
    MAX_TRANSCRIPT_UPDATES,
    NOTHING_YET,
    save_transcript,
    transcript_markdown,
    write_transcript,
)

from ..core import oracle

SECOND = datetime(2026, 11, 30, 2, 15, 0)
NAME = "calc-tutor-2026-11-30-021500.md"  # the calc-tutor-<date>-<time>.md for SECOND
W_UPDATE_ROW = "| `W ← W − α·dLoss/dW` |"


def model_from(*flags: str):
    """The model the app and ``trace`` build from these flags."""
    return setup_from_args(build_parser().parse_args(join_negative_values(list(flags))), 0).model


def trace_markdown(model, steps: int) -> str:
    out = io.StringIO()
    run_trace(model, steps, "markdown", out, io.StringIO())
    return out.getvalue()


def session_after(model, steps: int) -> Session:
    session = Session(model)
    session.forward(steps)
    return session


def w_updates(markdown: str) -> list[str]:
    """The value cell of each step's W ← W − α·dLoss/dW row, in order."""
    rows = [line for line in markdown.splitlines() if line.startswith(W_UPDATE_ROW)]
    return [row.split(" | ")[2].strip("`") for row in rows]


def renumbered(markdown: str, by: int) -> str:
    """A trace's step headings moved on by ``by``: ``## Step 1`` → ``## Step 4``."""
    return re.sub(r"^## Step (\d+)$", lambda m: f"## Step {int(m[1]) + by}", markdown, flags=re.M)


RUNS = {
    "neuron default": (),
    "tanh, mse and a bias": ("--activation", "tanh", "--loss", "mse", "--bias", "0.1", "--target", "-0.5"),
    "network": ("--model", "mlp"),
    "xor, one example a step": ("--data", "xor"),
    "xor batch, network": ("--data", "xor", "--batch", "--model", "mlp"),
    "two inputs": ("--w", "0.5,-0.25", "--x", "2,-1", "--lr", "0.1"),
}


@pytest.mark.parametrize("flags", RUNS.values(), ids=RUNS.keys())
@pytest.mark.parametrize("steps", [1, 6])
def test_transcript_is_the_trace_of_the_same_run(flags, steps):
    model = model_from(*flags)
    assert transcript_markdown(session_after(model, steps)) == trace_markdown(model, steps)


def test_a_diverged_run_ends_where_the_trace_stops():
    model = model_from("--lr", "1e3", "--activation", "linear", "--loss", "mse", "--target", "0")
    session = session_after(model, 10)
    transcript = transcript_markdown(session)
    assert session.at_divergence and session.cursor < 10
    assert transcript == trace_markdown(model, 10)
    assert f"## Step {session.cursor}\n" in transcript
    assert f"## Step {session.cursor + 1}\n" not in transcript


def test_only_the_updates_applied_so_far():
    model = model_from()
    session = session_after(model, 5)
    session.back(2)  # stored but not applied: the learner stepped back
    assert transcript_markdown(session) == trace_markdown(model, 3)


def test_at_the_start_the_settings_and_that_nothing_ran():
    model = model_from("--activation", "tanh", "--loss", "mse")
    transcript = transcript_markdown(Session(model))
    assert transcript == trace_markdown(model, 0) + f"\n{NOTHING_YET}\n"
    assert "## Step" not in transcript


def test_an_edit_gets_its_own_settings_and_the_later_steps_use_them():
    model = model_from()  # W = 0.5, X = 2, α = 0.5, sigmoid, Loss = 1 − y
    edited = model.replaced(lr=0.1, w=(0.8,))
    session = session_after(model, 3)
    session.branch(edited)
    session.forward(3)
    transcript = transcript_markdown(session)

    before, after = transcript.split("\n## Settings from step 4\n\n")
    assert before == trace_markdown(model, 3)
    assert transcript.count("## Settings from step") == 1
    assert after.startswith(render_markdown_settings(edited))
    assert f"| α | {fmt_value(0.1)} |" in after and f"| α | {fmt_value(0.5)} |" not in after
    assert f"Step 4 starts from W = {fmt_value(0.8)}." in after
    assert [f"## Step {n}" in after for n in (3, 4, 5, 6)] == [False, True, True, True]

    # Steps 4 to 6 descend from W = 0.8 with α = 0.1, by the independent autodiff.
    w, expected = (0.8,), []
    for _ in range(3):
        w = tuple(oracle.neuron_expected(w, (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)["w_next"])
        expected.append(fmt_value(w))
    assert w_updates(after) == expected
    # …and by the edited model's own update, from where the session was at step 3.
    assert w_updates(after)[0] == fmt_value(edited.update(session.params(3), 3).w_next)


def test_a_switch_of_model_mid_run_shows_the_network_from_then_on():
    model = model_from()
    network = switched(model, "mlp")
    session = session_after(model, 3)
    session.branch(network, network.initial_params())
    session.forward(2)
    transcript = transcript_markdown(session)
    before, after = transcript.split("\n## Settings from step 4\n\n")
    assert before == trace_markdown(model, 3)
    table, steps = after.split(".\n", 1)  # the table and "Step 4 starts from …", then the steps
    assert table.startswith(render_markdown_settings(network))
    body = trace_markdown(network, 2).split("\n## Step 1\n", 1)[1]
    assert steps == renumbered("\n## Step 1\n" + body, 3)


def test_a_dataset_run_edited_mid_way_keeps_each_step_on_its_own_example():
    model = model_from("--data", "xor")
    session = session_after(model, 3)
    session.branch(session.model.replaced(lr=0.5), session.params(3))
    session.forward(2)
    after = transcript_markdown(session).split("\n## Settings from step 4\n\n")[1]
    step_4, step_5 = after.split("\n## Step 5\n")
    assert "example 4 of 4" in step_4 and "example 1 of 4" in step_5


def test_an_edit_at_the_start_replaces_the_settings_and_undo_brings_them_back():
    model = model_from()
    edited = model.replaced(lr=0.2)
    session = Session(model)
    session.branch(edited)
    session.forward(2)
    assert transcript_markdown(session) == trace_markdown(edited, 2)  # no second table: one run
    session.undo()
    session.forward(2)
    assert transcript_markdown(session) == trace_markdown(model, 2)


def test_undoing_an_edit_takes_its_settings_out_again():
    model = model_from()
    session = session_after(model, 3)
    session.branch(model.replaced(lr=0.1))
    session.forward(2)
    session.undo()
    session.forward(2)
    assert transcript_markdown(session) == trace_markdown(model, 5)


# ---- the file ------------------------------------------------------------------------------


def test_the_file_is_named_for_the_second_and_holds_the_text(tmp_path):
    text = "# a transcript\n\nσ(z) = −1\n"
    path = write_transcript(text, tmp_path, SECOND)
    assert path == tmp_path / NAME
    assert path.read_text(encoding="utf-8") == text


def test_an_existing_file_is_never_overwritten(tmp_path):
    (tmp_path / NAME).write_text("the learner's own notes\n", encoding="utf-8")
    path = write_transcript("new\n", tmp_path, SECOND)
    assert path.name == "calc-tutor-2026-11-30-021500-2.md"
    assert (tmp_path / NAME).read_text(encoding="utf-8") == "the learner's own notes\n"
    assert path.read_text(encoding="utf-8") == "new\n"


def test_saves_in_the_same_second_make_new_files(tmp_path):
    session = session_after(model_from(), 2)
    notices = [save_transcript(session, tmp_path, SECOND) for _ in range(3)]
    names = ["calc-tutor-2026-11-30-021500.md", "calc-tutor-2026-11-30-021500-2.md",
             "calc-tutor-2026-11-30-021500-3.md"]  # fmt: skip
    assert notices == [f"transcript saved: {name}" for name in names]
    assert {path.name for path in tmp_path.iterdir()} == set(names)
    for name in names:
        assert (tmp_path / name).read_text(encoding="utf-8") == transcript_markdown(session)


def test_saved_in_the_current_directory_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session = session_after(model_from("--model", "mlp"), 1)
    assert save_transcript(session, now=SECOND) == f"transcript saved: {NAME}"
    assert (tmp_path / NAME).read_text(encoding="utf-8") == trace_markdown(session.model, 1)


def test_a_folder_that_is_not_there_gives_the_notice(tmp_path):
    missing = tmp_path / "gone"
    notice = save_transcript(session_after(model_from(), 1), missing, SECOND)
    assert notice == f"could not save the transcript in {missing}: No such file or directory"
    assert not missing.exists()


def test_a_file_in_place_of_the_folder_gives_the_notice(tmp_path):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    notice = save_transcript(session_after(model_from(), 1), not_a_folder, SECOND)
    assert notice == f"could not save the transcript in {not_a_folder}: Not a directory"


def test_a_removed_current_directory_gives_the_notice(tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    notice = save_transcript(session_after(model_from(), 1), now=SECOND)
    assert notice.startswith("could not save the transcript in the current directory: ")
    assert "\n" not in notice


def test_a_session_longer_than_a_transcript_holds_is_refused_not_started(tmp_path):
    session = session_after(model_from(), 4)
    assert save_transcript(session, tmp_path, SECOND, limit=4) == f"transcript saved: {NAME}"
    (tmp_path / NAME).unlink()
    session.forward(1)
    notice = save_transcript(session, tmp_path, SECOND, limit=4)
    assert notice == "could not save the transcript: 5 updates applied, at most 4 fit in one"
    assert list(tmp_path.iterdir()) == []


def test_the_limit_applies_by_default(tmp_path):
    session = session_after(model_from(), MAX_TRANSCRIPT_UPDATES + 1)
    assert save_transcript(session, tmp_path, SECOND) == (
        f"could not save the transcript: {MAX_TRANSCRIPT_UPDATES + 1:,} updates applied, "
        f"at most {MAX_TRANSCRIPT_UPDATES:,} fit in one")  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_leaves_no_half_written_file(tmp_path):
    # A file-size limit makes the write fail part way, as a full disk does; in a child process
    # so the limit cannot touch the test run.
    script = textwrap.dedent(f"""
        import resource, signal
        from pathlib import Path
        from datetime import datetime
        from calc_tutor.core.neuron import Neuron
        from calc_tutor.core.config import NeuronConfig
        from calc_tutor.core.session import Session
        from calc_tutor.tui.transcript import save_transcript, transcript_markdown

        session = Session(Neuron(NeuronConfig()))
        session.forward(5)
        assert len(transcript_markdown(session).encode()) > 4096
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        print(save_transcript(session, Path({str(tmp_path)!r}), datetime(2026, 11, 30, 2, 15)))
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"could not save the transcript in {tmp_path}: File too large\n"
    assert list(tmp_path.iterdir()) == []
