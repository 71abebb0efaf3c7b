"""The Textual app: themes, terminal-friendly defaults, and the main screen over one session."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES, Theme

from calc_tutor.core.session import Model, Session


from .screens.main import MainScreen
from .screens.palette import SteadyCommandPalette
from .textual_private import share_css_parses
from .work import LAUNCH_SECONDS, advance_within

if TYPE_CHECKING:
    from calc_tutor.core.lesson import Lesson

DEFAULT_THEME = "calc-tutor-dark"
MONOCHROME_THEME = "monochrome"

# NO_COLOR: Textual would only grey the colours of a colourful theme, so a theme of greys,
# where emphasis comes from brightness and text style, reads as intended.
MONOCHROME = Theme(
    name=MONOCHROME_THEME,
    primary="#e0e0e0",
    secondary="#b0b0b0",
    accent="#ffffff",
    foreground="#e0e0e0",
    background="#000000",
    surface="#101010",
    panel="#202020",
    boost="#303030",
    warning="#ffffff",
    error="#ffffff",
    success="#e0e0e0",
    dark=True,
)
# The name this project's --help gives as an example, for Textual's dark ANSI theme.
TEXTUAL_ANSI = dataclasses.replace(BUILTIN_THEMES["ansi-dark"], name="textual-ansi")
# textual-dark with an amber that stays amber on 16-colour terminals (TERM=xterm): its orange
# #ffa62b becomes bright red there, and a red focus frame and red keys read as errors.
AMBER = "#ffb454"  # → bright yellow at 16 colours
CALC_TUTOR_DARK = dataclasses.replace(
    BUILTIN_THEMES["textual-dark"], name=DEFAULT_THEME, accent=AMBER, warning=AMBER
)
EXTRA_THEMES = (MONOCHROME, TEXTUAL_ANSI, CALC_TUTOR_DARK)
# What stops the demo: a key, a click, a scroll or a paste; not the mouse passing over.
TAKE_OVER_EVENTS = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
                    events.MouseScrollLeft, events.MouseScrollRight, events.Paste)  # fmt: skip

# Applying the theme at start parses the whole stylesheet a second time; served tutors parse
# nothing at all (serve/warm_up.py).
share_css_parses()


def theme_names() -> list[str]:
    """Every theme --theme accepts."""
    return [*BUILTIN_THEMES, *(theme.name for theme in EXTRA_THEMES)]


class CalcTutorApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "calc-tutor"

    def __init__(
        self,
        model: Model,
        steps: int = 0,
        theme: str | None = None,
        ascii_only: bool = False,
        lesson: Lesson | None = None,
        demo_pace: float | None = None,
    ) -> None:
        super().__init__()
        self.lesson = lesson  # opened on the main screen once it is mounted
        self.demo_pace = demo_pace  # calc-tutor demo: its scenes play on the main screen
        self.swallow_mouse_up = False
        # Over SSH every animation frame and cursor blink crosses the wire: none by default.
        self.animation_level = "none"
        for extra in EXTRA_THEMES:
            self.register_theme(extra)
        self.theme = theme or (MONOCHROME_THEME if self.no_color else DEFAULT_THEME)
        self.ascii_only = ascii_only
        self.session = Session(model)
        # What is quick is done before the first frame; the rest in a worker, behind a bar.
        applied = advance_within(self.session, steps, LAUNCH_SECONDS)
        self.pending_steps = 0 if self.session.at_divergence else steps - applied

    def get_default_screen(self) -> Screen:
        return MainScreen(self.session, self.ascii_only, self.pending_steps, self.lesson,
                          self.demo_pace)  # fmt: skip

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    async def on_event(self, event: events.Event) -> None:
        # While the demo plays, the first key or click only stops it (nothing else happens):
        # seen here, before any binding or widget, so no key acts on a scene half played.
        if isinstance(event, TAKE_OVER_EVENTS) and not event.is_forwarded:
            demo = getattr(self.screen_stack[0], "demo", None) if self.screen_stack else None
            if demo is not None and demo.running:
                demo.stop()
                self.swallow_mouse_up = isinstance(event, events.MouseDown)
                return
            if demo is not None:
                demo.hide_notice()
        elif isinstance(event, events.MouseUp) and self.swallow_mouse_up:
            self.swallow_mouse_up = False  # the release of the click that stopped it
            return
        await super().on_event(event)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not SteadyCommandPalette.is_open(self):
            self.push_screen(SteadyCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Only what a learner needs; a screenshot would land on the server, not with them.
        # Quit is in the command table already (commands.py).
        yield SystemCommand("Theme", "Change the current theme", self.action_change_theme)
