"""The default theme on a 16-colour terminal (TERM=xterm): nothing that means "fine" turns red."""

from __future__ import annotations

from rich.color import Color, ColorSystem

from calc_tutor.tui.app import DEFAULT_THEME

from .conftest import SIZE, make_app

RED = {1, 9}  # the standard palette's red and bright red


async def test_default_theme_focus_frame_and_footer_keys_are_not_red_at_16_colours() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        variables = app.theme_variables
        for name in ("accent", "footer-key-foreground", "text-accent", "warning", "primary"):
            colour = Color.parse(variables[name].split()[0]) if name in variables else None
            assert colour is not None, name
            standard = colour.downgrade(ColorSystem.STANDARD)
            assert standard.number not in RED, (name, variables[name])
        # And what is actually drawn: the focused derivation's frame.
        frame = app.main.query_one("#derivation").styles.border_top[1]
        assert frame.rich_color.downgrade(ColorSystem.STANDARD).number not in RED
