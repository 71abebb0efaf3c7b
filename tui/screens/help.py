"""The help screen: the command table as a learner reads it, and what each panel shows."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..ascii import to_ascii
from ..commands import COMMANDS, key_text
from ..widgets.blank_scrollbar import BlankScrollBarRender

# What a learner needs before the numbers make sense: the convention, said once, plainly.
LOOKING_AT = (
    ("A gradient", "dLoss/dW says how fast the loss changes when W moves a little. Its sign says "
     "which way is uphill."),
    ("The update", "W ← W − α·dLoss/dW (read ← as \"becomes\") steps against the slope. A "
     "negative dLoss/dW moves W up; a positive one moves W down."),
    ("α", "the learning rate: a step size you choose. Too small crawls; too large bounces or "
     "explodes."),
    ("The chain rule", "dLoss/dW multiplies the local slopes along the path from W to the loss; "
     "for one neuron, W → z → y → Loss gives dLoss/dy · dy/dz · dz/dW. In the network the path "
     "from W1 also crosses w2 and the hidden unit's slope dh/dz1."),
    ("Gradient check", "g puts each dLoss/dp from the chain rule (\"analytic\") beside a slope "
     "measured by nudging p by h = ε·max(1, |p|) both ways (\"numeric\": (L(p+h) − L(p−h))/2h). "
     "Relative error: their difference divided by the larger of the two; below 1e−06 passes. [ "
     "and ] change ε; b plants a bug (a chain-rule factor left out) to show a failing check."),
    ("dLoss/dz", "how fast the loss changes when a unit's z moves a little: its error signal, "
     "which backprop carries from the output back to each hidden unit. With bce at the output it "
     "equals y − t; with other losses it does not."),
    ("Loss = 1 − y", "has no lowest point: y only creeps toward 1, so the weights never settle; "
     "they drift for ever, ever more slowly. To see training settle, choose mse or bce with a "
     "target strictly inside the output's range (for a sigmoid, 0 < t < 1, e.g. 0.3; e edits)."),
)  # fmt: skip

PANELS = (
    ("Derivation", "one update: the forward pass, every chain-rule factor, and the step "
     "W ← W − α·dLoss/dW, each as a formula, with the numbers plugged in, and as a value. Before "
     "an update is applied (at the start, after an edit, while s walks through it) it shows the "
     "next one."),
    ("Graph", "c shows the same update in the derivation's place, as boxes joined by arrows. A "
     "box shows its value, and g, its gradient dLoss/d(box), once the walk has reached it. The "
     "number on an arrow is the local derivative: how fast the box it enters moves when this "
     "box moves. s walks back from the loss one box a key (upstream gradient × local "
     "derivative = the box's gradient), then shows the update; k asks you each box's gradient "
     "before the walk shows it; c gives the derivation back. "
     "Where the network's whole graph does not fit, it draws the path from one first-layer "
     "weight to the loss, the other hidden units added up in one box; ↑ and ↓ pick another "
     "unit's path, or all of them."),
    ("Inputs", "the model (m switches: one neuron or the two-layer network); for the neuron W, X, "
     "b (empty: no bias), α and the target, for the network X, H hidden units and the seed that "
     "draws its weights; activation and loss from lists. Started with --data, the data (and, or, "
     "xor or a CSV file) stands in for X and the target, and batch says whether an update takes "
     "one example or the mean over all. A change applies from the current step on; u undoes it."),
    ("Plot", "the loss per step; the loss as a function of W with its tangent; the activation "
     "curve with its tangent; the slopes of σ, tanh and ReLU side by side (each curve drawn with "
     "its letter); the network, each unit with its dLoss/dz; each layer's gradient size "
     "(the length of all its weights' gradients together) over the steps, on a log scale; attribution; and with --data, the mean loss over every example and the "
     "decision map (y over the input square, each example's t marked). Each marks the update the "
     "derivation shows. v switches."),
    ("Lesson", "in a lesson (l opens the menu), its text takes the inputs' place: a page at a "
     "time, each setting up the model it speaks of; ] turns the page, [ goes back; tab moves "
     "into it, where ↑ and ↓ scroll back to what it said."),
    ("Answer row", "in predict mode (k) and at a lesson's question: type the value you expect, "
     "then Enter. Within 1% (or 0.001) is right; a wrong answer gets a hint and a second try, a "
     "second wrong one the value and why; esc leaves predict mode, or shows a lesson's answer. "
     "The plot hides while you answer, and the status line shows your score: both would give "
     "the answer away."),
    ("Status", "that same update: W before → after, the loss before and after it; why W stalls, "
     "a unit saturates or the loss bounces; and why a run stopped."),
)  # fmt: skip


def help_table(ascii_only: bool = False) -> Table:
    plain = to_ascii if ascii_only else str
    table = Table.grid(padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for command in COMMANDS:
        table.add_row(plain(key_text(command)), plain(command.description))
    table.add_row("ctrl+p", "Search every command by name")
    return table


def panels_text(ascii_only: bool = False, rows: tuple[tuple[str, str], ...] = PANELS) -> Text:
    """Named paragraphs, the name in bold: what each panel shows, or what the numbers mean."""
    plain = to_ascii if ascii_only else str
    text = Text()
    for name, what in rows:
        text.append(f"{plain(name)}: ", "bold")
        text.append(plain(what) + "\n")
    text.rstrip()
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="close_help"),
    ]

    def __init__(self, ascii_only: bool = False) -> None:
        super().__init__(classes="-ascii" if ascii_only else "")
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = "calc-tutor: keys"
            scroll.border_subtitle = "esc, ? or q closes"
            yield Static(help_table(self.ascii_only), id="help-keys")
            yield Static(Text("What you are looking at", "bold underline"), classes="help-heading")
            yield Static(panels_text(self.ascii_only, LOOKING_AT), id="help-looking-at")
            yield Static(Text("The panels", "bold underline"), classes="help-heading")
            yield Static(panels_text(self.ascii_only), id="help-panels")

    def on_mount(self) -> None:
        if self.ascii_only:
            scroll = self.query_one("#help", VerticalScroll)
            scroll.vertical_scrollbar.renderer = BlankScrollBarRender
