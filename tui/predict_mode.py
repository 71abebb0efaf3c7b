"""Predict mode (key k): before each value of the next update is shown, the learner types it.

The walk is the view's own: the derivation's lines (``s``), or the graph's nodes, each one's
gradient in the backward walk's order (``s`` in the graph). Values are revealed in order, the
update is applied after the last, and every panel shows that update while it is walked. What
is asked, and what a right, wrong or twice-wrong answer earns, are core/predict.py's rules;
which values, in which order, predict_walks.py's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calc_tutor.core.predict import Question, Score

from .predict_walks import walk_for

if TYPE_CHECKING:
    from .screens.main import MainScreen


class PredictMode:
    """The questions of one predict session, on the main screen's walk-through."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.score = Score()
        self.question: Question | None = None
        self.index = 0  # the 1-based place being asked (a line, or a step of the graph's walk)
        self.paused = False  # an update was just applied: Enter goes on to the next
        self.walk = walk_for(screen)

    def start(self) -> None:
        self.screen.end_walk()
        self.ask_next()

    def ask_next(self, feedback: str = "") -> None:
        screen = self.screen
        if screen.blocked():
            self.screen.leave_predicting(f"stopped: the run diverged · {self.score}")
            return
        asked = self.walk.next_question()
        if asked is None:  # every value asked: apply the update, and let it be read
            self.walk.finish()
            self.paused, self.question = True, None
            step = screen.session.cursor
            screen.pause_questions(f"Step {step} applied. Enter: predict step {step + 1}", feedback)
            screen.score_text = f"Predict · {self.score}"
            return
        (self.index, self.question), self.paused = asked, False
        self.walk.ask(self.index)
        screen.open_question(f"{self.question.label} = ?", feedback)
        screen.score_text = f"Predict · {self.score}"

    def answered(self, text: str) -> None:
        if self.paused or self.question is None:
            self.screen.end_walk()
            self.walk = walk_for(self.screen)  # between updates c may have switched the view
            self.ask_next()
            return
        question = self.question
        reply = question.answer(text)
        if not question.done:
            self.screen.bar.say(reply.message)
            return
        self.score.count(question)
        self.walk.reveal(self.index)
        # Said under the next question: named, it cannot read as that one's answer.
        self.ask_next(f"{question.label.split(' = ')[0]}: {reply.message}")
