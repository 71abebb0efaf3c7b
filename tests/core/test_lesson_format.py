"""The lesson file format: what a valid file reads into, and the line every mistake is blamed on.

Flags, expressions and names are checked by ``tui/lessons.py`` against the engine; those tests
are at the end of this file, since they are about the file's lines too.
"""

from __future__ import annotations

import re

import pytest

from calc_tutor.core.lesson import (
    MAX_STEPS_PER_PAGE,
    LessonError,
    Question,
    Text,
    parse_lesson,
    read_lesson,
)
from calc_tutor.tui.lessons import OpenLesson, check_lesson, page_model

SOURCE = "teacher.md"

VALID = """\
---
title: Step size
flags: --activation linear --loss mse --target 1 --x 2 --w 0 --lr 0.01
keys: n, 1 k
---

## A small step
Text, with the engine's numbers in braces:
the gradient is {dloss_dw}.

? update(5).w_next: Where is W after 5 updates?
hint: W moves by α·dLoss/dW each update.
why: Each update shrinks the miss by the same factor.

Text shown once the question is answered.
<!-- a comment ends the paragraph and is not shown -->
? dloss_dw: And the gradient now?

## A larger step {#large}
state: --lr 0.1 --x "2"
steps: 3

? update(1).dloss_dw / large.dloss_dw: How many times larger?
why: Only the step size changed.
"""


def lesson_from(body: str, flags: str = "--w 0.5 --x 2 --lr 0.1"):
    return parse_lesson(f"---\ntitle: A lesson\nflags: {flags}\n---\n{body}", SOURCE)


def error_of(text: str) -> LessonError:
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, SOURCE)
    return caught.value


def assert_blames(error: LessonError, line: int, *words: str) -> None:
    """The message names the file and the line, and says what is wrong in ``words``."""
    assert error.source == SOURCE and error.line == line, str(error)
    assert str(error).startswith(f"{SOURCE}, line {line}: "), str(error)
    for word in words:
        assert word in error.message, f"{word!r} not in {error.message!r}"


# ---- a valid lesson -------------------------------------------------------------------------


def test_a_valid_lesson_reads_into_what_was_written():
    lesson = parse_lesson(VALID, SOURCE)
    assert lesson.title == "Step size"
    assert lesson.flags == ("--activation", "linear", "--loss", "mse", "--target", "1", "--x", "2",
                            "--w", "0", "--lr", "0.01")  # fmt: skip
    assert lesson.flags_line == 3
    assert lesson.keys == ("n", "1", "k")  # commas and spaces both separate keys
    assert lesson.id == "teacher"
    first, second = lesson.pages
    assert (first.title, first.name, first.flags, first.steps, first.line) == ("A small step", "", (), 0, 7)
    assert first.flags_line == 7  # no state: line, so its heading
    # Two lines of one paragraph are joined with a space; the comment is not text.
    assert first.blocks == (
        Text("Text, with the engine's numbers in braces: the gradient is {dloss_dw}.", 8),
        Question("update(5).w_next", "Where is W after 5 updates?",
                 "W moves by α·dLoss/dW each update.",
                 "Each update shrinks the miss by the same factor.", 11),
        Text("Text shown once the question is answered.", 15),
        Question("dloss_dw", "And the gradient now?", "", "", 17),
    )  # fmt: skip
    assert (second.title, second.name, second.line) == ("A larger step", "large", 19)
    assert second.flags == ("--lr", "0.1", "--x", "2")  # split as a shell would: quotes go
    assert (second.flags_line, second.steps) == (20, 3)
    assert second.blocks == (
        Question("update(1).dloss_dw / large.dloss_dw", "How many times larger?", "",
                 "Only the step size changed.", 23),
    )  # fmt: skip
    assert [q.line for q in lesson.questions] == [11, 17, 23]


def test_keys_are_optional_and_comments_stand_alone():
    lesson = lesson_from("## Only page\n<!-- note -->\nOne line.\n")
    assert lesson.keys == ()
    assert lesson.pages[0].blocks == (Text("One line.", 7),)


def test_a_heading_with_only_a_name_is_refused():
    # "## {#x}" is a page with no title, not a page titled "{#x}".
    assert_blames(error_of("---\ntitle: T\nflags: --x 2\n---\n## {#x}\n"), 5, "no title")


