"""The one table of commands: it generates the key bindings, the footer, the palette and help.

Because all four come from ``COMMANDS``, a key can never do one thing and be described as
another. Each binding carries the command's id, so a user's keymap can move it to other keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .ascii import to_ascii


@dataclass(frozen=True)
class Command:
    id: str
    keys: str  # Textual key names, comma-separated; the first is the one the footer shows
    label: str  # short, for the footer
    description: str  # one line, for the help screen and the palette
    action: str  # an action of the main screen
    footer: bool = False
    key_display: str | None = None  # how the keys read in help and the palette


COMMANDS: tuple[Command, ...] = (
    Command("step", "n,space,right", "Step", "Apply one update", "step", True, "n space →"),
    Command("line", "s,full_stop", "Walk",
            "Reveal the next derivation line, with what it means; in the graph (c), walk the "
            "gradient back one box", "line", True, "s ."),
    Command("predict", "k", "Predict",
            "Predict mode: type each line's value before it is shown; in the graph (c), each "
            "box's gradient (esc leaves)", "predict", True),
    Command("back", "b,left", "Back", "Go back one update (as far as you like)", "back", True,
            "b ←"),
    Command("play", "p", "Play", "Play or pause autoplay", "toggle_play"),
    Command("slower", "minus", "Slower", "Autoplay slower", "slower", key_display="-"),
    Command("faster", "plus,equals_sign", "Faster", "Autoplay faster", "faster", key_display="+"),
    Command("forward_10", "1", "+10", "Fast-forward 10 updates", "forward(10)"),
    Command("forward_100", "2", "+100", "Fast-forward 100 updates", "forward(100)"),
    Command("forward_1000", "3", "+1000", "Fast-forward 1000 updates", "forward(1000)"),
    Command("reset", "r", "Reset", "Reset to the starting values (u undoes it)", "reset"),
    Command("undo", "u", "Undo", "Undo the last edit or reset", "undo"),
    Command("graph", "c", "Graph",
            "Show the update as a computation graph; s walks the gradient back (c: derivation)",
            "toggle_graph"),
    Command("next_path", "down", "Path",
            "In the network's graph: the next hidden unit's path to the loss, then all of them",
            "next_path(1)", key_display="↓"),
    Command("previous_path", "up", "Path back", "In the network's graph: the previous path",
            "next_path(-1)", key_display="↑"),
    Command("view", "v", "Plot", "Show the next plot view", "next_view", True),
    Command("attribution", "a", "Attribution",
            "Show which input moves y: dy/dX, X·dy/dX and occlusion per input",
            "show_view('attribution')"),
    Command("gradient_check", "g", "Gradcheck",
            "Check each gradient against a finite difference; change ε, plant a bug",
            "gradient_check"),
    Command("lessons", "l", "Lessons", "Open the lessons: a guided path with questions",
            "lessons", True),
    # The lesson panel's frame shows [ and ] (they act only in a lesson).
    Command("next_page", "right_square_bracket", "Page", "Next page of the lesson",
            "next_page", key_display="]"),
    Command("previous_page", "left_square_bracket", "Back page", "Previous page of the lesson",
            "previous_page", key_display="["),
    Command("transcript", "x", "Transcript",
            "Save the session so far as Markdown, in a new file here", "transcript"),
    Command("model", "m", "Model", "Switch between one neuron and the two-layer network",
            "switch_model"),
    Command("edit", "e", "Edit", "Edit the inputs (Enter applies, Esc leaves)", "edit", True),
    Command("leave", "escape", "Done",
            "Leave the inputs (restoring their values) or predict mode", "leave_inputs", True,
            "esc"),
    Command("demo", "d", "Demo",
            "Play the demo again from its first scene (calc-tutor demo; any key stops it)",
            "demo"),
    Command("help", "question_mark", "Help", "Show the keys and what the panels mean", "help", True,
            "?"),
    Command("quit", "q,ctrl+q", "Quit", "Quit calc-tutor", "quit", True, "q ^q"),
)  # fmt: skip

PALETTE_COMMANDS = tuple(command for command in COMMANDS if command.id != "leave")


def bindings(commands: tuple[Command, ...] = COMMANDS) -> list[Binding]:
    """A screen's BINDINGS, one per command (a Binding may list several keys): the main
    screen's by default."""
    return [
        Binding(command.keys, command.action, command.label, show=command.footer,
                id=command.id, tooltip=command.description)  # fmt: skip
        for command in commands
    ]


def key_text(command: Command) -> str:
    """The keys as a learner types them: ``n space →``."""
    if command.key_display is not None:
        return command.key_display
    return " ".join(command.keys.split(","))


class CommandsProvider(Provider):
    """Every command in the palette (ctrl+p), run on the screen the palette was opened from."""

    def _run(self, command: Command) -> None:
        self.app.call_later(self.screen.run_action, command.action)

    def _entry(self, command: Command) -> tuple[str, str]:
        entry = command.description, f"keys: {key_text(command)}"
        if getattr(self.app, "ascii_only", False):
            return to_ascii(entry[0]), to_ascii(entry[1])
        return entry

    async def discover(self) -> Hits:
        for command in PALETTE_COMMANDS:
            text, help_text = self._entry(command)
            yield DiscoveryHit(text, partial(self._run, command), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in PALETTE_COMMANDS:
            text, help_text = self._entry(command)
            score = matcher.match(text)
            if score > 0:
                run = partial(self._run, command)
                yield Hit(score, matcher.highlight(text), run, help=help_text)
