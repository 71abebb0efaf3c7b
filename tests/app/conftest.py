"""Helpers for the app's Pilot tests: a seed app, the screen as text, and waiting on a condition."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console
from textual.pilot import Pilot

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.tui.app import CalcTutorApp

# The newcomer's run from the issue: calc-tutor --w 0.5 --x 2 --lr 0.1
SEED = {"w": (0.5,), "x": (2.0,), "lr": 0.1}
SIZE = (80, 24)


def make_app(steps: int = 0, theme: str | None = None, ascii_only: bool = False,
             **config: object) -> CalcTutorApp:  # fmt: skip
    model = Neuron(NeuronConfig(**{**SEED, **config}))  # type: ignore[arg-type]
    return CalcTutorApp(model, steps=steps, theme=theme, ascii_only=ascii_only)


def screen_text(app: CalcTutorApp) -> str:
    """What the terminal shows, as plain text, with one minus sign ("−" read as "-"): which of
    the two the app prints is a matter of typography, not of what the tests check."""
    return raw_screen_text(app).replace("−", "-")


def raw_screen_text(app: CalcTutorApp) -> str:
    """What the terminal shows, as plain text (the screen stack composited, as a screenshot)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False)  # fmt: skip
    # As App.export_screenshot does, with a plain-text export in place of the SVG.
    screen = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(screen)
    return console.export_text()


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Pause in short slices until ``condition`` holds (for autoplay, which runs on a timer)."""
    waited = 0.0
    while not condition():
        if waited >= timeout:
            return False
        await pilot.pause(0.05)
        waited += 0.05
    return True


def region_text(app: CalcTutorApp, selector: str) -> str:
    """The screen text inside one widget's region, its rows joined by spaces (for wrapped text)."""
    region = app.screen.query_one(selector).region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right].split()) for row in rows).strip()
