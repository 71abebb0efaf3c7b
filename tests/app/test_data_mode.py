"""Datasets in the app: --data opens a model that learns one example an update (or the mean
with --batch); the title says which example, the inputs name the data, m keeps it, and the mean
loss and decision map views show how the whole dataset is learnt."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from calc_tutor.core.on_dataset import OnDataset
from calc_tutor.tui.app import CalcTutorApp
from calc_tutor.tui.cli import build_parser, join_negative_values, setup_from_args

from ..core import oracle
from .conftest import SIZE, region_text
from .test_inputs import choose, submit

NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"


def words(app: CalcTutorApp, selector: str) -> str:
    """A panel's text as running words, its frame left out (a message wraps over rows)."""
    return " ".join(region_text(app, selector).replace("│", " ").split())


def data_app(*flags: str) -> CalcTutorApp:
    setup = setup_from_args(build_parser().parse_args(join_negative_values(list(flags))), 0)
    return CalcTutorApp(setup.model, steps=setup.steps)


async def test_each_update_says_which_example_it_learns_from():
    app = data_app("--data", "xor")
    async with app.run_test(size=SIZE) as pilot:
        inputs = region_text(app, "#inputs")
        assert "data xor" in inputs and "batch no" in inputs and "X " not in inputs
        for step, (x, t) in enumerate([("[0, 0]", 0), ("[0, 1]", 1), ("[1, 0]", 1), ("[1, 1]", 0),
                                       ("[0, 0]", 0)], start=1):  # fmt: skip
            await pilot.press("n")
            title = region_text(app, "#derivation").split("│")[1]
            assert f"Step {step} · example {(step - 1) % 4 + 1}/4: X {x}, t {t}" in title


async def test_a_neuron_on_xor_is_told_why_it_stalls_at_ln_2():
    app = data_app("--data", "xor", "--steps", "4000")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "mean loss ≈ ln 2 (y = 0.5 always): no line splits these 0s and 1s" in words(app, "#status")
        app.main.view = "mean-loss"
        await pilot.pause()
        shown = float(re.search(rf"mean loss ({NUMBER})", region_text(app, "#plot")).group(1))
        assert abs(shown - math.log(2)) < 0.01


def mean_loss_by_hand(model: OnDataset, params: tuple[float, ...]) -> float:
    w, b = model.split(params)
    c = model.config
    losses = [oracle.neuron_expected(w, x, b, c.lr, c.activation, c.loss, t)["loss"]
              for x, t in zip(model.dataset.inputs, model.dataset.targets)]  # fmt: skip
    return float(np.mean(losses))


async def test_the_mean_loss_view_gives_the_mean_over_every_example():
    app = data_app("--data", "and", "--steps", "30")
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.view = "mean-loss"
        await pilot.pause()
        plot = region_text(app, "#plot")
        shown = float(re.search(rf"mean loss (?:over 4 examples )?({NUMBER})", plot).group(1))
        session = app.session
        assert math.isclose(shown, mean_loss_by_hand(session.model, session.params(29)), rel_tol=1e-3)


async def test_the_decision_map_puts_each_example_on_its_side_once_xor_is_learnt():
    app = data_app("--model", "mlp", "--data", "xor", "--steps", "4000")
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.view = "decision"
        await pilot.pause()
        region = app.main.query_one("#plot").content_region
        # The map's rows, without the title above it and the axes' ranges below.
        rows = [row[region.x : region.right] for row in _screen_rows(app)[region.y : region.bottom]]
        rows = rows[1:-1]
        marks = [(r, c, ch) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch in "01"
                 and 0 < c < len(row) - 1 and set(row[c - 1] + row[c + 1]) <= set(" ░▒▓█")]  # fmt: skip
        assert sorted(ch for _, _, ch in marks) == ["0", "0", "1", "1"]
        for r, c, ch in marks:  # the shade beside each example: dark for t = 1, light for t = 0
            beside = rows[r][c - 1] + rows[r][c + 1]
            assert set(beside) <= (set("▓█") if ch == "1" else set(" ░")), (ch, beside)


def _screen_rows(app: CalcTutorApp) -> list[str]:
    from .conftest import raw_screen_text

    return raw_screen_text(app).splitlines()


async def test_the_inputs_edit_the_data_the_batch_and_alpha_keeping_the_rest():
    app = data_app("--data", "xor", "--steps", "3")
    async with app.run_test(size=SIZE) as pilot:
        session = app.session
        trained = session.params(3)
        await pilot.press("e")
        await submit(pilot, app, "lr", "0.2")
        assert session.model.config.lr == 0.2 and session.model.dataset.name == "xor"
        assert session.params(3) == trained
        await pilot.press("e")
        await submit(pilot, app, "data", "and")
        assert session.model.dataset.name == "and"
        await pilot.press("e")
        await choose(pilot, app, "batch", "yes")
        assert session.model.batch
        await pilot.press("n")
        assert "mean over 4 examples" in region_text(app, "#derivation")


@pytest.mark.parametrize(("text", "message"), [
    ("nand", "data: unknown dataset 'nand'"), ("", "data: is empty"),
    ("missing.csv", "data: missing.csv: no such file"),
])  # fmt: skip
async def test_a_bad_data_field_is_named_and_changes_nothing(text, message):
    app = data_app("--data", "xor", "--steps", "2")
    async with app.run_test(size=SIZE) as pilot:
        before = (app.session.model, app.session.params(2))
        await pilot.press("e")
        await submit(pilot, app, "data", text)
        assert message in words(app, "#inputs")
        assert (app.session.model, app.session.params(2)) == before


async def test_m_keeps_the_dataset_and_gives_the_neuron_a_bias():
    app = data_app("--data", "xor")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        model = app.session.model
        assert model.kind == "mlp" and model.dataset.name == "xor"
        await pilot.press("m")
        model = app.session.model
        assert model.kind == "neuron" and model.dataset.name == "xor"
        assert model.base.config.b == 0.0


async def test_without_data_the_data_views_say_what_they_need():
    app = data_app("--x", "1,2,3")
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.view = "mean-loss"
        await pilot.pause()
        assert "Start with --data" in words(app, "#plot")
        app.main.view = "decision"
        await pilot.pause()
        assert "needs two inputs; this model has 3" in words(app, "#plot")
