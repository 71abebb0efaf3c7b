"""The app's main states, each reached with the keys a learner presses.

One list serves the SVG snapshot tests and the README screenshots (screenshots/make.py), so the
pictures in the README are the states the tests guard.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from textual.pilot import Pilot

from calc_tutor.core.config import NeuronConfig
from calc_tutor.core.neuron import Neuron
from calc_tutor.tui.app import CalcTutorApp

# The newcomer's run: calc-tutor --w 0.5 --x 2 --lr 0.1
SEED = {"w": (0.5,), "x": (2.0,), "lr": 0.1}
WIDE = {"w": (0.5, -0.25), "x": (2.0, 1.0), "b": 0.1, "activation": "tanh", "loss": "mse",
        "target": 0.2}  # fmt: skip


@dataclass(frozen=True)
class State:
    name: str
    keys: tuple[str, ...]
    config: dict = field(default_factory=lambda: SEED)
    screenshot_size: tuple[int, int] = (80, 24)  # the README's picture of it

    def app(self) -> CalcTutorApp:
        return CalcTutorApp(Neuron(NeuronConfig(**self.config)))

    def run_before(self) -> Callable[[Pilot], Awaitable[None]]:
        async def press(pilot: Pilot) -> None:
            await pilot.pause()
            await pilot.press(*self.keys)
            await pilot.pause()

        return press


STATES = (
    State("start", ()),
    State("mid-derivation", ("n", "n", "s", "s", "s", "s", "s")),
    State("after-50-updates", ("n",) * 50),
    State("plot-loss-vs-w", ("n", "n", "n", "v")),
    State("plot-activation", ("n", "n", "n", "v", "v")),
    State("help", ("question_mark",)),
    # e puts the focus on W; ctrl+u clears it; a second weight for one input is refused.
    State("input-error", ("e", "end", "ctrl+u", *"0.5,1", "enter")),
    State("two-features-tanh-mse-bias", ("n",) * 20, WIDE, (120, 40)),
)
