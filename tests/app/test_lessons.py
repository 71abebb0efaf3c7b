"""Lessons in the app: every built-in lesson walked to its end with right, wrong, twice-wrong
and skipped answers; each revealed value is the engine's; the score and the progress kept; the
lesson menu; a teacher's lesson file."""

from __future__ import annotations

import json

import pytest

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.derivation import derive
from calc_tutor.core.lesson import built_in_lessons, parse_lesson
from calc_tutor.core.numbers import numbers_of
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_value
from calc_tutor.tui.app import CalcTutorApp
from calc_tutor.tui.learner_progress import ProgressStore

from .conftest import SIZE, region_text, wait_until

LESSONS = built_in_lessons()


def lesson_app(lesson) -> CalcTutorApp:
    return CalcTutorApp(Neuron(NeuronConfig()), lesson=lesson)


def right_text(value) -> str:
    return ", ".join(repr(n) for n in numbers_of(value))


def wrong_text(value) -> str:
    return ", ".join(repr(n * 3 + 1000) for n in numbers_of(value))


def panel_text(app: CalcTutorApp) -> str:
    """The lesson panel's words, its frame and line breaks taken out."""
    return " ".join(region_text(app, "#lesson").replace("│", " ").split())


async def answer(pilot, text: str) -> None:
    pilot.app.screen.bar.answer.value = text
    await pilot.press("enter")


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
async def test_each_lesson_walks_to_its_end(lesson, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = lesson_app(lesson)
    right_first = asked = 0
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        run = screen.lesson
        assert run is not None and run.page == 0
        while not run.finished:
            question = run.asked
            if question is None:
                page = run.page
                await pilot.press("right_square_bracket")
                assert run.page == page + 1
                # The page's model is the session's, from its own first step.
                assert app.session.model is run.opened.state(run.page).model
                continue
            value = question.value
            if run.line_index:  # a line of the derivation: walked to, and it holds this value
                session = app.session
                derivation = derive(session.model, session.preview(), session.cursor + 1)
                assert screen.revealed == run.line_index - 1 and screen.asking
                line = derivation.lines[run.line_index - 1]
                assert numbers_of(line.value) == numbers_of(value)
            kind = asked % 4
            asked += 1
            if kind == 0:
                await answer(pilot, right_text(value))
                right_first += 1
            elif kind == 1:
                await answer(pilot, wrong_text(value))
                assert run.asked is question and "Hint" in question.hint or question.tries == 1
                await answer(pilot, right_text(value))
            elif kind == 2:
                await answer(pilot, wrong_text(value))
                await answer(pilot, wrong_text(value))
            else:
                await pilot.press("escape")
            assert question.done
            outcome = list(run.outcomes.values())[-1]
            if kind in (2, 3):  # the value is revealed in the lesson panel
                assert fmt_value(value) in outcome
        assert (run.score.right_first_time, run.score.asked) == (right_first, asked)
        assert asked == len(lesson.questions)
        assert f"Lesson finished: {run.score}" in panel_text(app)
    stored = ProgressStore()
    stored.load()
    assert stored.progress.finished(lesson.id)
    assert stored.progress.best(lesson.id) == (right_first, asked)


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_each_lesson_is_checked_whole(lesson) -> None:
    from calc_tutor.tui.lessons import check_lesson

    check_lesson(lesson)  # raises LessonError naming the line of any mistake


TEACHERS_LESSON = """---
title: A teacher's lesson
flags: --w 1 --x 1 --lr 0.5 --activation tanh --loss mse --target 0
keys: k
---

## Only page
The loss is {loss:.4f}.

? dloss_dw: Type dLoss/dW.
"""


async def test_a_teachers_lesson_file_runs_and_its_answer_is_the_engines(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    lesson = parse_lesson(TEACHERS_LESSON, "mine.md")
    app = lesson_app(lesson)
    async with app.run_test(size=SIZE) as pilot:
        run = app.screen.lesson
        model = app.session.model
        record = model.update(model.initial_params())
        assert f"The loss is {record.loss:.4f}" in panel_text(app)
        assert numbers_of(run.asked.value) == numbers_of(record.dloss_dw)
        await answer(pilot, right_text(record.dloss_dw))
        assert run.finished and str(run.score) == "1/1 right first time"


async def test_the_menu_opens_a_lesson_and_leaves_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = CalcTutorApp(Neuron(NeuronConfig()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        assert await wait_until(pilot, lambda: app.screen.id != "_default" and
                                app.screen.__class__.__name__ == "LessonMenu")  # fmt: skip
        await pilot.press("enter")  # the first lesson
        main = app.screen
        assert main.lesson is not None and main.lesson.lesson.id == LESSONS[0].id
        assert main.has_class("-lesson")
        while main.lesson.asked is not None:
            await pilot.press("escape")  # skip the open question
        await pilot.press("l")
        await pilot.press("end", "enter")  # "Leave the lesson", last
        assert main.lesson is None and not main.has_class("-lesson")


async def test_a_corrupt_progress_file_is_moved_aside_and_reported(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    folder = tmp_path / "calc-tutor"
    folder.mkdir()
    (folder / "progress.json").write_text("{not json")
    lesson = parse_lesson(TEACHERS_LESSON, "mine.md")
    app = lesson_app(lesson)
    async with app.run_test(size=SIZE) as pilot:
        assert "progress.json" in app.screen.notice or any(
            path.name.startswith("progress.json.corrupt-") for path in folder.iterdir())
        run = app.screen.lesson
        await answer(pilot, right_text(run.asked.value))
    assert any(path.name.startswith("progress.json.corrupt-") for path in folder.iterdir())
    saved = json.loads((folder / "progress.json").read_text())
    assert "mine" in json.dumps(saved)


async def test_an_unwritable_progress_directory_is_reported_not_fatal(tmp_path, monkeypatch) -> None:
    (tmp_path / "calc-tutor").write_text("a file where the directory should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = lesson_app(parse_lesson(TEACHERS_LESSON, "mine.md"))
    async with app.run_test(size=SIZE) as pilot:
        run = app.screen.lesson
        await answer(pilot, right_text(run.asked.value))
        assert run.finished
        assert "calc-tutor" in app.screen.notice  # names the directory


async def test_tab_moves_into_the_lesson_panel_where_up_scrolls_back() -> None:
    app = lesson_app(LESSONS[1])  # step size: its first page outgrows the panel once answered
    async with app.run_test(size=SIZE) as pilot:
        run = app.screen.lesson
        await answer(pilot, right_text(run.asked.value))
        await pilot.pause()
        panel = app.screen.query_one("#lesson")
        assert panel.max_scroll_y > 0 and panel.scroll_y == panel.max_scroll_y  # the end in view
        await pilot.press("tab")
        assert panel.has_focus
        await pilot.press("up", "up")
        assert panel.scroll_y < panel.max_scroll_y
        await pilot.press("n")  # the screen's keys still work there
        assert app.session.cursor >= 1


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
async def test_the_narrowed_derivation_lays_each_line_out_at_its_new_width(lesson) -> None:
    """A lesson narrows the derivation after its first layout: no line keeps the height it had
    at the old width (a line cut short, or blank rows between lines)."""
    from calc_tutor.tui.widgets.derivation import DerivationPanel

    app = lesson_app(lesson)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(DerivationPanel)
        for slot in panel.slots:
            if slot.display:
                assert slot.size.height == len(slot.rows_for(slot.content_size.width)), slot.item


async def test_the_menu_highlights_the_first_lesson_not_finished() -> None:
    from calc_tutor.tui.learner_progress import ProgressStore

    store = ProgressStore()
    store.load()
    store.record_lesson(LESSONS[0].id, 1, 2)
    store.record_lesson(LESSONS[1].id, 3, 3)
    app = CalcTutorApp(Neuron(NeuronConfig()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        assert app.screen.lesson.lesson.id == LESSONS[2].id


async def test_a_question_that_hides_the_derivation_gives_back_the_update_it_hid() -> None:
    """Lesson 8, page 3: a line question walks to update 4002 (example 2); the next question
    hides the derivation; once it is answered the screen is on update 4002 again, the example
    the text speaks of, not back at 4001."""
    from calc_tutor.tui.now import example_of

    lesson = next(lesson for lesson in LESSONS if lesson.id.startswith("08"))
    app = lesson_app(lesson)
    async with app.run_test(size=SIZE) as pilot:
        run = app.screen.lesson
        while run.page < 2:
            while run.asked is not None:
                await answer(pilot, right_text(run.asked.value))
            await pilot.press("right_square_bracket")
        steps = []
        while run.asked is not None:
            await answer(pilot, right_text(run.asked.value))
            steps.append(app.screen.step)
        assert len(steps) >= 2 and steps[-1] == steps[0]
        shown = example_of(app.session.model, app.screen.step)
        assert shown.config.x == (0.0, 1.0)
