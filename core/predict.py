"""Predict, then reveal: a question about one value, the learner's tries, and what each earns.

Right within 1% (or 0.001 when the value is small) on the first try scores; a wrong first try
earns a hint (the formula with the numbers to plug in, never the value) and a second try; a
second wrong one reveals the value with why. The same rules serve the app's predict mode (every
line of the derivation in turn, or every node's gradient in the graph's backward walk) and a
lesson's questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .derivation import ASIDES, Derivation, Line
from .graph import BackwardStep, Graph
from .numbers import MINUS, fmt_value, numbers_of

RELATIVE_TOLERANCE = 0.01
ABSOLUTE_TOLERANCE = 0.001
MAX_ASKED_NUMBERS = 4  # a value with more (a layer's weights) is shown, not asked
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class NotANumber(ValueError):
    """An answer that is not a number (or not as many as the value has); the message says so."""


def parse_answer(text: str, count: int = 1) -> tuple[float, ...]:
    """The numbers typed: ``−0.39`` and ``-0.39`` alike; ``count`` of them, comma-separated."""
    parts = [part.strip().replace(MINUS, "-") for part in text.split(",")]
    if parts == [""]:
        raise NotANumber("type a number, then Enter (esc leaves)")
    numbers = []
    for part in parts:
        if not _NUMBER.fullmatch(part):
            raise NotANumber(f"{part or 'nothing'!r} is not a number: type one like 0.5 or -1.2e-3")
        numbers.append(float(part))
    if len(numbers) != count:
        what = "one number" if count == 1 else f"{count} numbers, comma-separated"
        raise NotANumber(f"this value has {what}: you typed {len(numbers)}")
    return tuple(numbers)


def close_enough(guess: float, truth: float) -> bool:
    """Within 1% of the value, or 0.001 of it, whichever is larger."""
    return abs(guess - truth) <= max(RELATIVE_TOLERANCE * abs(truth), ABSOLUTE_TOLERANCE)


def askable(line: Line) -> bool:
    """Whether predict mode asks for this line (else it is shown as the walk reaches it): not
    the example (data), not an aside, not a value of more numbers than one would type."""
    if line.group == "example" or line.name in ASIDES or line.value is None:
        return False
    return len(numbers_of(line.value)) <= MAX_ASKED_NUMBERS


def step_askable(step: BackwardStep) -> bool:
    """Whether predict mode asks for this node's gradient (else it is shown as the walk reaches
    it): not the loss's own dLoss/dLoss = 1, where the walk starts, nor a gradient of more
    numbers than one would type."""
    return bool(step.terms) and len(numbers_of(step.gradient)) <= MAX_ASKED_NUMBERS


Asked = TypeVar("Asked")


def _next(items: Sequence[Asked], after: int, asks: Callable[[Asked], bool]) -> int | None:
    for index, item in enumerate(items[after:], start=after + 1):
        if asks(item):
            return index
    return None


def next_askable(derivation: Derivation, after: int) -> int | None:
    """The 1-based index of the first line after ``after`` that predict mode asks, or None."""
    return _next(derivation.lines, after, askable)


def next_askable_step(graph: Graph, after: int) -> int | None:
    """The 1-based index of the first backward step after ``after`` that predict mode asks, or
    None: the graph's walk counts its keys so (``walked``)."""
    return _next(graph.backward, after, step_askable)


@dataclass(frozen=True)
class Reply:
    kind: str  # "right", "hint" (wrong once: try again), "revealed" (wrong twice), "again" (not a number)
    message: str


