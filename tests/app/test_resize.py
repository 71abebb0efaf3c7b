"""Any terminal size, from tiny to huge, even while autoplay runs: no crash, no broken panels."""

from __future__ import annotations

import pytest

from calc_tutor.tui.screens.main import MIN_HEIGHT, MIN_WIDTH

from .conftest import make_app, screen_text, wait_until

SIZES = [(20, 8), (40, 12), (MIN_WIDTH - 1, 30), (100, MIN_HEIGHT - 1), (MIN_WIDTH, MIN_HEIGHT),
         (80, 24), (120, 40), (200, 60), (300, 100)]  # fmt: skip


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


@pytest.mark.parametrize(("width", "height"), SIZES)
async def test_each_size_shows_the_panels_or_asks_for_more_room(width: int, height: int) -> None:
    app = make_app(steps=3)
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.press("n")
        # Behind the request to enlarge nothing may change unseen; otherwise n steps.
        assert app.session.cursor == (3 if too_small(width, height) else 4)
        text = " ".join(screen_text(app).split())
        if too_small(width, height):
            request = f"Please enlarge to at least {MIN_WIDTH}×{MIN_HEIGHT} (now {width}×{height})"
            assert request in text
            assert "Step 3 · W" not in text  # no broken panels behind the request
        else:
            assert "Please enlarge" not in text
            assert "Step 4 · W" in text
            assert "W ← W - α·dLoss/dW" in text or height < 24  # small ones scroll to it


async def test_resizing_from_tiny_to_huge_and_back() -> None:
    app = make_app(steps=3)
    async with app.run_test(size=(80, 24)) as pilot:
        for width, height in [*SIZES, *reversed(SIZES)]:
            await pilot.resize_terminal(width, height)
            assert app.size == (width, height)
            assert ("Please enlarge" in screen_text(app)) == too_small(width, height)
        await pilot.resize_terminal(80, 24)
        assert "Step 3 · W 0.5772 → 0.6136" in screen_text(app)


async def test_resizing_while_autoplay_runs() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "plus", "p")  # 8 updates a second
        assert app.main.rate == 8
        for width, height in SIZES * 2:
            await pilot.resize_terminal(width, height)
        assert app.main.playing
        assert await wait_until(pilot, lambda: app.session.cursor >= 5)
        await pilot.resize_terminal(120, 40)
        await pilot.press("p")
        assert not app.main.playing
        assert f"Step {app.session.cursor} · W" in screen_text(app)


async def test_help_and_inputs_survive_tiny_sizes() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.resize_terminal(20, 8)
        await pilot.resize_terminal(30, 10)
        await pilot.resize_terminal(80, 24)
        assert "calc-tutor: keys" in screen_text(app)
        await pilot.press("escape", "e", "1")  # e selects W's text: typing replaces it
        await pilot.resize_terminal(20, 8)
        await pilot.resize_terminal(80, 24)
        assert app.main.inputs.field("w").value == "1"
        assert app.focused is app.main.inputs.field("w")
