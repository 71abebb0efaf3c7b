"""The status rows: where the run is (step, W, loss), autoplay, the last key's feedback, and
why a run stopped when it diverged."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import Static

from calc_tutor.core.numbers import fmt_value
from calc_tutor.core.session import Session


def params_text(session: Session) -> str:
    """``W 0.613643`` (and ``b …`` when the model has a bias), at the cursor."""
    w, b = session.model.split(session.params(session.cursor))
    text = f"W {fmt_value(w[0]) if len(w) == 1 else fmt_value(w)}"
    return text if b is None else f"{text} · b {fmt_value(b)}"


class StatusLine(Widget):
    """One row that never wraps (CSS), so a long notice cannot resize and redraw the panels."""

    COMPONENT_CLASSES = {"status--label", "status--notice"}

    revision = reactive(0)
    playing = reactive(False)
    rate = reactive(2.0)  # autoplay updates per second
    notice = reactive("")  # feedback on the last key, until the next one

    def __init__(self, session: Session, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session

    def render(self) -> Text:
        session = self.session
        loss = session.preview().loss  # the loss at the current parameters
        text = Text.assemble(
            (f"Step {session.cursor}", self.get_component_rich_style("status--label")),
            f" · {params_text(session)} · Loss {fmt_value(loss)}",
            f" · {'playing' if self.playing else 'paused'}, {self.rate:g}/s",
        )
        if self.notice:
            text.append(" · ")
            text.append(self.notice, self.get_component_rich_style("status--notice"))
        return text


class DivergenceNote(Static):
    """Rare and important: why the run stopped gets rows of its own, shown only then."""

    revision = var(0)

    def __init__(self, session: Session, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.session = session

    def watch_revision(self) -> None:
        divergence = self.session.divergence
        shown = self.session.at_divergence and divergence is not None
        self.display = shown
        if shown:
            self.update(f"Diverged at step {divergence.step}: {divergence.reason}. "
                        "b goes back, e edits (a smaller α), u undoes.")  # fmt: skip