@dataclass
class Question:
    """One value to predict: what it is called, its value, the hint and the why to give."""

    label: str  # "dLoss/dW" or a lesson's question
    value: Any  # a number, or a vector or matrix of them
    hint: str
    why: str
    tries: int = 0
    done: bool = False

    @property
    def count(self) -> int:
        return len(numbers_of(self.value))

    def answer(self, text: str) -> Reply:
        try:
            guess = parse_answer(text, self.count)
        except NotANumber as error:
            return Reply("again", str(error))
        self.tries += 1
        shown = fmt_value(self.value)
        if all(close_enough(g, t) for g, t in zip(guess, numbers_of(self.value))):
            self.done = True
            first = "Right first time" if self.tries == 1 else "Right on the second try"
            return Reply("right", f"{first}: {shown}")
        if self.tries == 1:
            return Reply("hint", f"Not quite; try again. Hint: {self.hint}")
        return self.give_up()

    def give_up(self) -> Reply:
        """The value, with why: after a second wrong answer, or when the learner asks for it."""
        self.done = True
        self.tries = max(self.tries, 2)  # not right first time
        return Reply("revealed", f"It is {fmt_value(self.value)}. {self.why}".strip())

    @property
    def right_first_time(self) -> bool:
        return self.done and self.tries == 1


def constant_slope(symbol: str) -> str:
    """What a slope whose formula is a number (``dLoss/dy = −1``, which says its own value)
    means, for a hint to say in its place; "" for any other formula."""
    left, _, right = symbol.rpartition(" = ")
    slope = re.fullmatch(r"d(\S+)/d(\S+)", left.split(" = ")[0])
    if slope and _NUMBER.fullmatch(right.replace(MINUS, "-")):
        return f"{slope[0]} is how much {slope[1]} changes when {slope[2]} rises by 1"
    return ""


def line_hint(line: Line) -> str:
    """The line's formula with the numbers to plug in. A formula that is a constant
    (``dLoss/dy = −1``) would say the value itself: its hint says what the slope means instead."""
    if line.substitution:
        return f"{line.symbol}, with {line.substitution}"
    return constant_slope(line.symbol) or line.symbol


def question_label(symbol: str) -> str:
    """What a question asks for: its formula (``dLoss/dz = dLoss/dy · dy/dz``), or only its
    left side where the formula is a constant, the value itself (``dLoss/dy = −1``)."""
    return symbol.split(" = ")[0] if constant_slope(symbol) else symbol


def line_question(line: Line) -> Question:
    """A derivation line as a question: its formula and numbers are the hint, its note the why."""
    hint = line_hint(line)
    value = fmt_value(line.value)
    worked = f"{line.substitution} = {value}. " if line.substitution else ""
    return Question(question_label(line.symbol), line.value, hint, f"{worked}{line.note}")


def step_hint(graph: Graph, step: BackwardStep) -> str:
    """The step's formula with its numbers, upstream × local (summed over a fan-out's paths).
    Where one factor is 1 those numbers would be the value itself: the loss's own slope (its
    upstream is dLoss/dLoss = 1) gets its rule at the node's value; a step whose local is 1
    (a sum's input) its gate's rule, with the upstream the graph already shows."""
    symbol = step.symbol()
    first, *others = step.terms
    if others or 1 not in (first.upstream, first.local):
        return f"{symbol}, with {step.substituted()}"
    if step.formula:  # from the loss: its own slope, at the value of the node it takes
        y = fmt_value(graph.node(step.node).value)
        return constant_slope(symbol) or f"{symbol}, where {step.node} is {y}"
    local = next(edge for edge in graph.edges_from(step.node) if edge.target == first.via)
    slope, _, rule = local.symbol.partition(" = ")
    return f"{symbol}, where {slope} is {rule}"


def step_question(graph: Graph, step: BackwardStep) -> Question:
    """A node's gradient as a question (the graph's backward walk): its formula with the
    numbers is the hint; upstream × local worked out, and what the gate did, the why."""
    worked = step.substituted()
    worked = f"{worked} = {fmt_value(step.gradient)}. " if worked else ""
    return Question(question_label(step.symbol()), step.gradient, step_hint(graph, step),
                    f"{worked}{graph.note(step)}")  # fmt: skip


@dataclass
class Score:
    right_first_time: int = 0
    asked: int = 0

    def count(self, question: Question) -> None:
        self.asked += 1
        self.right_first_time += question.right_first_time

    def __str__(self) -> str:
        return f"{self.right_first_time}/{self.asked} right first time"
