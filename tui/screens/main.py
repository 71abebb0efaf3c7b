"""The main screen: derivation, inputs, plot and status, and every command's action.

The screen owns the learner's place (a walk-through's progress, the plot view, autoplay) as
reactive variables; the panels are bound to them with ``data_bind`` and redraw themselves when
they change. Any change to the session (a step, an edit, an undo) bumps ``revision``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize, ScreenResume
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker
from textual.widgets import Static

from calc_tutor.core.models import MODEL_KINDS, switched
from calc_tutor.core.session import Model, Session

from ..ascii import to_ascii
from ..commands import CommandsProvider, bindings
from ..now import next_derivation, shown_step
from ..plots import PLOT_VIEWS
from ..work import QUICK_SECONDS, advance_in_chunks, advance_within
from ..widgets.derivation import HIDE_ALL, DerivationPanel
from ..widgets.footer import SteadyFooter
from ..widgets.graph import GraphPanel
from ..widgets.inputs import InputsPanel
from ..widgets.lesson import LessonPanel
from ..widgets.plot import PlotPanel
from ..widgets.predict import PredictBar
from ..widgets.status import DivergenceNote, StatusLine
from .progress import ProgressScreen

if TYPE_CHECKING:
    from calc_tutor.core.lesson import Lesson

    from ..demo import DemoPlayer
    from ..learner_progress import ProgressStore
    from ..lesson_run import LessonRun
    from ..predict_mode import PredictMode

# Below this the panels cannot show an update legibly; the screen asks for more room instead.
MIN_WIDTH, MIN_HEIGHT = 64, 20
# Actions that move the session; none may act while the inputs are being edited.
MOVING_ACTIONS = {"step", "line", "back", "forward", "toggle_play", "reset", "undo", "switch_model"}
# Actions a question being answered holds still (the gradient check would show the gradient
# asked for; another path would change the boxes asked). c says why it waits (action_toggle_graph).
ASKING_HOLDS = MOVING_ACTIONS | {"edit", "predict", "lessons", "gradient_check", "next_path"}
RATES = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0)  # autoplay speeds, updates per second
DEFAULT_RATE = 2


class MainScreen(Screen[None]):
    BINDINGS = bindings()
    COMMANDS = {CommandsProvider}
    AUTO_FOCUS = "#derivation"
    # Breakpoint classes: the CSS hides the panels below the minimum and widens them above.
    HORIZONTAL_BREAKPOINTS = [
        (0, "-too-narrow"), (MIN_WIDTH, "-narrow"), (80, "-normal"), (110, "-wide"),
    ]  # fmt: skip
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-short"), (34, "-tall")]

    # var, not reactive: the screen draws nothing itself, so a change must not repaint it.
    revision = var(0, init=False)
    revealed = var(0, init=False)  # walk-through: lines of the next update shown
    noted = var(0, init=False)  # the line whose note is shown (1-based), 0 for none
    view = var(PLOT_VIEWS[0], init=False)
    playing = var(False, init=False)
    speed = var(DEFAULT_RATE, init=False)  # index into RATES
    rate = var(RATES[DEFAULT_RATE], init=False)
    notice = var("", init=False)
    previewing = var(False, init=False)  # after an edit: the next update, with the new values
    step = var(1, init=False)  # the update every panel shows (now.shown_step)
    asking = var(0, init=False)  # the line being predicted (DerivationPanel.asking)
    question_open = var(False, init=False)  # the plot hides: it would show the answer
    score_text = var("", init=False)  # predict mode's or the lesson's score, for the status line
    graph_shown = var(False, init=False)  # the graph (c) in the derivation's place
    graph_walked = var(0, init=False)  # keys of the graph's backward walk (GraphPanel.walked)
    graph_path = var("", init=False)  # the network's path the graph draws (GraphPanel.path)
    graph_asking = var(False, init=False)  # predict mode asks the gradient of node graph_walked
    graph_update_shown = var(False, init=False)  # predict mode applied the update: it shows

    def __init__(self, session: Session, ascii_only: bool = False, pending: int = 0,
                 lesson: Lesson | None = None, demo_pace: float | None = None) -> None:  # fmt: skip
        super().__init__(classes="-ascii" if ascii_only else "")
        self.session = session
        self.pending = pending  # updates asked for at launch and not yet applied (work.py)
        self.working: ProgressScreen | None = None
        self.set_reactive(MainScreen.step, shown_step(session.cursor, False, False))
        self.ascii_only = ascii_only
        self.autoplay: Timer | None = None
        self.focus_before_hiding: Widget | None = None
        self.resumed_before = False
        self.saving = False  # a transcript is being written
        self.predict: PredictMode | None = None
        self.lesson: LessonRun | None = None
        self.lesson_to_open = lesson
        self.store: ProgressStore | None = None  # the learner's progress, read when first needed
        self.bar = PredictBar(ascii_only, id="predict")
        self.demo_pace = demo_pace  # calc-tutor demo: the seconds between its actions
        self.demo: DemoPlayer | None = None

    def compose(self) -> ComposeResult:
        # The breakpoint classes for the size now, before the panels are styled: set only at
        # the first resize, they would restyle every widget a second time during startup.
        width, height = self.app.size
        self.add_class(
            *self._get_breakpoint_classes(width, self.HORIZONTAL_BREAKPOINTS),
            *self._get_breakpoint_classes(height, self.VERTICAL_BREAKPOINTS),
        )
        session, ascii_only = self.session, self.ascii_only
        with Horizontal(id="panels"):
            yield DerivationPanel(session, ascii_only, id="derivation").data_bind(
                MainScreen.revision, MainScreen.revealed, MainScreen.noted, MainScreen.previewing,
                MainScreen.asking,
            )
            yield GraphPanel(session, ascii_only, id="graph").data_bind(
                MainScreen.revision, MainScreen.step, walked=MainScreen.graph_walked,
                shown=MainScreen.graph_shown, path=MainScreen.graph_path,
                asking=MainScreen.graph_asking, update_shown=MainScreen.graph_update_shown,
            )
            with Vertical(id="side"):
                yield LessonPanel(ascii_only, id="lesson")
                yield InputsPanel(session, ascii_only, id="inputs").data_bind(MainScreen.revision)
                yield PlotPanel(session, ascii_only, id="plot").data_bind(
                    MainScreen.revision, MainScreen.view, MainScreen.step,
                    hidden=MainScreen.question_open,
                )
        yield self.bar
        yield StatusLine(session, ascii_only, id="status").data_bind(
            MainScreen.revision, MainScreen.step, MainScreen.playing, MainScreen.rate,
            MainScreen.notice, MainScreen.score_text,
        )
        yield DivergenceNote(session, ascii_only, id="divergence").data_bind(MainScreen.revision)
        yield Static(id="enlarge", markup=False)
        yield SteadyFooter()

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Runs before Textual's own handler. The first resume would restyle every widget that
        # mounting has just styled (some 15 ms of startup); later ones may follow a theme change.
        if not self.resumed_before:
            self.resumed_before = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        if self.pending:
            # After the first frame: the panels show where the run starts while it is computed.
            # done_before: the updates applied before the first frame, so the count is all of them
            self.call_after_refresh(self.work, self.pending, self.session.cursor)
            self.pending = 0
        # Textual hides the empty toast rack only after the first frame, and that lays the whole
        # screen out and sends it again: hidden from the start, the first frame is the last.
        for rack in self.query("#textual-toastrack"):  # none when notifications are off
            rack.display = False
        if self.lesson_to_open is not None:
            self.open_lesson(self.lesson_to_open)
            self.lesson_to_open = None
        if self.demo_pace is not None:
            from ..demo import DemoPlayer

            self.demo = DemoPlayer(self, self.demo_pace)
            self.demo.start()

    def on_resize(self, event: Resize) -> None:
        width, height = event.size
        # Hidden panels lose focus; give it back when they show again, mid-edit or not.
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            # Written only while it shows: each update lays the whole screen out again.
            times = "x" if self.ascii_only else "×"
            self.query_one("#enlarge", Static).update(
                f"Please enlarge to at least {MIN_WIDTH}{times}{MIN_HEIGHT} "
                f"(now {width}{times}{height}).\nq quits."
            )
            if self.focused is not None:
                self.focus_before_hiding = self.focused
        elif self.focused is None:
            self.set_focus(self.focus_before_hiding or self.query_one(DerivationPanel))
            self.focus_before_hiding = None
        self.refresh_bindings()  # the keys allowed change with the size (check_action)

    # ---- state ---------------------------------------------------------------------------

    def changed(self, notice: str = "") -> None:
        """The session changed: every bound panel redraws from it. A full history says so
        (the session stopped at its limit) in place of the notice."""
        self.notice = self.session.full_note or notice
        self.follow_step()
        self.revision += 1

    def restart_at(self, model: Model, steps: int, notice: str) -> None:
        """Start again from ``model`` after ``steps`` updates, as if launched so (a lesson's
        page, a demo's scene); u brings the run before back."""
        self.end_walk()
        self.session.restart(model)
        self.session.forward(steps)
        self.changed(notice)

    def follow_step(self) -> None:
        walking = bool(self.revealed) or self.asking != 0 or bool(self.graph_walked)
        self.step = shown_step(self.session.cursor, walking, self.previewing)

    def watch_revealed(self) -> None:
        self.follow_step()

    def watch_asking(self) -> None:
        self.follow_step()

    def watch_previewing(self) -> None:
        self.follow_step()

    def watch_graph_walked(self) -> None:
        self.follow_step()

    def watch_graph_shown(self, shown: bool) -> None:
        self.set_class(shown, "-graph")
        self.query_one(GraphPanel if shown else DerivationPanel).focus()

    def watch_speed(self, speed: int) -> None:
        self.rate = RATES[speed]

    def watch_playing(self, playing: bool) -> None:
        if self.autoplay is not None:
            self.autoplay.stop()
            self.autoplay = None
        if playing:
            self.autoplay = self.set_interval(1 / RATES[self.speed], self.autoplay_tick)

    def watch_rate(self) -> None:
        if self.playing:
            self.watch_playing(True)  # restart the timer at the new speed

    def autoplay_tick(self) -> None:
        if self.inputs.editing:
            self.playing = False
            self.notice = "paused while editing"
            return
        if self.session.at_divergence:
            self.playing = False
            self.notice = "autoplay stopped"
            return
        self.end_walk()
        self.session.forward(1)
        self.changed()

    def end_walk(self) -> None:
        self.graph_asking = False
        self.graph_update_shown = False
        self.graph_walked = 0
        self.revealed = 0
        self.noted = 0
        self.previewing = False
        self.asking = 0

    # ---- a walk-through that asks (predict mode, a lesson's questions) --------------------

    def ask_line(self, index: int) -> None:
        """Show the next update's lines before line ``index``, which is being predicted."""
        self.previewing = False
        self.revealed = index - 1
        self.asking = index

    def hide_update(self) -> None:
        """Show none of the next update: a question about a later one is open."""
        self.previewing = False
        self.revealed = 0
        self.asking = HIDE_ALL

    def reveal_line(self, index: int) -> None:
        """Line ``index`` was answered: show it, with its note."""
        self.asking = 0
        self.revealed = index
        self.noted = index

    def ask_node(self, index: int) -> None:
        """The graph's walk at step ``index`` of the next update, its gradient being predicted."""
        self.graph_asking = True
        self.graph_walked = index

    def reveal_node(self, index: int) -> None:
        """Step ``index`` of the graph's walk was answered: show its gradient and how it is made."""
        self.graph_walked = index
        self.graph_asking = False

    def finish_graph_walk(self) -> None:
        """Apply the update the graph's walk reached the end of; it stays on show, as the
        walk's last key shows it."""
        self.graph_asking = False
        self.graph_walked = 0
        self.session.forward(1)
        self.graph_update_shown = True
        self.changed(f"step {self.session.cursor} applied")

    def open_question(self, prompt: str, feedback: str = "", placeholder: str = "a number") -> None:
        """The answer row asks; the plot hides while it does."""
        self.question_open = True
        self.bar.ask(prompt, feedback, placeholder)

    def pause_questions(self, prompt: str, feedback: str = "") -> None:
        """The answer row waits for Enter (predict mode, between updates); the plot shows."""
        self.question_open = False
        self.bar.ask(prompt, feedback, placeholder="Enter")

    def close_questions(self) -> None:
        self.question_open = False
        self.bar.close()

    def finish_walk(self, total: int) -> None:
        """Apply the update walked through; it stays on show, its last note with it."""
        self.asking = 0
        self.revealed = 0
        self.noted = total
        self.session.forward(1)
        self.changed(f"step {self.session.cursor} applied")

    @property
    def predicting(self) -> bool:
        """A question is open: predict mode, or a lesson's."""
        return self.predict is not None or (self.lesson is not None and self.lesson.asked is not None)

    def focus_derivation(self) -> None:
        self.query_one(DerivationPanel).focus()

    def leave_predicting(self, notice: str) -> None:
        self.predict = None
        self.close_questions()
        self.end_walk()
        self.score_text = ""
        self.notice = notice
        self.focus_derivation()

    def on_predict_bar_answered(self, message: PredictBar.Answered) -> None:
        if self.predict is not None:
            self.predict.answered(message.text)
        elif self.lesson is not None:
            self.lesson.answered(message.text)

    # ---- lessons -------------------------------------------------------------------------

    def progress_store(self) -> ProgressStore:
        if self.store is None:
            from ..learner_progress import ProgressStore

            self.store = ProgressStore()
            messages = self.store.load()
            if messages:
                self.notice = messages[0]
        return self.store

    def open_lesson(self, lesson: Lesson) -> None:
        from ..lesson_run import LessonRun

        if self.predict is not None:
            self.leave_predicting("")
        self.playing = False
        self.graph_shown = False  # a lesson's questions are about the derivation's lines
        self.lesson = LessonRun(self, lesson, self.progress_store())
        self.add_class("-lesson")
        self.lesson.open_page(0)

    def leave_lesson(self) -> None:
        self.lesson = None
        self.close_questions()
        self.end_walk()
        self.score_text = ""
        self.remove_class("-lesson")
        self.focus_derivation()
        self.notice = "left the lesson"

    def lesson_changed(self) -> None:
        if self.lesson is not None:
            self.query_one(LessonPanel).show(self.lesson.lesson.title, self.lesson.shown_page())

    def action_lessons(self) -> None:
        from calc_tutor.core.lesson import built_in_lessons

        from .lesson_menu import LEAVE, LessonMenu

        lessons = built_in_lessons()

        def chosen(choice: str | None) -> None:
            if choice == LEAVE:
                self.leave_lesson()
            elif choice is not None:
                self.open_lesson(lessons[int(choice)])

        menu = LessonMenu(lessons, self.progress_store().progress, self.lesson is not None,
                          self.ascii_only)  # fmt: skip
        self.app.push_screen(menu, chosen)

    def action_next_page(self) -> None:
        if self.lesson is not None:
            self.lesson.next_page()

    def action_previous_page(self) -> None:
        if self.lesson is not None:
            self.lesson.previous_page()

    def action_transcript(self) -> None:
        """The session so far as Markdown, in a new file here (transcript.py)."""
        from ..transcript import save_transcript

        self.notice = "saving the transcript…"
        session = self.session

        def run() -> str:
            return save_transcript(session)

        self.saving = True
        self.run_worker(run, name="transcript", thread=True, exit_on_error=False)

    def blocked(self) -> bool:
        """Forward keys do nothing at a divergence; the status says why."""
        divergence = self.session.divergence
        if self.session.at_divergence and divergence is not None:
            self.notice = "can't go on: diverged"
            return True
        return False

    @property
    def inputs(self) -> InputsPanel:
        return self.query_one(InputsPanel)

    @property
    def too_small(self) -> bool:
        width, height = self.app.size
        return width < MIN_WIDTH or height < MIN_HEIGHT

    def on_descendant_focus(self) -> None:
        if self.playing and self.inputs.editing:
            self.playing = False  # the fields must keep showing the values they will apply
            self.notice = "paused while editing"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.too_small:
            return action == "quit"  # nothing may change unseen behind "Please enlarge"
        editing = self.is_mounted and self.inputs.editing
        if action == "leave_inputs":
            return editing or self.predicting
        if action == "demo":  # the demo restarts the session: not under work, a save or an edit
            return self.demo is not None and self.working is None and not (self.saving or editing)
        if action in ("next_page", "previous_page"):
            return self.lesson is not None and not self.predicting
        if action == "next_path":  # ↑/↓ scroll elsewhere
            return self.graph_shown and not self.predicting
        # The transcript is read in a worker: the session holds still while it is written.
        if self.saving and action in MOVING_ACTIONS:
            return False
        # A question being answered holds the walk where it is: its answer is about that line.
        if self.predicting:  # and the gradient check would show the gradient being predicted
            return action not in ASKING_HOLDS
        # The fields show the values they were opened with, and Enter applies them: moving the
        # session underneath would make Enter apply stale values.
        return not (editing and action in MOVING_ACTIONS)

    # ---- actions: one per command in the table -------------------------------------------

    def action_step(self) -> None:
        if self.blocked():
            return
        self.end_walk()
        self.session.forward(1)
        self.changed()

    def action_line(self) -> None:
        """Reveal the next line of the next update (in the graph, the next node back); the
        last one applies it."""
        if self.blocked():
            return
        session = self.session
        self.notice = ""  # a note on an earlier key ("walk-through cancelled") is stale now
        if self.graph_shown:
            graph = self.query_one(GraphPanel)
            if self.graph_walked < graph.walk_keys(session.model.graph(session.preview())):
                self.graph_walked += 1
                return
            self.graph_walked = 0
            session.forward(1)
            self.changed(f"step {session.cursor} applied")
            return
        total = len(next_derivation(session).lines)
        if self.revealed + 1 < total:
            self.revealed += 1
            self.noted = self.revealed
            return
        self.revealed = 0
        self.noted = total  # the finished update stays on show, its last note with it
        session.forward(1)
        self.changed(f"step {session.cursor} applied")

    def action_back(self) -> None:
        if self.revealed or self.graph_walked:
            self.end_walk()
            self.notice = "walk-through cancelled"
            return
        self.end_walk()
        if self.session.back(1):
            self.changed()
        else:
            self.notice = "already at the start"

    def action_forward(self, count: int) -> None:
        if self.blocked():
            return
        self.end_walk()
        moved = advance_within(self.session, count, QUICK_SECONDS)
        if moved < count and not self.session.at_divergence and not self.session.full_note:
            self.work(count - moved, moved)  # too long to wait for: the rest in a worker
            return
        self.changed(f"+{moved} updates")

    def work(self, count: int, done_before: int = 0) -> None:
        """Apply ``count`` more updates in a worker thread, behind a progress screen (work.py)."""
        self.playing = False
        self.working = screen = ProgressScreen(count, self.ascii_only)
        self.app.push_screen(screen)
        session = self.session

        def report(done: int) -> None:  # in the worker thread: no call into the app
            screen.done = done  # the screen's timer reads it
            if get_current_worker().is_cancelled:  # the app is closing
                screen.stop.set()

        def run() -> tuple[int, int, bool]:
            done = advance_in_chunks(session, count, report, screen.stop)
            return done_before + done, done_before + count, screen.stop.is_set()

        self.run_worker(run, name="work", thread=True, exit_on_error=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.name == "transcript" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            self.saving = False
            if event.state == WorkerState.SUCCESS:
                notice = worker.result
            else:  # save_transcript reports what it can foresee; this is what it could not
                notice = f"could not save the transcript: {worker.error}"
            self.notice = to_ascii(notice) if self.ascii_only else notice
            return
        if worker.name != "work" or event.state != WorkerState.SUCCESS:
            return
        if self.working is not None and self.working.is_attached:
            self.working.dismiss()
        self.working = None
        done, asked, stopped = worker.result
        self.changed(f"stopped at update {self.session.cursor:,}" if stopped else f"+{done:,} updates")

    def action_toggle_play(self) -> None:
        if not self.playing and self.blocked():
            return
        self.playing = not self.playing

    def action_slower(self) -> None:
        self.speed = max(0, self.speed - 1)
        self.notice = f"autoplay {RATES[self.speed]:g}/s"

    def action_faster(self) -> None:
        self.speed = min(len(RATES) - 1, self.speed + 1)
        self.notice = f"autoplay {RATES[self.speed]:g}/s"

    def action_reset(self) -> None:
        self.playing = False
        self.end_walk()
        self.session.reset()
        self.changed("reset; u undoes it")

    def action_undo(self) -> None:
        self.end_walk()
        if self.session.undo():
            self.changed("undone")
        else:
            self.notice = "nothing to undo"

    def action_toggle_graph(self) -> None:
        """The graph in the derivation's place, or the derivation back. A walk half done in
        one ends: the other walks the update its own way (lines, boxes). Not while a question
        is open (the graph would show gradients a question about a line asks for); between
        predicted updates, the next is predicted in the view then shown."""
        if self.question_open:
            self.notice = "c waits until you answer"
            return
        walking = bool(self.graph_walked or self.revealed)
        self.end_walk()
        self.graph_shown = not self.graph_shown
        self.notice = "walk-through ended" if walking else ""
        if self.predicting:  # between predicted updates: Enter still goes on to the next
            self.bar.answer.focus()

    def action_next_path(self, step: int) -> None:
        """The graph follows the next (or previous) first-layer weight's path to the loss, or
        draws them all; a walk half done ends (it walked the other path)."""
        panel = self.query_one(GraphPanel)
        choices = panel.path_choices(self.session.model.graph(self.session.preview()))
        if not choices:
            self.notice = "one path only: this model has one weight in its first layer"
            return
        walking = bool(self.graph_walked)
        self.end_walk()
        at = choices.index(panel.path_now) if panel.path_now in choices else 0
        self.graph_path = choices[(at + step) % len(choices)]
        self.notice = "walk-through ended" if walking else ""

    def action_next_view(self) -> None:
        self.view = PLOT_VIEWS[(PLOT_VIEWS.index(self.view) + 1) % len(PLOT_VIEWS)]

    def action_show_view(self, view: str) -> None:
        self.view = view

    def action_edit(self) -> None:
        self.inputs.first_field().focus()

    def action_leave_inputs(self) -> None:
        if self.predict is not None:
            self.leave_predicting(f"predict off: {self.predict.score}")
            return
        if self.lesson is not None and self.lesson.asked is not None:
            self.lesson.skip()
            return
        self.inputs.show_current()
        self.query_one(DerivationPanel).focus()

    def action_predict(self) -> None:
        """Predict mode: type each value of the next update before it is shown: each line of the
        derivation, or in the graph each node's gradient."""
        from ..predict_mode import PredictMode  # loaded when first asked for, as help is

        if self.blocked():
            return
        self.playing = False
        self.predict = PredictMode(self)
        self.predict.start()

    def action_demo(self) -> None:
        """calc-tutor demo: play its scenes again from the first (any key stops them)."""
        if self.demo is not None:
            self.demo.start()

    def action_help(self) -> None:
        from .help import HelpScreen  # loaded when first asked for: startup needs none of it

        self.app.push_screen(HelpScreen(self.ascii_only))

    def action_gradient_check(self) -> None:
        """Check the gradient of the update on show, at the parameters it starts from."""
        from ..now import update_start
        from .gradcheck import GradcheckScreen  # loaded when first asked for, as help is

        model, params = update_start(self.session, self.step)
        self.app.push_screen(GradcheckScreen(model, params, self.step, self.ascii_only))

    def action_quit(self) -> None:
        self.app.exit()

    # ---- edits ---------------------------------------------------------------------------

    def on_inputs_panel_applied(self, message: InputsPanel.Applied) -> None:
        self.query_one(DerivationPanel).focus()
        self.start_from(message.model, message.params)

    def start_from(self, model: Model, params: tuple[float, ...], done: str = "applied") -> None:
        """Train ``model`` from ``params`` on, from the cursor (u undoes it); an edit that
        changes nothing is only said. ``done`` says what was done, in the status line."""
        session = self.session
        current = session.model
        before = [(row.name, row.value) for row in current.form(session.params(session.cursor))]
        after = [(row.name, row.value) for row in model.form(params)]
        if (model.kind, after) == (current.kind, before):
            self.changed("nothing changed")
            return
        self.end_walk()
        session.branch(model, params)
        self.previewing = True
        self.changed(f"{done} (u undoes)")

    def action_switch_model(self) -> None:
        """The other model, with the same inputs, α, loss and target."""
        kinds = list(MODEL_KINDS)
        current = self.session.model
        kind = kinds[(kinds.index(current.kind) + 1) % len(kinds)]
        model = switched(current, kind)
        self.start_from(model, model.initial_params(), f"switched to {model.title}")
