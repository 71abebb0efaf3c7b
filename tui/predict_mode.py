"""Predict mode (key k): before each line of the next update is shown, the learner types its value.

The walk is the derivation's own (``s``): lines are revealed in order, the update is applied after
its last line, and every panel shows that update while it is walked. What is asked, and what a
right, wrong or twice-wrong answer earns, are core/predict.py's rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calc_tutor.core.predict import Question, Score, line_question, next_askable

from .now import next_derivation

if TYPE_CHECKING:
    from .screens.main import MainScreen


class PredictMode:
    """The questions of one predict session, on the main screen's walk-through."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.score = Score()
        self.question: Question | None = None
        self.index = 0  # the 1-based line being asked
        self.paused = False  # an update was just applied: Enter goes on to the next

    def start(self) -> None:
        self.screen.end_walk()
        self.ask_next()

    def ask_next(self, feedback: str = "") -> None:
        screen = self.screen
        session = screen.session
        if screen.blocked():
            self.screen.leave_predicting(f"stopped: the run diverged · {self.score}")
            return
        derivation = next_derivation(session)
        index = next_askable(derivation, screen.revealed)
        if index is None:  # every line asked: apply the update, and let it be read
            screen.finish_walk(len(derivation.lines))
            self.paused, self.question = True, None
            step = session.cursor
            screen.pause_questions(f"Step {step} applied. Enter: predict step {step + 1}", feedback)
            screen.score_text = f"Predict · {self.score}"
            return
        self.index, self.paused = index, False
        self.question = line_question(derivation.lines[index - 1])
        screen.ask_line(index)
        screen.open_question(f"{self.question.label} = ?", feedback)
        screen.score_text = f"Predict · {self.score}"

    def answered(self, text: str) -> None:
        if self.paused or self.question is None:
            self.screen.end_walk()
            self.ask_next()
            return
        question = self.question
        reply = question.answer(text)
        if not question.done:
            self.screen.bar.say(reply.message)
            return
        self.score.count(question)
        self.screen.reveal_line(self.index)
        self.ask_next(reply.message)
