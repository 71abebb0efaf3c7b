"""Long work's screen: a bar that fills while a worker applies many updates.

It covers the panels, which must not read the session while the worker extends it. q quits at
any moment; esc stops where the work has got to and shows that update.
"""

from __future__ import annotations

import threading

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.renderables.bar import Bar as BarRenderable
from textual.screen import Screen
from textual.widgets import ProgressBar, Static


class AsciiBarRenderable(BarRenderable):
    HALF_BAR_LEFT = "="
    BAR = "="
    HALF_BAR_RIGHT = "="


class AsciiProgressBar(ProgressBar):
    BAR_RENDERABLE = AsciiBarRenderable


class ProgressScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "stop", "Stop here", id="stop_work"),
        Binding("q,ctrl+q", "app.quit", "Quit", id="quit_work"),
    ]

    def __init__(self, total: int, ascii_only: bool) -> None:
        super().__init__(classes="-ascii" if ascii_only else "")
        self.total = total
        self.ascii_only = ascii_only
        self.stop = threading.Event()  # read by the worker between chunks
        self.done = 0  # written by the worker (one int: no lock needed), shown by a timer

    def compose(self) -> ComposeResult:
        bar_type = AsciiProgressBar if self.ascii_only else ProgressBar
        with Vertical(id="work"):
            yield Static(f"Applying {self.total:,} updates", id="work-title", markup=False)
            yield bar_type(total=self.total, show_eta=False, id="work-bar")
            yield Static("esc: stop here and look  ·  q: quit".replace(
                "·", "*" if self.ascii_only else "·"), id="work-keys", markup=False)

    def on_mount(self) -> None:
        self.set_interval(0.1, self.show_done)

    def show_done(self) -> None:
        self.query_one(ProgressBar).update(progress=self.done)

    def action_stop(self) -> None:
        self.stop.set()
        self.query_one("#work-title", Static).update("Stopping…" if not self.ascii_only
                                                     else "Stopping...")