# ---- malformed files: each names the source and the line ------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param("title: T\nflags: --x 2\n## P\n", 1, ["front matter"], id="no-front-matter"),
        pytest.param("", 1, ["front matter"], id="empty-file"),
        pytest.param("---\ntitle: T\nflags: --x 2\n\n## P\n", 5, ["closing '---'"], id="unclosed"),
        pytest.param("---\ntitle: T\nflags: --x 2\n", 3, ["closing '---'"], id="unclosed-at-end"),
        pytest.param("---\ntitle: T\nauthor: me\nflags: --x 2\n---\n## P\n", 3, ["'author: me'"],
                     id="unknown-key"),
        pytest.param("---\ntitle: T\nflags: --x 2\nstyle\n---\n## P\n", 4, ["'style'"],
                     id="key-without-colon"),
        pytest.param("---\ntitle: T\nflags: --x 2\ntitle: U\n---\n## P\n", 4, ["'title:'", "twice"],
                     id="key-twice"),
        pytest.param("---\nflags: --x 2\n---\n## P\n", 1, ["'title:'"], id="no-title"),
        pytest.param("---\ntitle:   \nflags: --x 2\n---\n## P\n", 2, ["title is empty"], id="empty-title"),
        pytest.param("---\ntitle: T\n---\n## P\n", 1, ["'flags:'"], id="no-flags"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n\n\n", 5, ["no pages"], id="no-pages"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n\nHello.\n## P\n", 6, ["before the first page"],
                     id="text-before-first-page"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\nText.\n##\n", 7, ["no title"],
                     id="heading-without-title"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\nText.\nstate: --lr 1\n", 7,
                     ["'state:'", "heading"], id="state-after-text"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\n? z: What?\nsteps: 2\n", 7,
                     ["'steps:'", "heading"], id="steps-after-question"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\nsteps: -1\n", 6, ["'-1'"],
                     id="steps-negative"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\nsteps: three\n", 6, ["'three'"],
                     id="steps-word"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\nsteps: 2.5\n", 6, ["'2.5'"],
                     id="steps-fraction"),
        pytest.param(f"---\ntitle: T\nflags: --x 2\n---\n## P\nsteps: {MAX_STEPS_PER_PAGE + 1}\n", 6,
                     [f"{MAX_STEPS_PER_PAGE:,}"], id="steps-too-big"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\nstate: --x 2\nstate: --x 3\n", 7,
                     ["two 'state:'"], id="state-twice"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\nsteps: 1\nsteps: 2\n", 7,
                     ["two 'steps:'"], id="steps-twice"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\nhint: look up\n", 6,
                     ["'hint:'", "question"], id="hint-not-under-question"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\n? z: What?\nText.\nwhy: because\n", 8,
                     ["'why:'", "question"], id="why-after-text"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\n? z: What?\nhint: a\nhint: b\n", 8,
                     ["two 'hint:'"], id="hint-twice"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\n? z: What?\nwhy: a\n\nwhy: b\n", 9,
                     ["two 'why:'"], id="why-twice"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\n? z: What?\nhint:\n", 7,
                     ["'hint:' is empty"], id="hint-empty"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\n? z: What?\nwhy:   \n", 7,
                     ["'why:' is empty"], id="why-empty"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\n? z what is it\n", 6,
                     ["'? EXPRESSION: the question'"], id="question-without-colon"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\n? z:no space\n", 6,
                     ["'? EXPRESSION: the question'"], id="question-colon-without-space"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\n?z: What?\n", 6,
                     ["'? EXPRESSION: the question'"], id="question-mark-without-space"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P {#a}\n\n## Q {#b}\n\n## R {#a}\n", 9,
                     ["two pages", "'a'"], id="same-name-twice"),
        pytest.param("---\ntitle: T\nflags: --x \"2\n---\n## P\n", 3, ["flags cannot be read"],
                     id="unbalanced-quote-in-flags"),
        pytest.param("---\ntitle: T\nflags: --x 2\n---\n## P\nstate: --w '0.5\n", 6,
                     ["flags cannot be read"], id="unbalanced-quote-in-state"),
    ],
)  # fmt: skip
def test_a_malformed_lesson_names_its_line(text: str, line: int, words: list[str]):
    assert_blames(error_of(text), line, *words)


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("---\ntitle: Café\nflags: --x 2\n---\n## P\n".encode("latin-1"))
    with pytest.raises(LessonError) as caught:
        read_lesson(path)
    assert caught.value.source == str(path) and "UTF-8" in caught.value.message
    assert str(caught.value).startswith(str(path))


