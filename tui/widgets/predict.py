"""The answer row: what is asked, the learner's number, and what the last answer earned."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ..ascii import to_ascii
from ..commands import COMMANDS


# What an answer is made of: digits, a decimal point, signs (ASCII and typographic), an
# exponent, commas between a vector's numbers.
ANSWER_CHARACTERS = frozenset("0123456789.+-−eE, ")


class AnswerInput(Input):
    """An Input that types only what a number is made of: any other key (v, a, ]) goes on to
    the screen's bindings instead of into the answer. Its cursor does not blink: each blink
    would cross an SSH link, twice a second, for as long as a question waits."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character not in ANSWER_CHARACTERS:
            # Textual gives a focused Input every printable key, before any binding: run the
            # screen's command for it here (the screen's check_action still decides).
            event.prevent_default()
            event.stop()
            command = next((c for c in COMMANDS if event.key in c.keys.split(",")), None)
            if command is not None and command.id != "quit":  # a stray q must not end it all
                await self.screen.run_action(command.action)


class PredictBar(Vertical):
    """Shown while a question is open (predict mode or a lesson); Enter sends the answer."""

    class Answered(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, ascii_only: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ascii_only = ascii_only
        self.prompt = Static(id="predict-prompt", markup=False)
        self.feedback = Static(id="predict-feedback", markup=False)
        self.answer = AnswerInput(id="predict-answer", placeholder="a number", select_on_focus=False)

    def compose(self) -> ComposeResult:
        with Horizontal(id="predict-row"):
            yield self.prompt
            yield self.answer
        yield self.feedback

    def _text(self, text: str) -> str:
        return to_ascii(text) if self.ascii_only else text

    def ask(self, prompt: str, feedback: str = "", placeholder: str = "a number") -> None:
        """Open a question: the prompt, an empty answer, focus on it."""
        self.display = True
        self.prompt.update(self._text(prompt))
        self.say(feedback)
        self.answer.value = ""
        self.answer.placeholder = placeholder
        self.answer.focus()

    def say(self, feedback: str) -> None:
        """What the last answer earned; the row takes no room when there is nothing to say."""
        self.feedback.display = bool(feedback)
        self.feedback.update(self._text(feedback))
        self.answer.value = ""

    def close(self) -> None:
        self.display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(event.value))
