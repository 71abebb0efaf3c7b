"""The status rows: where the run is (step, W, loss), autoplay, the last key's feedback, and
why a run stopped when it diverged."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import Static

from calc_tutor.core.diagnosis import Note, blames_alpha
from calc_tutor.core.numbers import fmt_plain
from calc_tutor.core.session import Session

from ..ascii import parts_to_ascii, to_ascii
from ..now import Change, change_of, explanation, shift_text


def change_parts(change: Change) -> list[tuple[str, ...]]:
    """The update shown, as parts of the status line, each in a long and a short wording."""
    step = f"Step {change.step}" + (" (preview)" if change.ahead else "")
    moves = [shift_text(move.name, move.before, move.after) for move in change.moves]
    before, after = fmt_plain(change.loss), fmt_plain(change.loss_next)
    loss = (f"loss before {before} · after {after}", f"loss {before} → {after}")
    return [(step,), (" · ".join(moves), ""), loss]


class StatusLine(Widget):
    """One row that never wraps (CSS), so a long notice cannot resize and redraw the panels.

    It speaks of the update on show (``step``), as the derivation and the plot do: W before and
    after it, and the loss before and after it. When the row is too narrow for everything, the
    wordings get shorter (and W goes: the derivation's title shows it) before the notice is cut.
    """

    COMPONENT_CLASSES = {"status--label", "status--notice"}

    revision = reactive(0)
    step = reactive(1)  # the update on show
    playing = reactive(False)
    rate = reactive(2.0)  # autoplay updates per second
    notice = reactive("")  # feedback on the last key, until the next one
    score_text = reactive("")  # while questions are asked: the score, in place of the numbers

    def __init__(self, session: Session, ascii_only: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        # No links in the status: painting then skips a pass over every cell for them.
        self.set_reactive(Widget.auto_links, False)
        self.session = session
        self.ascii_only = ascii_only
        self.explanation_for: tuple[object, Note | None] = (None, None)

    def texts(self) -> tuple[str, str]:
        """(what the update shown did, what the last key did), fitted to the row's width.

        When something about the update would surprise a learner (W frozen, a saturated unit, a
        bouncing loss), saying why comes first: the derivation shows W and the loss anyway.
        """
        step, moves, loss = change_parts(change_of(self.session, self.step))
        tail = [f"playing {self.rate:g}/s"] if self.playing else []
        notice = " · ".join([*tail, self.notice] if self.notice else tail)
        width = self.content_size.width
        note = None if self.score_text else self.explained()
        if self.score_text:  # W and the loss after the update would give the answers away
            wordings = [[self.score_text]]
        elif note is not None:
            wordings = [[step[0], note.text], [step[0], note.brief], [note.brief]]
        else:
            wordings = [[step[0], moves[0], loss[0]], [step[0], moves[0], loss[1]],
                        [step[0], loss[0]], [step[0], loss[1]]]  # fmt: skip
        texts = [" · ".join(part for part in parts if part) for parts in wordings]
        room = width - (len(notice) + 3 if notice else 0)
        text = next((t for t in texts if len(t) <= room), None)
        if text is None and note is not None:
            notice = ""  # why W behaves so matters more than the echo of the last key
            text = next((t for t in texts if len(t) <= width), texts[-1])
        text = text or texts[-1]
        if self.ascii_only:
            return parts_to_ascii(text), parts_to_ascii(notice)
        return text, notice

    def explained(self) -> Note | None:
        """The explanation for the update shown, worked out once per update and session state."""
        key = (self.revision, self.step)
        if self.explanation_for[0] != key:
            self.explanation_for = (key, explanation(self.session, self.step))
        return self.explanation_for[1]

    def render(self) -> Text:
        state, notice = self.texts()
        separator = " | " if self.ascii_only else " · "  # parts_to_ascii's
        label = state.split(separator)[0]
        text = Text.assemble((label, self.get_component_rich_style("status--label")),
                             state[len(label):])  # fmt: skip
        if notice:
            text.append(separator)
            text.append(notice, self.get_component_rich_style("status--notice"))
        return text


class DivergenceNote(Static):
    """Rare and important: why the run stopped gets rows of its own, shown only then."""

    revision = var(0)

    def __init__(self, session: Session, ascii_only: bool = False, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.session = session
        self.ascii_only = ascii_only

    def watch_revision(self) -> None:
        divergence = self.session.divergence
        shown = self.session.at_divergence and divergence is not None
        self.display = shown
        if shown:
            cure = "a smaller α" if blames_alpha(divergence) else "smaller values"
            text = (f"Diverged at step {divergence.step}: {divergence.reason}. "
                    f"Press b to go back, e to edit ({cure}), u to undo.")  # fmt: skip
            self.update(to_ascii(text) if self.ascii_only else text)
