"""The plot panel redraws only when what it shows changed, draws the update it is given, keeps
its title whole; --ascii keeps every frame plain."""

from __future__ import annotations

import re

import pytest

from calc_tutor.tui.plots import PLOT_TITLES, PLOT_VIEWS
from calc_tutor.tui.widgets.plot import PlotPanel

from .conftest import SIZE, make_app, region_text, screen_text

# Box drawing, block elements and braille: what a font without them shows as garbage.
NOT_PLAIN = re.compile("[\u2500-\u257f\u2580-\u259f\u2800-\u28ff]")


async def test_the_plot_is_drawn_again_only_when_its_data_changed() -> None:
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        plot = app.main.query_one(PlotPanel)
        drawn = plot.draw_count
        assert drawn == 1

        # Keys that change nothing the plot shows: no redraw. (A walk-through, s, shows the next
        # update in every panel, so it is not one of them.)
        await pilot.press("x")
        await pilot.press("e", "escape", "minus", "plus", "question_mark", "escape")
        assert plot.draw_count == drawn

        for keys in (["n"], ["b"], ["v"], ["r"], ["u"]):
            await pilot.press(*keys)
            assert plot.draw_count == drawn + 1, keys
            drawn = plot.draw_count

        await pilot.resize_terminal(100, 30)
        assert plot.draw_count == drawn + 1
        await pilot.resize_terminal(100, 30)
        assert plot.draw_count == drawn + 1


async def test_ascii_mode_leaves_no_box_drawing_block_or_braille_characters() -> None:
    app = make_app(steps=20, ascii_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _view in PLOT_VIEWS:
            text = screen_text(app)
            assert not NOT_PLAIN.findall(text), NOT_PLAIN.findall(text)
            await pilot.press("v")
        await pilot.press("s", "s")  # the line marker
        await pilot.press("e", "end", "ctrl+u", "x", "enter")  # an error message
        await pilot.press("escape", "question_mark")  # the help screen, scrollbar and all
        for screen_size in ((80, 24), (120, 40)):
            await pilot.resize_terminal(*screen_size)
            text = screen_text(app)
            assert not NOT_PLAIN.findall(text), NOT_PLAIN.findall(text)
        await pilot.press("escape", "ctrl+p", "a")  # the command palette, its list and icon
        await pilot.pause()
        text = screen_text(app)
        assert "Apply one update" in text
        assert not NOT_PLAIN.findall(text), NOT_PLAIN.findall(text)
        assert "🔎" not in text


async def test_without_ascii_the_plot_uses_braille_and_frames() -> None:
    """The other side of the check above: it can fail."""
    app = make_app(steps=20)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert NOT_PLAIN.findall(region_text(app, "#plot"))


async def test_the_step_given_to_the_panel_is_the_update_it_draws() -> None:
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        plot = app.main.query_one(PlotPanel)
        await pilot.pause()
        assert "before update 3" in region_text(app, "#plot")  # no step: the last one applied
        drawn = plot.draw_count

        plot.step = 1
        await pilot.pause()
        assert plot.draw_count == drawn + 1
        assert "before update 1" in region_text(app, "#plot")

        plot.step = 1  # the same update again: nothing to draw
        await pilot.pause()
        assert plot.draw_count == drawn + 1

        plot.step = 4  # the next update, not applied yet
        await pilot.pause()
        assert "before update 4" in region_text(app, "#plot")


@pytest.mark.parametrize("size", [(80, 24), (64, 24), (120, 40)])
async def test_each_views_panel_title_shows_whole(size) -> None:
    app = make_app(steps=3)
    async with app.run_test(size=size) as pilot:
        for view in PLOT_VIEWS:
            plot = app.main.query_one(PlotPanel)
            await pilot.pause()
            assert plot.view == view
            top_row = screen_text(app).splitlines()[plot.region.y]
            assert PLOT_TITLES[view] in top_row, top_row
            assert "…" not in top_row[plot.region.x : plot.region.right]
            await pilot.press("v")
