"""The error a lesson file can raise, in a module of its own: the command line catches it
without loading the lessons' machinery at every start."""

from __future__ import annotations


class LessonError(ValueError):
    """A lesson file that cannot be read: names the file, the line and what is wrong."""

    def __init__(self, source: str, line: int, message: str) -> None:
        # line 0: the whole file (one that cannot be opened has no line to blame)
        super().__init__(f"{source}, line {line}: {message}" if line else f"{source}: {message}")
        self.source, self.line, self.message = source, line, message
