"""The two-layer network in the app: launched with --model mlp or switched to with m (or the
model row), edited through its own fields, drawn as a diagram and as gradient sizes per layer."""

from __future__ import annotations

import math
import re

import pytest

from calc_tutor.core.config import MlpConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.tui.app import CalcTutorApp
from calc_tutor.tui.cli import build_parser, join_negative_values, setup_from_args

from ..core import oracle
from ..core.cases import split_mlp
from .conftest import SIZE, make_app, region_text, screen_text
from .test_inputs import choose, submit


NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"


def network_app(steps: int = 0, **config) -> CalcTutorApp:
    model = Mlp(MlpConfig(**{"x": (1.0, 2.0), **config}))
    return CalcTutorApp(model, steps=steps)


async def test_the_flags_open_the_network_with_its_fields():
    args = build_parser().parse_args(join_negative_values(
        ["--model", "mlp", "--hidden", "2", "--seed", "4", "--x", "1,-2", "--steps", "3"]))
    setup = setup_from_args(args, default_steps=0)
    app = CalcTutorApp(setup.model, steps=setup.steps)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        inputs = region_text(app, "#inputs")
        for label, value in (("model", "mlp"), ("X", "1,-2"), ("H", "2"), ("seed", "4")):
            assert f"{label} {value}" in inputs
        assert "W " not in inputs  # the network's weights come from its seed: no W row
        assert app.session.cursor == 3
        derivation = region_text(app, "#derivation")
        assert "w2 ← w2 - α·dLoss/dw2" in derivation  # the update lines stay on show at 80×24
        # The update's last line, b2's new value, against the autodiff oracle.
        c = setup.model.config
        w1, b1, w2, b2 = split_mlp(app.session.params(2), 2, 2)
        expected = oracle.mlp_expected(w1, b1, w2, b2, c.x, c.lr, c.activation, c.loss, c.target)
        shown = re.search(rf"b2 ← b2 - α·dLoss/db2 .*?= [^=]*= ({NUMBER})", derivation).group(1)
        assert math.isclose(float(shown), expected["b2_next"], rel_tol=1e-5)


async def test_m_switches_model_keeping_inputs_and_u_switches_back():
    app = make_app(steps=2, x=(1.0, 3.0), w=(0.5, 0.5))
    async with app.run_test(size=SIZE) as pilot:
        before = app.session.model
        await pilot.press("m")
        session = app.session
        assert session.model.kind == "mlp" and session.cursor == 2
        assert session.model.config.x == (1.0, 3.0) and session.model.config.lr == before.config.lr
        await pilot.pause()
        assert "H 3" in region_text(app, "#inputs")
        assert "Step 3 (preview)" in region_text(app, "#derivation")
        await pilot.press("n", "n")
        assert session.model_at(3).kind == "mlp"
        await pilot.press("u")
        await pilot.pause()
        assert session.model is before and session.cursor == 2
        assert "W 0.5" in region_text(app, "#inputs").replace("W 0.5,0.5", "W 0.5")


async def test_the_model_row_switches_too():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await choose(pilot, app, "model", "mlp")
        await pilot.pause()
        assert app.session.model.kind == "mlp"
        assert app.main.inputs.built[:3] == ("model", "x", "hidden")


async def test_editing_alpha_keeps_the_trained_weights_and_a_new_seed_restarts():
    app = network_app(steps=4)
    async with app.run_test(size=SIZE) as pilot:
        trained = app.session.params(4)
        await pilot.press("e")
        await submit(pilot, app, "lr", "0.2")
        session = app.session
        assert session.model.config.lr == 0.2 and session.params(4) == trained
        await pilot.press("e")
        await submit(pilot, app, "seed", "9")
        assert session.model.config.seed == 9
        assert session.params(4) == session.model.initial_params() != trained


@pytest.mark.parametrize(("name", "text", "message"), [
    ("hidden", "0", "H: 0 is out of range"), ("seed", "x", "seed: 'x' is not a whole"),
])  # fmt: skip
async def test_a_bad_network_field_is_named_and_changes_nothing(name, text, message):
    app = network_app(steps=1)
    async with app.run_test(size=SIZE) as pilot:
        config, params = app.session.model.config, app.session.params(1)
        await pilot.press("e")
        await submit(pilot, app, name, text)
        assert message in region_text(app, "#inputs")
        assert (app.session.model.config, app.session.params(1)) == (config, params)


async def test_s_walks_the_network_backward_through_the_layers_to_the_updates():
    app = network_app()
    async with app.run_test(size=(100, 40)) as pilot:
        seen: list[str] = []
        for _ in range(60):
            if app.session.cursor == 1:
                break
            await pilot.press("s")
            seen.append(screen_text(app))
        assert app.session.cursor == 1
        text = "\n".join(seen)
        # The output's error comes first, then it crosses into the hidden layer, then updates.
        order = [text.index(mark) for mark in ("dLoss/dz2", "dLoss/dh", "dLoss/dz1", "W1 ←")]
        assert order == sorted(order)


async def test_the_network_and_layer_views_show_the_update_on_show():
    app = network_app(steps=6, activation="sigmoid")
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.view = "network"
        await pilot.pause()
        plot = region_text(app, "#plot")
        record = app.session.record(6)
        for j, error in enumerate(record.dloss_dz1, 1):
            shown = re.search(rf"h{j} ({NUMBER})", plot).group(1)
            assert math.isclose(float(shown), error, rel_tol=1e-3)
        app.main.view = "layers"
        await pilot.pause()
        assert "|dLoss/dW1|" in region_text(app, "#plot")


async def test_stepping_the_network_keeps_the_derivations_height_so_it_does_not_rescroll():
    """At 80×24 the network's derivation is taller than the panel and kept scrolled to its end.
    A step whose numbers wrap to fewer rows must not shorten it: that would scroll, and resend,
    the whole panel over the link."""
    from calc_tutor.tui.widgets.derivation import DerivationPanel

    app = network_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.main.query_one(DerivationPanel)
        heights = []
        for _ in range(8):
            await pilot.press("n")
            await pilot.pause()
            heights.append(panel.virtual_size.height)
            assert panel.scroll_y == panel.max_scroll_y  # the update lines in view
        assert heights == sorted(heights), heights


async def test_a_walk_through_starts_at_the_top_of_the_panel():
    """Found by use: a panel kept at its end, then given one line to show, pushed that line to
    its bottom (an anchored scroll below 0) and left the rows above it blank."""
    from calc_tutor.tui.widgets.derivation import DerivationPanel

    app = network_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "s")
        await pilot.pause()
        panel = app.main.query_one(DerivationPanel)
        assert panel.scroll_y == 0
        rows = screen_text(app).splitlines()
        # Row 0 is the frame, row 1 the title; the first revealed line follows at once.
        assert "line 1 of" in rows[1] and rows[2][1:45].strip()
