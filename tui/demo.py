"""``calc-tutor demo``: the scenes (demo_scenes.py) played in a loop on the main screen, one
action a beat, each with its caption; the first key or click stops it and hands over the app.

Each action is the main screen's own (the one its key runs, checked as a key is), so the demo
shows nothing the app cannot. One timer, one beat at a time: between beats nothing runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import Static

from calc_tutor.core.lesson import built_in_lessons
from calc_tutor.core.lesson_values import Context, State
from calc_tutor.core.numbers import fmt_value

from .ascii import to_ascii
from .commands import COMMANDS, key_text
from .demo_scenes import ANSWER, SCENES, WAIT, Scene
from .lessons import fill_places
from .plots import PLOT_VIEWS

if TYPE_CHECKING:
    from .screens.main import MainScreen

OPENING_BEATS = 2  # a new scene's caption is read before anything moves
ACTIONS = {command.id: command.action for command in COMMANDS}
TAKE_OVER = "any key stops"
STOPPED = "Demo stopped: the keys work as usual now"


class DemoCaption(Static):
    """The scene's one line, in the footer's place; while the demo plays, the hint that a key
    stops it, when there is room for it."""

    def __init__(self, ascii_only: bool) -> None:
        super().__init__(id="demo-caption", markup=False)
        self.ascii_only = ascii_only
        self.caption = ""
        self.hinted = False

    def show(self, caption: str, hinted: bool = True) -> None:
        self.caption = to_ascii(caption) if self.ascii_only else caption
        self.hinted = hinted
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        width = self.content_size.width or self.app.size.width
        room = width - len(self.caption)
        hint = TAKE_OVER.rjust(room) if self.hinted and room >= len(TAKE_OVER) + 2 else ""
        self.update(self.caption + hint)


class DemoPlayer:
    def __init__(self, screen: MainScreen, pace: float,
                 scenes: tuple[Scene, ...] = SCENES) -> None:  # fmt: skip
        self.screen = screen
        self.pace = pace
        self.scenes = scenes
        self.scene = 0  # the index of the scene on show
        self.words: list[str] = []  # what is left of its script
        self.timer: Timer | None = None
        self.typed = False  # an answer typed by the demo waits for its Enter
        self.loops = 0  # times the last scene has handed over to the first
        self.captions: dict[int, str] = {}  # the engine's numbers do not change: made once
        self.caption = DemoCaption(screen.ascii_only)

    @property
    def running(self) -> bool:
        return self.timer is not None

    def start(self) -> None:
        screen = self.screen
        if not self.caption.is_attached:
            screen.mount(self.caption)
        screen.add_class("-demo")
        self.open_scene(0)

    def stop(self) -> None:
        """Leave everything as it is, fully usable: the next key is the learner's. The caption's
        row says so until then, in the footer's place."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        screen = self.screen
        if self.typed:  # typed by the demo, not by the person taking over
            screen.bar.answer.value = ""
            self.typed = False
        self.caption.show(STOPPED + self.restart_hint(), hinted=False)

    def hide_notice(self) -> None:
        """The first key after the demo stopped: the footer is back (the key acts as usual)."""
        self.screen.remove_class("-demo")

    @staticmethod
    def restart_hint() -> str:
        command = next(command for command in COMMANDS if command.action == "demo")
        return f". {key_text(command)} plays the demo again."

    # ---- scenes --------------------------------------------------------------------------

    def open_scene(self, index: int) -> None:
        screen, scene = self.screen, self.scenes[index]
        self.scene = index
        app = screen.app
        while app.screen is not screen:  # a view the last scene opened over the main screen
            app.pop_screen()
        if screen.predict is not None:
            screen.leave_predicting("")
        screen.view = PLOT_VIEWS[0]
        screen.graph_shown = False  # each scene starts from the derivation (one shows the graph)
        if scene.lesson:
            lesson = built_in_lessons()[scene.lesson - 1]
            if screen.lesson is None or screen.lesson.lesson is not lesson:
                screen.open_lesson(lesson)
            assert screen.lesson is not None
            screen.lesson.open_page(scene.page - 1)
        else:
            if screen.lesson is not None:
                screen.leave_lesson()
            screen.restart_at(self.flags_state(scene).model, 0, "")
        self.caption.show(self.caption_text(index))
        self.words = [WAIT] * (OPENING_BEATS - 1) + scene.words()
        self.beat()

    def flags_state(self, scene: Scene) -> State:
        from .cli import model_from_flags

        return State(model_from_flags(tuple(scene.flags.split())), 0)

    def caption_text(self, index: int) -> str:
        """The scene's caption with the engine's numbers: of its lesson page's state, or of the
        state its flags start from."""
        if index not in self.captions:
            scene = self.scenes[index]
            lesson = self.screen.lesson
            if scene.lesson and lesson is not None:
                context = lesson.opened.context(scene.page - 1)
            else:
                context = Context(self.flags_state(scene), {})
            self.captions[index] = fill_places(scene.caption, context)
        return self.captions[index]

    # ---- beats ---------------------------------------------------------------------------

    def beat(self) -> None:
        self.timer = self.screen.set_timer(self.pace, self.tick, name="demo")

    async def tick(self) -> None:
        if self.timer is None:  # stopped while this beat was due
            return
        if not self.words:
            following = (self.scene + 1) % len(self.scenes)
            if following == 0:
                self.loops += 1
            self.open_scene(following)
            return
        word = self.words.pop(0)
        screen = self.screen
        if word == ANSWER:
            self.type_answer()
        elif word != WAIT:
            await screen.run_action(ACTIONS[word])
        if self.timer is not None:
            self.beat()

    def type_answer(self) -> None:
        """The engine's value typed into the answer row; Enter a beat later, as a person would."""
        screen = self.screen
        asked = screen.lesson.asked if screen.lesson is not None else None
        if asked is None:
            return
        if not self.typed:
            value = fmt_value(asked.value)
            screen.bar.answer.value = to_ascii(value) if screen.ascii_only else value
            self.typed = True
            self.words.insert(0, ANSWER)  # the Enter, next beat
            return
        self.typed = False
        screen.bar.post_message(screen.bar.Answered(screen.bar.answer.value))
