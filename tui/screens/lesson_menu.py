"""The lesson menu (key l): the path of lessons, the finished ones marked with their best score."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from calc_tutor.core.lesson import Lesson

from ..ascii import to_ascii
from ..learner_progress import Progress

LEAVE = "leave"


class LessonMenu(ModalScreen[str | None]):
    """Enter opens the lesson chosen (its index, as text) or leaves the one open; esc closes."""

    BINDINGS = [Binding("escape", "dismiss_menu", "Close", show=False)]

    def __init__(self, lessons: list[Lesson], progress: Progress | None, in_lesson: bool,
                 ascii_only: bool = False) -> None:  # fmt: skip
        super().__init__(classes="-ascii" if ascii_only else "")
        self.lessons, self.progress = lessons, progress
        self.in_lesson, self.ascii_only = in_lesson, ascii_only

    def compose(self) -> ComposeResult:
        options = []
        for number, lesson in enumerate(self.lessons, start=1):
            best = self.progress.best(lesson.id) if self.progress is not None else None
            done = self.progress is not None and self.progress.finished(lesson.id)
            mark = "✓" if done else " "
            score = f"  (best {best[0]}/{best[1]})" if done and best is not None else ""
            label = f"{number}. {mark} {lesson.title}{score}"
            options.append(Option(to_ascii(label) if self.ascii_only else label, id=str(number - 1)))
        if self.in_lesson:
            options.append(Option("Leave the lesson", id=LEAVE))
        menu = OptionList(*options, id="lesson-menu")
        menu.border_title = "Lessons"
        subtitle = "Enter: open · esc: close"
        menu.border_subtitle = to_ascii(subtitle) if self.ascii_only else subtitle
        yield menu

    def on_mount(self) -> None:
        # The first lesson not yet finished: where a learner who comes back goes on.
        finished = self.progress.finished if self.progress is not None else (lambda _id: False)
        self.query_one(OptionList).highlighted = next(
            (i for i, lesson in enumerate(self.lessons) if not finished(lesson.id)), 0
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_menu(self) -> None:
        self.dismiss(None)
