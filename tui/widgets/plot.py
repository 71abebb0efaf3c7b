"""The plot panel: the current view, drawn only when what it shows has changed.

Over SSH every redraw crosses the wire, so the canvas remembers the key of what it last drew
(view, session revision, update shown, size, ASCII mode) and draws again only for a new key.
It draws when Textual paints it, at the size it is given, so the first frame already holds the
plot.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import var
from textual.widget import Widget

from calc_tutor.core.session import Session

from ..plots import PLOT_TITLES, PLOT_VIEWS, load_plotting, plot_text

# Every view prints or marks numbers of the update on show: while one of them is being
# predicted, the plot would give the answer away.
HIDDEN_WHILE_ASKING = "Hidden while you predict: it would show the answer. It comes back once you answer."


class PlotCanvas(Widget):
    """The plot itself, inside the panel's frame: repainting it leaves the frame alone."""

    DEFAULT_CSS = "PlotCanvas { width: 1fr; height: 1fr; }"

    def __init__(self, session: Session, ascii_only: bool) -> None:
        super().__init__()
        # No links in a plot: painting then skips a pass over every cell for them.
        self.set_reactive(Widget.auto_links, False)
        self.session = session
        self.ascii_only = ascii_only
        self.view = PLOT_VIEWS[0]
        self.revision = 0
        self.hidden = False
        self.step: int | None = None  # the update to draw; None: the one the derivation shows
        self.drawn: tuple[tuple[object, ...], Text] | None = None
        self.draw_count = 0  # how many times the plot was built (tests check the cache)

    def show(self, view: str, revision: int, step: int | None, hidden: bool = False) -> None:
        if (view, revision, step, hidden) != (self.view, self.revision, self.step, self.hidden):
            self.view, self.revision, self.step, self.hidden = view, revision, step, hidden
            self.refresh()

    def render(self) -> Text:
        width, height = self.content_size
        if width < 1 or height < 1:
            return Text()
        if self.hidden:
            return Text(HIDDEN_WHILE_ASKING, justify="center")
        key = (self.view, self.revision, self.step, width, height, self.ascii_only)
        if self.drawn is None or self.drawn[0] != key:
            self.draw_count += 1
            plot = plot_text(
                self.view, self.session, width, height, self.ascii_only, step=self.step
            )
            self.drawn = (key, Text(plot, no_wrap=True))
        return self.drawn[1]


class PlotPanel(Widget):
    revision = var(0)  # the session changed
    view = var(PLOT_VIEWS[0])
    # The update to draw (1 to length + 1, the next one); None: the last one applied, or the
    # first before any. The screen binds it to the update its derivation shows.
    step: var[int | None] = var(None)
    hidden = var(False)  # a number of the update on show is being predicted

    def __init__(self, session: Session, ascii_only: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.canvas = PlotCanvas(session, ascii_only)
        self.border_subtitle = "v: next view"

    @property
    def draw_count(self) -> int:
        return self.canvas.draw_count

    def compose(self) -> ComposeResult:
        yield self.canvas

    def on_mount(self) -> None:
        # A first frame with no updates draws no plot: load the plotting libraries once it is up,
        # in a thread, so neither startup nor the first step waits for them.
        self.call_after_refresh(self.run_worker, load_plotting, thread=True)

    def redraw(self) -> None:
        self.canvas.show(self.view, self.revision, self.step, self.hidden)
        subtitle = "" if self.hidden else "v: next view"  # no key can show it now
        if self.border_subtitle != subtitle:
            self.border_subtitle = subtitle

    def watch_revision(self) -> None:
        self.redraw()

    def watch_view(self, view: str) -> None:
        self.border_title = PLOT_TITLES.get(view, view)
        self.redraw()

    def watch_step(self) -> None:
        self.redraw()

    def watch_hidden(self) -> None:
        self.redraw()