def test_a_missing_file_is_named_without_a_line(tmp_path):
    path = tmp_path / "nowhere.md"
    with pytest.raises(LessonError) as caught:
        read_lesson(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "cannot be read" in message
    assert "line" not in message  # a file that cannot be opened has no line to blame


def test_a_file_is_read_and_named_as_its_path(tmp_path):
    path = tmp_path / "my-lesson.md"
    path.write_text(VALID, encoding="utf-8")
    lesson = read_lesson(path)
    assert lesson.source == str(path) and lesson.id == "my-lesson"
    assert lesson == parse_lesson(VALID, str(path))


# ---- flags, names and runs, checked against the engine (tui/lessons.py) --------------------


def check_error(text: str) -> LessonError:
    lesson = parse_lesson(text, SOURCE)
    with pytest.raises(LessonError) as caught:
        check_lesson(lesson)
    return caught.value


BAD_FLAGS = [
    pytest.param("--lr -1", "lr", id="negative-lr"),
    pytest.param("--activation nope", "activation", id="unknown-activation"),
    pytest.param("--steps 3", "steps", id="steps-flag"),
    pytest.param("--nope 1", "--nope", id="unknown-flag"),
]


@pytest.mark.parametrize(("flags", "named"), BAD_FLAGS)
def test_a_bad_flag_in_the_front_matter_names_the_flags_line(flags: str, named: str):
    text = f"---\ntitle: T\nkeys: k\nflags: --x 2 {flags}\n---\n## P\nText.\n"
    assert_blames(check_error(text), 4, named)


@pytest.mark.parametrize(("flags", "named"), BAD_FLAGS)
def test_a_bad_flag_on_a_page_names_its_state_line(flags: str, named: str):
    text = f"---\ntitle: T\nflags: --x 2\n---\n## Good\nText.\n\n## Bad\n\nstate: --w 1 {flags}\n"
    assert_blames(check_error(text), 10, named)


@pytest.mark.parametrize(("flags", "named"), BAD_FLAGS)
def test_a_bad_lesson_flag_is_blamed_on_the_front_matter_even_on_a_page_with_state(flags, named):
    # The page's own state: line is fine: the mistake is where the lesson's flags are written.
    text = f"---\ntitle: T\nflags: --x 2 {flags}\n---\n## P\nstate: --w 1\nText.\n"
    assert_blames(check_error(text), 3, named)


def test_page_model_reads_the_lesson_flags_then_the_page_ones():
    lesson = parse_lesson(VALID, SOURCE)
    first, second = (page_model(lesson, page) for page in lesson.pages)
    assert first.config.lr == 0.01 and first.config.activation == "linear"
    assert second.config.lr == 0.1 and second.config.activation == "linear"  # the page's wins


def test_a_page_whose_steps_pass_a_divergence_names_that_page():
    # Linear neuron, mse, X = 2: the miss is multiplied by (1 − 8α) each update; α = 1 makes it
    # grow 7× an update, so 400 updates pass the float limit.
    text = ("---\ntitle: T\nflags: --activation linear --loss mse --target 1 --x 2 --w 0\n---\n"
            "## Fine\nText.\n\n## Too far\nstate: --lr 1\nsteps: 400\nText.\n")  # fmt: skip
    error = check_error(text)
    assert_blames(error, 8, "update")
    assert re.search(r"stops at update \d+", error.message)


@pytest.mark.parametrize(
    ("body", "line", "named"),
    [
        pytest.param("## P\nFirst line.\n\nThe {no_such_line} here.\n", 8, "no_such_line", id="text"),
        pytest.param("## The {bogus} page\n", 5, "bogus", id="title"),
        pytest.param("## P\n\n? nope_name: What is it?\n", 7, "nope_name", id="question"),
        pytest.param("## P\n\n? z: What is {mystery}?\n", 7, "mystery", id="question-prompt"),
        pytest.param("## P\n\n? z: What?\nhint: see {nothing_here}\n", 7, "nothing_here", id="hint"),
        pytest.param("## P\nSee {other.dloss_dw}.\n", 6, "other", id="unknown-page"),
    ],
)  # fmt: skip
def test_an_unknown_name_names_its_line(body: str, line: int, named: str):
    assert_blames(check_error(f"---\ntitle: T\nflags: --x 2\n---\n{body}"), line, named)


def test_a_valid_lesson_passes_the_check():
    check_lesson(parse_lesson(VALID, SOURCE))  # raises on the first mistake


def test_render_answers_braces_with_the_engine_and_keeps_doubled_braces():
    lesson = lesson_from("## P\nText.\n", flags="--w 0.5 --x 2 --lr 0.1")
    opened = OpenLesson.of(lesson)
    z = 0.5 * 2  # z = W·X
    assert opened.render(0, "z is {z:.3f} {{not this}}", 1) == f"z is {z:.3f} {{not this}}"
    # A negative number printed with a format spec uses the learner's minus sign.
    assert opened.render(0, "{-z:.2f}", 1) == "\u22121.00"
    with pytest.raises(LessonError) as caught:
        opened.render(0, "{z:q}", 4)
    assert caught.value.line == 4 and "format" in caught.value.message
