"""A lesson being taken: its pages in order, each opening the model it is about, its questions
asked through the answer row and answered by the engine, and the score kept.

A page opens its state in the session (``Session.restart``: the step numbers are the page's
own), so the derivation, the plot and the status line speak of what the text speaks of. A
question about a line of the derivation walks the derivation to that line and reveals it there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from calc_tutor.core.lesson import Lesson, LessonError, Question, Text
from calc_tutor.core.predict import Question as Asked
from calc_tutor.core.predict import Score

from .lessons import OpenLesson
from .now import next_derivation

if TYPE_CHECKING:
    from .learner_progress import ProgressStore
    from .screens.main import MainScreen


@dataclass
class Shown:
    """What the lesson panel shows of the page: its title and blocks so far, and the outcomes."""

    heading: str
    title: str
    # (kind, text), kind one of text, question, outcome (a closed question), feedback (an open one)
    blocks: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""
    keys: tuple[str, ...] = ()  # the keys the lesson introduces, on its first page


class LessonRun:
    def __init__(self, screen: MainScreen, lesson: Lesson, store: ProgressStore | None) -> None:
        self.screen = screen
        self.lesson = lesson
        self.opened = OpenLesson.of(lesson)
        self.store = store
        self.page = 0
        self.shown = 0  # blocks of the page on show
        self.outcomes: dict[tuple[int, int], str] = {}
        self.score = Score()
        self.asked: Asked | None = None
        self.line_index = 0  # the derivation line the open question reveals (0: none)
        self.later: tuple[int, str] | None = None  # a later update's line, shown once answered
        self.feedback = ""  # what the last answer to the open question earned
        self.walk_before = (0, 0)  # the walk-through (revealed, noted) before a hidden question
        self.finished = False

    # ---- pages ---------------------------------------------------------------------------

    def open_page(self, index: int) -> None:
        screen = self.screen
        try:
            state = self.opened.state(index)
        except LessonError as error:
            screen.notice = str(error)
            return
        self.page, self.shown, self.asked = index, 0, None
        pages = len(self.lesson.pages)
        screen.restart_at(state.model, state.steps, f"lesson page {index + 1} of {pages}")
        self.advance()

    def next_page(self) -> None:
        if self.page + 1 < len(self.lesson.pages):
            self.open_page(self.page + 1)
        else:
            self.screen.notice = "this is the last page: l opens the lessons"

    def previous_page(self) -> None:
        if self.page > 0:
            self.open_page(self.page - 1)
        else:
            self.screen.notice = "this is the first page"

    def advance(self) -> None:
        """Show the page's blocks up to its next unanswered question, and ask it."""
        blocks = self.lesson.pages[self.page].blocks
        while self.shown < len(blocks):
            block = blocks[self.shown]
            self.shown += 1
            if isinstance(block, Question) and (self.page, self.shown - 1) not in self.outcomes:
                self.ask(block)
                self.screen.lesson_changed()
                return
        self.asked = None
        self.screen.close_questions()
        self.screen.score_text = ""
        if self.page == len(self.lesson.pages) - 1 and not self.finished:
            self.finish()
        self.screen.lesson_changed()
        self.screen.focus_derivation()

    def ask(self, question: Question) -> None:
        screen = self.screen
        self.asked = self.opened.question(self.page, question)
        reference = self.opened.reference(self.page, question)
        self.line_index, self.later = 0, None
        self.walk_before = (screen.revealed, screen.noted)  # to show again once answered
        if reference is not None:
            update, name = reference
            if update == self.opened.state(self.page).steps + 1:
                self.line_index = self.go_to(update, name)
                screen.ask_line(self.line_index)
            else:  # the updates before it would nearly give the answer: none is shown
                self.later = reference
                screen.hide_update()
        else:  # a number worked out from the page: the derivation could show it, or nearly
            screen.hide_update()
        self.feedback = ""
        screen.open_question("Your answer (esc shows it):")  # the question is in the lesson panel
        screen.score_text = f"Lesson · {self.score}"

    def go_to(self, update: int, name: str) -> int:
        """Put the session just before ``update`` of the page's run; the line's 1-based index."""
        screen, session = self.screen, self.screen.session
        target = update - 1
        if target > session.cursor:
            session.forward(target - session.cursor)
        else:
            session.back(session.cursor - target)
        screen.end_walk()
        screen.changed()
        derivation = next_derivation(session)
        return [line.name for line in derivation.lines].index(name) + 1

    def answered(self, text: str) -> None:
        asked = self.asked
        if asked is None:
            return
        reply = asked.answer(text)
        if not asked.done:  # a hint, or a word about what was typed: under the question
            self.feedback = reply.message
            self.screen.bar.say("")
            self.screen.lesson_changed()
            return
        self.close_question(("✓ " if asked.right_first_time else "") + reply.message)

    def skip(self) -> None:
        """esc on a question: its value is shown, with why, and it counts as asked."""
        if self.asked is not None:
            self.close_question(f"Skipped. {self.asked.give_up().message}")

    def close_question(self, outcome: str) -> None:
        assert self.asked is not None
        self.score.count(self.asked)
        self.outcomes[(self.page, self.shown - 1)] = outcome
        screen = self.screen
        if self.later is not None:
            self.line_index = self.go_to(*self.later)
        if not self.line_index:  # nothing of the update was asked: show what was shown before
            screen.asking = 0
            screen.revealed, screen.noted = self.walk_before
        elif self.line_index == self.update_length():
            screen.finish_walk(self.line_index)  # its last line: the update is applied, as s does
        else:
            screen.reveal_line(self.line_index)
        self.advance()

    def update_length(self) -> int:
        session = self.screen.session
        return len(next_derivation(session).lines)

    def finish(self) -> None:
        self.finished = True
        if self.store is None:
            return
        messages = self.store.record_lesson(self.lesson.id, self.score.right_first_time,
                                            self.score.asked)  # fmt: skip
        if messages:
            self.screen.notice = messages[0]

    # ---- what the panel shows ------------------------------------------------------------

    def shown_page(self) -> Shown:
        page = self.lesson.pages[self.page]
        number = f"page {self.page + 1}/{len(self.lesson.pages)}"
        shown = Shown(number, self.opened.render(self.page, page.title, page.line),
                      keys=self.lesson.keys if self.page == 0 else ())  # fmt: skip
        for at, block in enumerate(page.blocks[: self.shown]):
            if isinstance(block, Text):
                shown.blocks.append(("text", self.opened.render(self.page, block.text, block.line)))
                continue
            shown.blocks.append(("question", self.opened.render(self.page, block.prompt, block.line)))
            outcome = self.outcomes.get((self.page, at))
            if outcome is not None:
                shown.blocks.append(("outcome", outcome))
            elif self.feedback:
                shown.blocks.append(("feedback", self.feedback))
        if self.finished and self.page == len(self.lesson.pages) - 1:
            shown.footer = f"Lesson finished: {self.score}."
        return shown
