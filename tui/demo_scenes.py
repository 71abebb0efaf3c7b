"""The demo's scenes, as data: where each starts, what the app does there, and its caption.

A scene starts from starting-state flags (read by the command line's own rules) or from a page
of a built-in lesson. Its script is a row of words, each one beat apart:

- a command's id from ``commands.COMMANDS`` (``line``, ``step``, ``forward_10``,
  ``attribution``…): the demo runs that command's action, as its key would;
- ``answer``: type the engine's value into the open question's answer row, then Enter;
- ``wait``: one beat with nothing done;
- ``WORD*N``: the word N times.

A caption is one line for the room to read. Its ``{expression}``s are the engine's numbers, as
in a lesson's text (core/lesson_values.py): of the scene's next update, or of the lesson page's
state and its named pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .commands import COMMANDS

ANSWER, WAIT = "answer", "wait"


@dataclass(frozen=True)
class Scene:
    caption: str
    script: str
    flags: str = ""  # a starting state, as on the command line; or:
    lesson: int = 0  # a built-in lesson's number (calc-tutor lessons)
    page: int = 0  # and its page, counting from 1

    def words(self) -> list[str]:
        """The script, each repeat written out; a word that is not a command, ``answer`` or
        ``wait`` raises ValueError (the tests read every scene)."""
        known = {command.id for command in COMMANDS} | {ANSWER, WAIT}
        words: list[str] = []
        for token in self.script.split():
            word, _, times = token.partition("*")
            if word not in known or (times and not times.isdigit()):
                raise ValueError(f"{token!r} is not a command id, {ANSWER!r} or {WAIT!r}")
            words.extend([word] * (int(times) if times else 1))
        return words


SCENES: tuple[Scene, ...] = (
    Scene("One update, factor by factor: dLoss/dW = {dloss_dw}, W → {w_next}",
          "wait line*10 wait*2", flags="--w 0.5 --x 2 --lr 0.1"),
    Scene("The chain rule as a path: g = upstream × local, back to dLoss/dW = {dloss_dw}",
          "graph wait line*9 wait*2", flags="--w 0.5 --x 2 --lr 0.1 --bias 0.25"),
    Scene("Too big a step: each update overshoots, multiplying the loss by "
          "{update(2).loss / update(1).loss:.0f}",
          "wait step*8 wait*2",
          flags="--activation linear --loss mse --target 1 --x 2 --w 0 --lr 0.5"),
    Scene("Dead ReLU: z = {z} < 0, so dy/dz = {dy_dz} and W never moves",
          "wait line*10 step*3 forward_10 wait",
          flags="--activation relu --loss mse --target 1 --x 2 --w -0.5 --lr 0.5"),
    Scene("A saturated sigmoid: loss {loss}, yet dLoss/dW is only {dloss_dw}",
          "wait answer wait*3", lesson=3, page=2),
    Scene("Backprop: one layer back, dLoss/dz is multiplied by w2·dh/dz1 = "
          "{dloss_dz1 / dloss_dz2}",
          "wait answer wait*3", lesson=5, page=3),
    Scene("Slope at z1 = {z1}: tanh's is {dh_dz1}, the sigmoid's {deep.dh_dz1}",
          "wait answer wait*3", lesson=5, page=4),
    Scene("Gradient check: nudged slope {check(0.01).numeric}, chain rule {dloss_dw}",
          "wait answer wait*3", lesson=7, page=1),
    Scene("dy/dX2 is only {attribution(2).dy_dx[2]}, yet setting X2 to 0 changes y by "
          "{attribution(2).occlusion[2]}",
          "wait answer wait answer wait attribution wait*3", lesson=8, page=3),
)  # fmt: skip
