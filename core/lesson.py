"""A lesson file: Markdown with a small front matter, read into pages of text and questions.

The format (the README's "Writing a lesson" says the same for teachers)::

    ---
    title: Step size
    flags: --activation linear --loss mse --target 1 --x 2 --w 0 --lr 0.01
    keys: n 1
    ---

    ## A small step
    Text, with the engine's numbers in braces: the gradient is {dloss_dw}.

    ? update(5).w_next: Where is W after 5 updates?
    hint: W moves by α·dLoss/dW each update.
    why: Each update shrinks the miss by the same factor.

    Text shown once the question is answered.

    ## A larger step {#large}
    state: --lr 0.125
    steps: 0

Each ``## `` heading starts a page; ``{#name}`` names its state so other pages can quote it
(``{large.dloss_dw}``). ``state:`` adds flags to the lesson's for this page, and ``steps:``
applies that many updates before it opens. A line ``? EXPRESSION: question`` asks the learner to
predict the expression's value (lesson_values.py says what an expression may use); the optional
``hint:`` and ``why:`` lines after it replace the ones made from the derivation. Nothing here
knows a model or a number: the flags are checked, and the expressions answered, by the engine.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path

from .lesson_error import LessonError
from .lesson_values import RESERVED

FRONT_MATTER_KEYS = ("title", "flags", "keys")
MAX_STEPS_PER_PAGE = 100_000  # a page opens in moments, even over SSH


@dataclass(frozen=True)
class Text:
    text: str  # a paragraph, with {expression} places for the engine's numbers
    line: int


@dataclass(frozen=True)
class Question:
    expression: str  # what the learner predicts, answered by the engine
    prompt: str
    hint: str  # "" for the one made from the derivation
    why: str  # "" for the line's own note
    line: int


Block = Text | Question


@dataclass(frozen=True)
class Page:
    title: str
    name: str  # its state's name for other pages ({#name}), "" when it has none
    flags: tuple[str, ...]  # added to the lesson's for this page
    steps: int  # updates applied before the page opens
    blocks: tuple[Block, ...]
    line: int
    flags_line: int  # where the page's flags are written (its heading when it has none)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Question))


@dataclass(frozen=True)
class Lesson:
    source: str  # the file, as named to the learner
    title: str
    flags: tuple[str, ...]
    keys: tuple[str, ...]
    pages: tuple[Page, ...]
    flags_line: int = 0

    @property
    def id(self) -> str:
        """What progress is kept under: the file's name without its ``.md``."""
        return Path(self.source).stem

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for page in self.pages for q in page.questions)


# "## Title {#name}"; a bare "##" or "## {#name}" is a heading without a title, not text.
_HEADING = re.compile(r"^##(?=\s|$)\s*(?P<title>.*?)\s*(?:\{#(?P<name>[A-Za-z_][A-Za-z0-9_]*)\})?\s*$")
_QUESTION = re.compile(r"^\?\s+(?P<expression>.+?):\s+(?P<prompt>\S.*)$")
_DIRECTIVE = re.compile(r"^(?P<key>state|steps|hint|why):\s*(?P<value>.*)$")


def split_flags(text: str, source: str, line: int) -> tuple[str, ...]:
    """The flags of a ``flags:`` or ``state:`` line, split as a shell would."""
    import shlex

    try:
        return tuple(shlex.split(text))
    except ValueError as error:
        raise LessonError(source, line, f"the flags cannot be read: {error}") from None


def parse_lesson(text: str, source: str) -> Lesson:
    """The lesson in ``text``; ``source`` names the file in errors."""
    lines = text.splitlines()
    front, body_start = _front_matter(lines, source)
    for key in ("title", "flags"):
        if key not in front:
            raise LessonError(source, 1, f"the front matter has no '{key}:' line")
    title, title_line = front["title"]
    if not title:
        raise LessonError(source, title_line, "the title is empty")
    flags_text, flags_line = front["flags"]
    keys_text = front.get("keys", ("", 0))[0]
    pages = _pages(lines, body_start, source)
    if not pages:
        raise LessonError(source, body_start + 1, "the lesson has no pages: start one with '## '")
    named: set[str] = set()
    for page in (page for page in pages if page.name):  # blame the second page of a name
        if page.name in named:
            raise LessonError(source, page.line, f"two pages are named '{page.name}'")
        named.add(page.name)
    return Lesson(source, title, split_flags(flags_text, source, flags_line),
                  tuple(keys_text.replace(",", " ").split()), tuple(pages), flags_line)  # fmt: skip


