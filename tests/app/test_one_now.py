"""One "now": after any key, the derivation, the plot and the status line speak of one update."""

from __future__ import annotations

import math
import re

import pytest

from calc_tutor.tui.widgets.plot import PlotPanel

from .conftest import SIZE, make_app, region_text

NUMBER = r"-?[\d.]+(?:e[-+]?\d+)?"


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def seed_run(steps: int) -> list[float]:
    """W after each update of the seed run (--w 0.5 --x 2 --lr 0.1, Loss = 1 - y), by hand."""
    ws = [0.5]
    for _ in range(steps):
        y = sigmoid(ws[-1] * 2)
        ws.append(ws[-1] - 0.1 * (-1 * y * (1 - y) * 2))
    return ws


def panels(app: object) -> dict[str, object]:
    """The update each panel speaks of, read from the screen."""
    derivation = region_text(app, "#derivation").replace("-", "-")
    status = region_text(app, "#status").replace("-", "-")
    title = re.search(rf"Step (\d+)(?: \(preview\)| · line \d+ of \d+)?(?: · W ({NUMBER}) -> ({NUMBER}))?",
                      derivation.replace("→", "->"))  # fmt: skip
    loss_line = re.search(rf"Loss = 1 - y = 1 - {NUMBER} = ({NUMBER})", derivation)
    shown = re.search(rf"Step (\d+)(?: \(preview\))? · W ({NUMBER}) → ({NUMBER}) · "
                      rf"loss (?:before )?({NUMBER})(?: · after | → )({NUMBER})", status)  # fmt: skip
    assert title and shown, (derivation, status)
    return {
        "derivation step": int(title.group(1)),
        "derivation loss": float(loss_line.group(1)) if loss_line else None,
        "status step": int(shown.group(1)),
        "status w": (float(shown.group(2)), float(shown.group(3))),
        "status loss": (float(shown.group(4)), float(shown.group(5))),
    }


@pytest.mark.parametrize(
    ("keys", "step"),
    [((), 1), (("n", "n", "n"), 3), (("n", "n", "n", "s", "s"), 4), (("n", "n", "n", "b"), 2),
     (("n", "n", "n", "s", "b"), 3)],
)  # fmt: skip
async def test_derivation_status_and_plot_show_the_same_update(keys: tuple[str, ...],
                                                                step: int) -> None:  # fmt: skip
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        seen = panels(app)
        assert seen["derivation step"] == seen["status step"] == step == app.main.step
        assert app.main.query_one(PlotPanel).step == step
        ws = seed_run(step)
        w, w_next = ws[step - 1], ws[step]
        assert seen["status w"] == pytest.approx((w, w_next), rel=1e-3)
        before, after = 1 - sigmoid(2 * w), 1 - sigmoid(2 * w_next)
        assert seen["status loss"] == pytest.approx((before, after), rel=1e-3)
        if seen["derivation loss"] is not None:  # a walk-through may not have reached it
            assert seen["derivation loss"] == pytest.approx(before, rel=1e-5)


async def test_after_an_edit_every_panel_previews_the_next_update_with_the_new_values() -> None:
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "ctrl+u", *"1", "enter")
        await pilot.pause()
        seen = panels(app)
        assert seen["derivation step"] == seen["status step"] == 4 == app.main.step
        assert seen["status w"][0] == 1.0
        assert "applied (u undoes)" in region_text(app, "#status")  # the notice is not cut


@pytest.mark.parametrize("config", [{}, {"b": 0.1, "x": (2.0, 1.0), "w": (0.5, -0.25)}])
async def test_the_status_line_fits_80_columns_with_a_notice(config: dict) -> None:
    app = make_app(**config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "e", "tab", "tab", "tab", "ctrl+u", *"0.2", "enter")  # α
        await pilot.pause()
        status = region_text(app, "#status")
        assert "…" not in status
        assert "applied (u undoes)" in status
        assert "loss" in status and "Step 2 (preview)" in status
