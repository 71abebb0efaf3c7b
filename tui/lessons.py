"""Lessons opened for the app: each page's flags made into a model by the CLI's own rules, and
its text and questions answered by the engine (core/lesson_values.py).

A lesson file a teacher wrote is checked whole before the app starts (``check_lesson``), so a
mistake is one line naming the file and the line, not a surprise on page 5.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calc_tutor.core.config import ConfigError
from calc_tutor.core.lesson import Lesson, LessonError, Page, Question, Text, built_in_lessons, read_lesson
from calc_tutor.core.lesson_values import Context, ExpressionError, State
from calc_tutor.core.numbers import fmt_value
from calc_tutor.core.predict import Question as Asked
from calc_tutor.core.predict import line_hint

# {expression} or {expression:format}; {{ and }} are braces.
_PLACE = re.compile(r"\{\{|\}\}|\{([^{}:]+)(?::([^{}]*))?\}")


def find_lesson(choice: str) -> Lesson:
    """``--lesson N`` (a built-in lesson's number) or ``--lesson FILE.md``."""
    if re.fullmatch(r"[0-9]+", choice):
        lessons = built_in_lessons()
        number = int(choice)
        if not 1 <= number <= len(lessons):
            raise ConfigError("lesson", f"there are lessons 1 to {len(lessons)} "
                                        f"(calc-tutor lessons lists them), not {choice}")  # fmt: skip
        return lessons[number - 1]
    path = Path(choice)
    if not path.is_file():
        raise ConfigError("lesson", f"{choice!r} is neither a lesson's number nor a lesson file")
    return read_lesson(path)


def fill_places(text: str, context: Context) -> str:
    """``text`` with each {expression} (or {expression:format}) replaced by the engine's value
    in ``context``; raises ExpressionError. For a lesson's text and a demo's captions alike."""

    def value(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group()[0]
        return context.text(match.group(1), match.group(2) or "")

    return _PLACE.sub(value, text)


def page_model(lesson: Lesson, page: Page) -> Any:
    """The page's model: the lesson's flags, then the page's own, read as the command line's."""
    from .cli import model_from_flags

    try:
        return model_from_flags(lesson.flags + page.flags)
    except ConfigError as error:
        line = page.flags_line if _gives(page.flags, error) else lesson.flags_line
        raise LessonError(lesson.source, line, f"--{error.field}: {error.message}") from None


def _gives(flags: tuple[str, ...], error: ConfigError) -> bool:
    """Whether the flag ``error`` is about is among ``flags`` (a page's ``state:``), so the error
    is blamed on that line and not on the lesson's ``flags:`` line."""
    given = {token.split("=")[0] for token in flags if token.startswith("--")}
    if error.field == "flags":  # the parser's own message (an unknown flag) quotes the flag
        return any(re.search(rf"{re.escape(flag)}\b", error.message) for flag in given)
    return f"--{error.field}" in given


@dataclass
class OpenLesson:
    """A lesson with its pages' states, each built when first needed."""

    lesson: Lesson
    states: dict[int, State]

    @classmethod
    def of(cls, lesson: Lesson) -> OpenLesson:
        return cls(lesson, {})

    def state(self, index: int) -> State:
        if index not in self.states:
            page = self.lesson.pages[index]
            try:
                self.states[index] = State(page_model(self.lesson, page), page.steps)
            except ConfigError as error:  # the run diverges before the page's steps
                raise LessonError(self.lesson.source, page.line, error.message) from None
        return self.states[index]

    def context(self, index: int) -> Context:
        return Context(self.state(index), _Pages(self))

    def render(self, index: int, text: str, line: int) -> str:
        """``text`` with each {expression} replaced by the engine's value."""
        try:
            return fill_places(text, self.context(index))
        except ExpressionError as error:
            raise LessonError(self.lesson.source, line, str(error)) from None

    def question(self, index: int, question: Question) -> Asked:
        """The question as the learner meets it, answered by the engine."""
        context = self.context(index)
        source, at = self.lesson.source, question.line
        try:
            value = context.value(question.expression)
            hint = self.render(index, question.hint, at) if question.hint else ""
            why = self.render(index, question.why, at) if question.why else ""
            reference = context.line_reference(question.expression)
            if reference is not None:
                update, name = reference
                line = self.state(index).derivation(update).line(name)
                worked = f"{line.substitution} = " if line.substitution else ""
                hint = hint or line_hint(line)
                why = why or f"{line.symbol.split(' = ')[0]}: {worked}{{value}}. {line.note}"
            else:
                if not hint and not context.computes(question.expression):
                    raise ExpressionError("needs a 'hint:' line: written with its numbers, this "
                                          "expression would be the answer itself")  # fmt: skip
                hint = hint or context.with_numbers(question.expression)
                why = why or f"{context.with_numbers(question.expression)} = {{value}}."
        except ExpressionError as error:
            raise LessonError(source, at, f"{question.expression}: {error}") from None
        why = why.replace("{value}", fmt_value(value))
        return Asked(self.render(index, question.prompt, at), value, hint, why)

    def reference(self, index: int, question: Question) -> tuple[int, str] | None:
        return self.context(index).line_reference(question.expression)


class _Pages(Mapping[str, State]):
    """The named pages' states, each built when an expression first asks for it."""

    def __init__(self, lesson: OpenLesson) -> None:
        self.lesson = lesson
        self.index = {page.name: i for i, page in enumerate(lesson.lesson.pages) if page.name}

    def __getitem__(self, name: str) -> State:
        return self.lesson.state(self.index[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


def check_lesson(lesson: Lesson) -> None:
    """Build every page and answer every expression: a LessonError names the first mistake."""
    opened = OpenLesson.of(lesson)
    for index, page in enumerate(lesson.pages):
        opened.render(index, page.title, page.line)
        for block in page.blocks:
            if isinstance(block, Text):
                opened.render(index, block.text, block.line)
            else:
                opened.question(index, block)


def lesson_list(finished: Callable[[str], bool]) -> str:
    """``calc-tutor lessons``: one numbered line per built-in lesson, ✓ on finished ones."""
    lines = []
    for number, lesson in enumerate(built_in_lessons(), start=1):
        mark = "✓" if finished(lesson.id) else " "
        lines.append(f"{number:>2}. {mark} {lesson.title}")
    return "\n".join(lines) + "\n"