def _front_matter(lines: list[str], source: str) -> tuple[dict[str, tuple[str, int]], int]:
    if not lines or lines[0].strip() != "---":
        raise LessonError(source, 1, "a lesson starts with a front matter: a line '---', then "
                                     "'title:', 'flags:' and 'keys:' lines, then '---'")  # fmt: skip
    front: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        if line == "---":
            return front, number
        if not line:
            continue
        if _HEADING.match(line):  # the closing line was forgotten: say so, not "not a key"
            raise LessonError(source, number, "the front matter has no closing '---' line before this page")
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in FRONT_MATTER_KEYS:
            raise LessonError(source, number, f"the front matter takes only "
                              f"{', '.join(k + ':' for k in FRONT_MATTER_KEYS)} lines, not {raw.strip()!r}")  # fmt: skip
        if key in front:
            raise LessonError(source, number, f"'{key}:' is given twice")
        front[key] = (value.strip(), number)
    raise LessonError(source, len(lines), "the front matter has no closing '---' line")


def _pages(lines: list[str], start: int, source: str) -> list[Page]:
    pages: list[Page] = []
    page: dict | None = None
    paragraph: list[str] = []
    paragraph_line = 0

    def end_paragraph() -> None:
        nonlocal paragraph
        if paragraph and page is not None:
            page["blocks"].append(Text(" ".join(paragraph), paragraph_line))
        paragraph = []

    for number in range(start + 1, len(lines) + 1):
        raw = lines[number - 1]
        line = raw.strip()
        heading = _HEADING.match(line)
        if heading:
            end_paragraph()
            if page is not None:
                pages.append(_page(page))
            if not heading["title"]:
                raise LessonError(source, number, "a page's heading has no title")
            page = {"title": heading["title"], "name": heading["name"] or "", "flags": (),
                    "steps": 0, "blocks": [], "line": number, "flags_line": number, "given": set()}  # fmt: skip
            continue
        if page is None:
            if line:
                raise LessonError(source, number, "text before the first page: start a page with '## '")
            continue
        if not line or line.startswith("<!--"):
            end_paragraph()
            continue
        directive = _DIRECTIVE.match(line)
        if directive:
            end_paragraph()
            _directive(page, directive["key"], directive["value"].strip(), source, number)
            continue
        question = _QUESTION.match(line)
        if line.startswith("?"):
            if question is None:
                raise LessonError(source, number, "a question reads '? EXPRESSION: the question'")
            end_paragraph()
            page["blocks"].append(Question(question["expression"].strip(),
                                           question["prompt"].strip(), "", "", number))  # fmt: skip
            continue
        if not paragraph:
            paragraph_line = number
        paragraph.append(line)
    end_paragraph()
    if page is not None:
        pages.append(_page(page))
    return pages


def _directive(page: dict, key: str, value: str, source: str, number: int) -> None:
    blocks = page["blocks"]
    if key in ("state", "steps"):
        if blocks:
            raise LessonError(source, number, f"'{key}:' belongs right under the page's heading")
        if key in page["given"]:
            raise LessonError(source, number, f"the page has two '{key}:' lines")
        page["given"].add(key)
        if key == "state":
            page["flags"] = split_flags(value, source, number)
            page["flags_line"] = number
            return
        if not re.fullmatch(r"[0-9]+", value) or int(value) > MAX_STEPS_PER_PAGE:
            raise LessonError(source, number, f"'steps:' takes a whole number from 0 to "
                                              f"{MAX_STEPS_PER_PAGE:,}, not {value!r}")  # fmt: skip
        page["steps"] = int(value)
        return
    if not blocks or not isinstance(blocks[-1], Question):
        raise LessonError(source, number, f"'{key}:' belongs right under a question")
    if not value:
        raise LessonError(source, number, f"'{key}:' is empty")
    question = blocks[-1]
    if getattr(question, key):
        raise LessonError(source, number, f"the question has two '{key}:' lines")
    blocks[-1] = Question(question.expression, question.prompt,
                          value if key == "hint" else question.hint,
                          value if key == "why" else question.why, question.line)  # fmt: skip


def _page(page: dict) -> Page:
    return Page(page["title"], page["name"], page["flags"], page["steps"], tuple(page["blocks"]),
                page["line"], page["flags_line"])  # fmt: skip


def read_lesson(path: Path) -> Lesson:
    """The lesson in the file at ``path``; a file that cannot be read is a LessonError too."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LessonError(str(path), 1, "the file is not UTF-8 text") from None
    except OSError as error:
        raise LessonError(str(path), 0, f"cannot be read: {error.strerror or error}") from None
    return parse_lesson(text, str(path))


LESSONS_DIR = Path(__file__).parent / "lessons"


def built_in_lessons() -> list[Lesson]:
    """The path through the four uses of calculus, in order (files named 01-….md, 02-….md…)."""
    return [read_lesson(path) for path in sorted(LESSONS_DIR.glob("*.md"))]
