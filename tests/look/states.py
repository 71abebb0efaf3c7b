"""The app's main states, each reached with the keys a learner presses.

One list serves the SVG snapshot tests and the README screenshots (screenshots/make.py), so the
pictures in the README are the states the tests guard.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from textual.pilot import Pilot

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.lesson import built_in_lessons
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.tui.app import CalcTutorApp
from calc_tutor.tui.cli import build_parser, setup_from_args

# The newcomer's run: calc-tutor --w 0.5 --x 2 --lr 0.1
SEED = {"w": (0.5,), "x": (2.0,), "lr": 0.1}
# Two features and a bias, tanh and squared error: with α = 0.05 the loss falls from 0.24 to
# about 0 within 10 updates, a run that converges (at α = 0.5 it would bounce for ever).
CONVERGING = {"w": (0.5, -0.25), "x": (2.0, 1.0), "b": 0.1, "activation": "tanh",
              "loss": "mse", "target": 0.2, "lr": 0.05}  # fmt: skip
# Two inputs pulling y opposite ways: attribution's bars point both ways.
ATTRIBUTION = {"w": (0.5, -1.0), "x": (1.0, 2.0), "b": 0.2, "lr": 0.1, "activation": "tanh",
               "loss": "mse", "target": 0.3}  # fmt: skip
# calc-tutor --activation relu --loss mse --w -0.5: z < 0, so W is frozen.
DEAD_RELU = {"w": (-0.5,), "x": (2.0,), "activation": "relu", "loss": "mse", "target": 1.0}
# One input, a bias, tanh and mse at α = 0.5: above the stable limit, the loss bounces for ever.
BOUNCING = {"w": (0.5,), "x": (2.0,), "b": 0.1, "activation": "tanh", "loss": "mse",
            "target": 0.2, "lr": 0.5}  # fmt: skip
# calc-tutor --model mlp --x 1,2 --activation sigmoid: sigmoid hidden units, whose slopes
# (at most 0.25) shrink the error on its way back, so W1's gradient runs below w2's.
NETWORK = {"x": (1.0, 2.0), "activation": "sigmoid"}
# One input: the diagram has room for every weight at 120×40.
NETWORK_ONE_INPUT = {"x": (2.0,)}


def neuron(**config: object) -> Neuron:
    return Neuron(NeuronConfig(**config))  # type: ignore[arg-type]


def network(**config: object) -> Mlp:
    return Mlp(MlpConfig(**config))  # type: ignore[arg-type]


def on_data(**flags: str) -> object:
    """The model ``calc-tutor --data …`` opens, from its flags (``model="mlp", data="xor"``)."""
    argv = [part for name, value in flags.items() for part in (f"--{name}", value)]
    return setup_from_args(build_parser().parse_args(argv), default_steps=0).model


@dataclass(frozen=True)
class State:
    name: str
    keys: tuple[str, ...]
    config: dict = field(default_factory=lambda: SEED)
    screenshot_size: tuple[int, int] = (80, 24)  # the README's picture of it
    model: Callable[..., object] = neuron  # built from ``config``
    lesson: int | None = None  # a built-in lesson's number: it sets the model itself

    def app(self) -> CalcTutorApp:
        lesson = None if self.lesson is None else built_in_lessons()[self.lesson - 1]
        return CalcTutorApp(self.model(**self.config), lesson=lesson)  # type: ignore[arg-type]

    def run_before(self) -> Callable[[Pilot], Awaitable[None]]:
        async def press(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press(*self.keys)
            await settle(pilot)

        return press


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Until the app is at rest: its threads (the plot's loading, a fast-forward) done, and
    what they posted back handled. On a loaded machine one pause is not always enough."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()


STATES = (
    State("start", ()),
    State("mid-derivation", ("n", "n", "s", "s", "s", "s", "s")),
    # The computation graph (key c), and its backward walk three boxes in (at dLoss/dz).
    State("graph", ("c",)),
    State("graph-walk", ("c", "s", "s", "s")),
    # Predict mode in the graph: dLoss/dy answered (−1), dLoss/dz asked, its box "g ?".
    State("graph-predict", ("c", "k", "minus", "1", "enter")),
    # The network's graph: the path through hidden unit 2, walked back to h[2].
    State("graph-network-path", ("c", "down", *"s" * 8), NETWORK_ONE_INPUT, model=network),
    State("after-50-updates", ("n",) * 50),
    State("plot-loss-vs-w", ("n", "n", "n", "v")),
    State("plot-activation", ("n", "n", "n", "v", "v")),
    State("plot-slopes", ("n", "n", "n", "v", "v", "v")),
    State("attribution", ("n", "n", "n", "a"), ATTRIBUTION),
    State("help", ("question_mark",)),
    # e puts the focus on W; ctrl+u clears it; a second weight for one input is refused.
    State("input-error", ("e", "end", "ctrl+u", *"0.5,1", "enter")),
    State("two-features-bias-tanh-mse-converging", ("n",) * 20, CONVERGING, (120, 40)),
    # The status line says why W cannot move, and why a loss bounces instead of falling.
    State("dead-relu-explained", ("n", "n"), DEAD_RELU),
    State("bouncing-explained", ("3", "v"), BOUNCING),
    # Update 3's gradient against central differences, and the worst error at every ε.
    State("gradient-check", ("n", "n", "n", "g"), CONVERGING),
    # The network: its derivation layer by layer, its diagram, its gradient per layer.
    State("network", ("n", "n", "n"), NETWORK, model=network),
    State("network-diagram", ("n", "n", "n", *"vvvv"), NETWORK_ONE_INPUT, (120, 40), network),
    State("network-layers", ("2", *"vvvvv"), NETWORK, (120, 40), network),
    # Datasets: a network learns xor (the decision map); one neuron cannot (stuck at ln 2).
    State("data-xor-network-decision", ("3", "3", "3", "3", *"v" * 7),
          {"model": "mlp", "data": "xor"}, (120, 40), on_data),
    State("data-xor-neuron-stalled", ("3", "3", "3", "3", *"v" * 6), {"data": "xor"},
          model=on_data),
    # Predict mode: z answered right, y answered wrong once (the hint shows), the plot hidden.
    State("predict-mode", ("k", "1", "enter", "0", ".", "5", "enter")),
    # Each lesson's first screen, as `calc-tutor --lesson N` opens it.
    *(State(f"lesson-{number}", (), lesson=number) for number in range(1, len(built_in_lessons()) + 1)),
)
