"""The lesson panel: the page's text so far, its questions and what each answer earned."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from typing import TYPE_CHECKING

from ..ascii import to_ascii
from .blank_scrollbar import BlankScrollBarRender

if TYPE_CHECKING:
    from ..lesson_run import Shown


class LessonPanel(VerticalScroll, can_focus=True):
    """Focused with tab, ↑ and ↓ scroll back to what the page said before."""

    COMPONENT_CLASSES = {"lesson--title", "lesson--question", "lesson--outcome",
                         "lesson--feedback", "lesson--footer"}  # fmt: skip

    def __init__(self, ascii_only: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ascii_only = ascii_only
        self.body = Static(id="lesson-body")
        self.title = ""  # the frame's whole title, cut to fit by fit_title

    def compose(self) -> ComposeResult:
        yield self.body

    def on_mount(self) -> None:
        if self.ascii_only:  # its half-block thumb is not ASCII
            self.vertical_scrollbar.renderer = BlankScrollBarRender

    def show(self, lesson_title: str, shown: Shown) -> None:
        style = self.get_component_rich_style
        plain = to_ascii if self.ascii_only else str
        text = Text()
        text.append(plain(shown.title), style("lesson--title"))
        for kind, block in shown.blocks:
            text.append("\n" if kind in ("outcome", "feedback") else "\n\n")
            if kind == "text":
                text.append(plain(block))
            else:
                text.append(plain(f"? {block}" if kind == "question" else block),
                            style(f"lesson--{kind}"))  # fmt: skip
        if shown.footer:
            text.append("\n\n")
            text.append(plain(shown.footer), style("lesson--footer"))
        self.title = plain(f"{shown.heading} · {lesson_title}")  # the page, even if cut
        self.fit_title()
        keys = f"keys: {' '.join(shown.keys)} · " if shown.keys else ""
        self.border_subtitle = plain(f"{keys}]: next page · [: back")
        self.body.update(text)
        self.keep_end()

    def keep_end(self) -> None:
        # After the new text is laid out: scrolled now, the end would be the old text's.
        self.call_after_refresh(self.scroll_end, animate=False)

    def fit_title(self) -> None:
        """In ASCII, cut a long title here: Textual would cut it with "…"."""
        room = self.outer_size.width - 6  # Textual keeps the corners and two cells each side free
        if self.ascii_only and room > 3 and len(self.title) > room:
            self.border_title = self.title[: room - 3] + "..."
        else:
            self.border_title = self.title

    def on_resize(self) -> None:
        self.fit_title()
        self.keep_end()  # the answer row's hint took rows: the question stays in view
