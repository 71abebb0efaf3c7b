"""calc-tutor demo: every scene plays and shows what its caption says, the loop comes back to the
first scene, and the first key or click only stops it, leaving the app usable."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pytest
from textual import events

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_value
from calc_tutor.tui.app import CalcTutorApp
from calc_tutor.tui.commands import COMMANDS
from calc_tutor.tui.demo import STOPPED, TAKE_OVER, DemoPlayer
from calc_tutor.tui.demo_scenes import ANSWER, SCENES, Scene
from calc_tutor.tui.widgets.footer import SteadyFooter
from calc_tutor.tui.widgets.status import DivergenceNote

from ..core.oracle import neuron_expected
from .conftest import SIZE, make_app, raw_screen_text, screen_text, wait_until

PACE = 0.05  # seconds a beat: the whole loop in a few seconds
NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?")


@dataclass
class SceneEnd:
    """What the screen showed on a scene's last beat, just before the next scene opened."""

    index: int
    text: str  # the screen, as raw text
    caption: str
    cursor: int
    params: list[tuple[float, ...]]  # the parameters before each update so far, and after
    records: list  # each applied update's record
    diverged: bool
    divergence_shown: bool
    lesson: tuple[str, int, int, int] | None  # (lesson id, page, right first time, asked)
    view: str


def demo_app(ascii_only: bool = False, pace: float = PACE) -> CalcTutorApp:
    return CalcTutorApp(Neuron(NeuronConfig()), ascii_only=ascii_only, demo_pace=pace)


def numbers(text: str) -> list[float]:
    return [float(found.replace("−", "-")) for found in NUMBER.findall(text)]


def one(value) -> float:
    """A gradient of one feature as its number, as the graph's boxes write it."""
    return float(value[0]) if hasattr(value, "__len__") else float(value)


def index_of(found: str) -> int:
    """The scene whose flags or caption holds ``found`` (robust to the table's order)."""
    return next(i for i, scene in enumerate(SCENES) if found in scene.flags + scene.caption)


async def play_one_loop(monkeypatch: pytest.MonkeyPatch, app: CalcTutorApp) -> list[SceneEnd]:
    ends: list[SceneEnd] = []
    opened = DemoPlayer.open_scene

    def recording(player: DemoPlayer, index: int) -> None:
        if player.running:  # a scene ends (the very first opening ends none)
            screen, session = player.screen, player.screen.session
            lesson = screen.lesson
            steps = 0 if lesson is not None else session.cursor  # a lesson's thousands: unread
            ends.append(SceneEnd(
                player.scene, raw_screen_text(app), player.caption_text(player.scene),
                session.cursor, [session.params(step) for step in range(steps + 1)],
                [session.record(step) for step in range(1, steps + 1)],
                session.at_divergence, screen.query_one(DivergenceNote).display,
                None if lesson is None else (lesson.lesson.id, lesson.page,
                                             lesson.score.right_first_time, lesson.score.asked),
                screen.view,
            ))  # fmt: skip
        opened(player, index)

    monkeypatch.setattr(DemoPlayer, "open_scene", recording)
    async with app.run_test(size=SIZE) as pilot:
        player = app.main.demo
        assert player is not None and player.running
        assert await wait_until(pilot, lambda: player.loops >= 1 and player.scene == 1, 60)
        assert app._exception is None
    return ends


async def test_the_demo_plays_every_scene_in_order_and_loops_back(monkeypatch) -> None:
    ends = await play_one_loop(monkeypatch, demo_app())
    assert [end.index for end in ends] == [*range(len(SCENES)), 0]


