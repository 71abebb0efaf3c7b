"""Thousands of random keys on every screen (main, inputs, help, palette, a choice list):
nothing may raise."""

from __future__ import annotations

import random

import pytest
from textual import events

from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.datasets import BUILT_IN
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.on_dataset import OnDataset
from calc_tutor.tui.app import CalcTutorApp

from .conftest import SIZE, make_app

# Every key in the command table, keys that move focus or edit text, and plain typing.
KEYS = (
    "n space right s full_stop b left p minus plus equals_sign 1 2 3 r u v e escape "
    "question_mark q ctrl+q ctrl+p tab shift+tab enter backspace delete up down home end "
    "pageup pagedown ctrl+u ctrl+c ctrl+a ctrl+e comma 0 4 7 9 a x y z t w i f m g k l "
    "c left_square_bracket right_square_bracket d"
).split()
CHARACTERS = {
    "space": " ", "full_stop": ".", "minus": "-", "plus": "+", "equals_sign": "=",
    "question_mark": "?", "comma": ",", "enter": "\r", "tab": "\t", "escape": "\x1b",
    "backspace": "\x7f", "left_square_bracket": "[", "right_square_bracket": "]",
}  # fmt: skip
# How each round starts, so every screen gets its share of random keys.
OPENINGS = {
    "main": [], "inputs": ["e"], "help": ["question_mark"], "palette": ["ctrl+p"],
    "choice list": ["e", "tab", "tab", "tab", "tab", "tab", "enter"],
}  # fmt: skip
ROUNDS = 4  # per opening, for the neuron; the network and a dataset get half as many
KEYS_PER_ROUND = 105  # 5 openings × 4 rounds × 105 = 2,100 keys
SEED = 20261103


def post_key(app: CalcTutorApp, key: str) -> None:
    """Queue a key as the terminal driver would, without Pilot's wait for idle after each one
    (that wait would make 2,000 keys take minutes); the app handles them in order."""
    character = key if len(key) == 1 else CHARACTERS.get(key)
    event = events.Key(key, character)
    event.set_sender(app)
    app.post_message(event)


# Values a learner might type to see what happens: huge, tiny, zero, signed zero, long vectors.
EXTREMES = ("1e300", "-1e300", "1e-300", "-1e-300", "0", "-0", "5e-324", "1.7976931348623157e308",
            ",".join(["1e300"] * 64), ",".join(["-0"] * 64), ",".join(["1e-300"] * 64), "1e308")
EDITS = 40  # for the neuron; half as many for the network and a dataset


def network_app(steps: int) -> CalcTutorApp:
    return CalcTutorApp(Mlp(MlpConfig(x=(1.0, 2.0))), steps=steps)


def data_app(steps: int) -> CalcTutorApp:
    """A neuron learning xor one example an update: the data and batch rows, the data views."""
    return CalcTutorApp(OnDataset(Neuron(NeuronConfig(w=(0.5, 0.5), x=(0.0, 0.0), b=0.0,
                                                      loss="bce", target=0.5)),  # fmt: skip
                                  BUILT_IN["xor"]), steps=steps)


def demo_app(steps: int) -> CalcTutorApp:
    """calc-tutor demo, a beat every 0.1 s: keys stop it, d plays it again, its scenes change
    the model and open lessons between the keys."""
    return CalcTutorApp(Neuron(NeuronConfig()), steps=steps, demo_pace=0.1)


# (app maker, share of the neuron's budget): the suite stays within CI's minutes.
MODES = [(make_app, 1.0), (network_app, 0.5), (data_app, 0.5), (demo_app, 0.5)]
MODE_IDS = ["neuron", "network", "data", "demo"]


@pytest.mark.parametrize(("make", "share"), MODES, ids=MODE_IDS)
async def test_extreme_values_typed_into_the_inputs_mixed_with_keys_raise_nothing(make, share) -> None:
    rng = random.Random(SEED + 1)
    app = make(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        app.exit = lambda *args, **kwargs: None  # type: ignore[method-assign]
        try:
            for edit in range(int(EDITS * share)):
                await pilot.press("escape", "e")
                await pilot.pause()
                inputs = app.main.inputs  # m may have switched the model: its own text fields
                field = rng.choice([row.name for row in inputs.rows if not row.choices])
                inputs.field(field).focus()
                await pilot.press("ctrl+u")
                # Pasted rather than typed key by key: 64 values are some 400 keys.
                inputs.field(field).insert_text_at_cursor(rng.choice(EXTREMES))
                await pilot.press("enter")
                for _ in range(8):  # then a few random keys: steps, views, walk-throughs
                    post_key(app, rng.choice(KEYS))
                await pilot.pause()
                assert app.is_running and app._exception is None, (edit, field)
                while app.screen is not app.main:
                    await pilot.press("escape")
            session = app.session
            assert 0 <= session.cursor <= session.length
        finally:
            del app.exit


@pytest.mark.parametrize(("make", "share"), MODES, ids=MODE_IDS)
async def test_random_keys_on_every_screen_raise_nothing(make, share) -> None:
    rng = random.Random(SEED)
    app = make(steps=5)
    quits: list[object] = []
    sent = 0
    async with app.run_test(size=SIZE) as pilot:
        app.exit = lambda *args, **kwargs: quits.append(args)  # type: ignore[method-assign]
        try:
            rounds = int(ROUNDS * share)
            for round_number in range(rounds):
                for screen, opening in OPENINGS.items():
                    await pilot.press(*opening)
                    for _ in range(KEYS_PER_ROUND):
                        post_key(app, rng.choice(KEYS))
                        sent += 1
                    await pilot.pause()
                    assert app.is_running, (round_number, screen)
                    assert app._exception is None
                    # Back to the main screen for the next opening.
                    while app.screen is not app.main:
                        await pilot.press("escape")
                    await pilot.press("escape")  # and out of the inputs
            assert sent == rounds * len(OPENINGS) * KEYS_PER_ROUND >= 1000
            assert quits  # q was pressed on the main screen somewhere in all that
            session = app.session
            assert 0 <= session.cursor <= session.length
        finally:
            del app.exit  # the real exit again, so the test can end the app
