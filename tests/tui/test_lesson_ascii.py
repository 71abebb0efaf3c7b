"""Every word a built-in lesson shows (text, questions, hints, answers, outcomes) has an ASCII
spelling: under --ascii nothing in a lesson turns into "?"."""

from __future__ import annotations

import pytest

from calc_tutor.core.lesson import Question, Text, built_in_lessons
from calc_tutor.tui.ascii import to_ascii
from calc_tutor.tui.lessons import OpenLesson

LESSONS = built_in_lessons()


def shown_texts(lesson) -> list[str]:
    opened = OpenLesson.of(lesson)
    texts = [lesson.title, " ".join(lesson.keys)]
    for index, page in enumerate(lesson.pages):
        texts.append(opened.render(index, page.title, page.line))
        for block in page.blocks:
            if isinstance(block, Text):
                texts.append(opened.render(index, block.text, block.line))
            elif isinstance(block, Question):
                asked = opened.question(index, block)
                texts += [asked.label, asked.hint, asked.why, asked.give_up().message]
    return texts


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_every_lesson_reads_in_ascii_without_a_missing_symbol(lesson) -> None:
    for text in shown_texts(lesson) + ["✓ right first time"]:
        assert to_ascii(text).count("?") == text.count("?"), text