async def test_each_scene_shows_what_its_caption_says(monkeypatch) -> None:
    ends = {end.index: end for end in await play_one_loop(monkeypatch, demo_app())}
    for index, end in ends.items():
        rows = end.text.splitlines()
        # The caption is on the screen, in the footer's place, with the engine's numbers.
        assert rows[-1].startswith(end.caption), index
        room_for_hint = len(end.caption) + 2 + len(TAKE_OVER) <= SIZE[0]
        assert rows[-1].endswith(TAKE_OVER) == room_for_hint, index
        assert "{" not in end.caption and "}" not in end.caption

    # One update walked line by line on the source's example, then applied.
    walk = ends[index_of("--w 0.5 --x 2 --lr 0.1")]
    expected = neuron_expected((0.5,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)
    assert walk.cursor == 1
    dloss_dw, w_next = numbers(walk.caption)
    assert dloss_dw == pytest.approx(float(expected["dloss_dw"][0]), abs=1e-6)
    assert w_next == pytest.approx(float(expected["w_next"][0]), abs=1e-6)
    assert walk.params[1][0] == pytest.approx(float(expected["w_next"][0]), rel=1e-12)
    assert "step 1 applied" in walk.text

    # The graph walked back box by box with a bias (a product, a sum, the activation, the
    # loss), then the update applied: every box's g the record's, dLoss/dW the caption's.
    graph = ends[index_of("--bias 0.25")]
    expected = neuron_expected((0.5,), (2.0,), 0.25, 0.1, "sigmoid", "one-minus-y", 1.0)
    assert graph.cursor == 1 and "Update 1, already applied" in graph.text
    assert numbers(graph.caption)[-1] == pytest.approx(float(expected["dloss_dw"][0]), abs=1e-6)
    for name in ("dloss_dw", "dloss_db", "dloss_dz", "dloss_dx"):
        g = f"g {fmt_value(one(expected[name]))}"
        assert g in graph.text, (name, g)

    # A step too large: the loss grows update after update, and the app's divergence message.
    big = ends[index_of("--lr 0.5")]
    alpha, x = 0.5, 2.0  # the scene's flags: linear, mse: the miss is multiplied by 1 − 2αx²
    growth = (1 - 2 * alpha * x * x) ** 2
    losses = [record.loss for record in big.records]
    assert len(losses) >= 3
    for before, after in zip(losses, losses[1:]):
        assert after / before == pytest.approx(growth, rel=1e-9)
    assert numbers(big.caption)[-1] == pytest.approx(growth)
    assert big.diverged and big.divergence_shown
    assert "Diverged at step" in big.text and "smaller" in big.text

    # A dead ReLU: z < 0, dy/dz = 0, dLoss/dW = 0 at every update, and W never moves.
    dead = ends[index_of("relu")]
    w0 = dead.params[0]
    assert dead.cursor >= 10
    assert all(params == w0 for params in dead.params)
    assert all(record.dloss_dw == (0.0,) for record in dead.records)
    expected = neuron_expected(w0, (2.0,), None, 0.5, "relu", "mse", 1.0)
    z, zero_below, dy_dz = numbers(dead.caption)
    assert (z, zero_below, dy_dz) == (expected["z"], 0.0, expected["dy_dz"]) and z < 0
    assert "dead ReLU" in dead.text

    # The lessons' scenes: the page named, every question answered right by the demo.
    for index, scene in enumerate(SCENES):
        if not scene.lesson:
            continue
        end = ends[index]
        assert end.lesson is not None
        lesson_id, page, right, asked = end.lesson
        assert page == scene.page - 1
        assert asked == right == scene.words().count(ANSWER), index
        for number in numbers(end.caption):  # the caption's numbers are the page's own
            shown = numbers(end.text)
            assert any(math.isclose(number, value, rel_tol=1e-5) for value in shown), (index, number)
    assert ends[index_of("dy/dX2")].view == "attribution"


async def test_a_key_only_stops_the_demo_and_the_next_key_works() -> None:
    app = demo_app(pace=0.2)
    async with app.run_test(size=SIZE) as pilot:
        player, screen = app.main.demo, app.main
        assert await wait_until(pilot, lambda: screen.revealed >= 2)
        cursor, revealed = screen.session.cursor, screen.revealed
        await pilot.press("n")
        assert not player.running
        assert (screen.session.cursor, screen.revealed) == (cursor, revealed)  # n did not step
        await pilot.pause(0.6)  # three beats: nothing moves any more
        assert (screen.session.cursor, screen.revealed) == (cursor, revealed)
        # One line in the footer's place says so, until the next key brings the footer back.
        last_row = screen_text(app).splitlines()[-1]
        assert last_row.rstrip() == f"{STOPPED}. d plays the demo again."
        await pilot.press("n")  # the keys are the learner's now
        assert screen.session.cursor == cursor + 1
        assert screen.query_one(SteadyFooter).display
        assert not screen.query_one("#demo-caption").display
        await pilot.press("d")  # and d plays the demo again, from its first scene
        assert player.running and player.scene == 0


def driver_click(app: CalcTutorApp, selector: str) -> None:
    """Press and release the mouse over a widget as the terminal driver reports it: to the app
    (Pilot's click would skip the app and go to the screen)."""
    region = app.screen.query_one(selector).region
    x, y = region.x + 3, region.y + 3  # over the W field
    for kind in (events.MouseDown, events.MouseUp):
        event = kind(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)
        event.set_sender(app)
        app.post_message(event)


@pytest.mark.parametrize("key", ["q", "ctrl+q", "ctrl+c", "escape"])
async def test_a_key_that_would_quit_or_leave_only_stops_the_demo(key: str) -> None:
    app = demo_app(pace=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        await pilot.press(key)
        assert app.is_running and not app.main.demo.running
        assert app.screen is app.main


async def test_a_click_stops_the_demo_and_does_nothing_else() -> None:
    app = demo_app(pace=0.2)
    async with app.run_test(size=SIZE) as pilot:
        player, screen = app.main.demo, app.main
        await pilot.pause(0.3)
        focused = screen.focused
        driver_click(app, "#inputs")
        await pilot.pause()
        assert not player.running
        assert screen.focused is focused  # the click did not reach the field under it
        assert screen_text(app).splitlines()[-1].startswith(STOPPED)
        driver_click(app, "#inputs")  # the next click is the learner's
        await pilot.pause()
        assert screen.focused is not focused and screen.inputs.editing


async def test_a_key_during_a_typed_answer_leaves_the_question_open_and_empty(monkeypatch) -> None:
    lesson_scene = next(i for i, scene in enumerate(SCENES) if scene.lesson)
    app = demo_app(pace=0.2)
    async with app.run_test(size=SIZE) as pilot:
        player, screen = app.main.demo, app.main
        player.open_scene(lesson_scene)
        assert await wait_until(pilot, lambda: player.typed, 5)
        assert screen.bar.answer.value  # the demo typed the engine's answer
        await pilot.press("x")
        assert not player.running
        assert screen.bar.answer.value == ""  # its answer is not the learner's
        assert screen.lesson is not None and screen.lesson.asked is not None
        await pilot.press(*"0.5", "enter")  # the learner answers the question the demo left
        assert screen.lesson.feedback or screen.lesson.asked is None


async def test_d_does_nothing_outside_the_demo() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert app.main.demo is None
        assert "#demo-caption" not in {f"#{w.id}" for w in app.main.query("*")}


async def test_a_whole_loop_writes_no_progress_and_in_ascii_shows_only_ascii(monkeypatch) -> None:
    import os

    ends = await play_one_loop(monkeypatch, demo_app(ascii_only=True))
    for end in ends:
        assert end.text.isascii(), (end.index, {c for c in end.text if not c.isascii()})
    data = os.environ["XDG_DATA_HOME"]
    assert not os.path.exists(os.path.join(data, "calc-tutor", "progress.json"))


def test_every_script_word_is_a_command_of_the_table_or_the_demos_own() -> None:
    ids = {command.id for command in COMMANDS}
    for scene in SCENES:
        for word in scene.words():
            assert word in ids | {"answer", "wait"}
    with pytest.raises(ValueError, match="not a command id"):
        Scene("caption", "line jump").words()
    assert any(command.id == "demo" and command.keys == "d" for command in COMMANDS)


async def test_d_waits_while_the_inputs_are_edited() -> None:
    app = demo_app(pace=0.2)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await pilot.press("escape", "e")  # stop the demo, then edit
        assert screen.inputs.editing and not screen.demo.running
        assert not screen.check_action("demo", ())  # Enter must apply the values shown
        await pilot.press("escape", "d")
        assert screen.demo.running
