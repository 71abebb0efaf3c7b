"""The footer's keys are rebuilt when the bindings change (predict mode on and off, a lesson's
page, the demo's scenes): the old ones must be freed, or a session that runs all day grows."""

from __future__ import annotations

import gc

from calc_tutor.tui.textual_private import FooterKey

from .conftest import SIZE, make_app


def footer_keys() -> tuple[int, int]:
    gc.collect()
    keys = [o for o in gc.get_objects() if isinstance(o, FooterKey)]
    return len(keys), sum(key.is_attached for key in keys)


async def test_rebuilt_footer_keys_are_freed() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(10):  # each turn changes the bindings twice, so the footer is rebuilt
            await pilot.press("k")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        alive, shown = footer_keys()
        assert shown > 0
        assert alive == shown  # no key that left the footer is kept alive
