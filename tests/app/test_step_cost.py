"""What a step costs the tutor (each learner's process over SSH): a step repaints what changed,
without laying the screen out again, and lays each derivation item out as rows once."""

from __future__ import annotations

import pytest
from textual.widget import Widget

from calc_tutor.tui.widgets.derivation import DerivationSlot
from calc_tutor.tui.widgets.derivation_layout import Item

from .conftest import SIZE, make_app


async def test_a_step_lays_nothing_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    layouts: list[str] = []
    refresh = Widget.refresh

    def recording(self: Widget, *regions: object, layout: bool = False, **kwargs: object) -> Widget:
        if layout:
            layouts.append(f"{type(self).__name__}#{self.id}")
        return refresh(self, *regions, layout=layout, **kwargs)  # type: ignore[arg-type]

    app = make_app(steps=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")  # the first step shown with an update before it: sizes settle
        await pilot.pause()
        monkeypatch.setattr(Widget, "refresh", recording)
        for _ in range(3):  # same rows, other numbers: the title among them
            await pilot.press("n")
            await pilot.pause()
        assert layouts == []
        assert "Step 6" in app.main.query_one("#derivation-title").render().plain


async def test_a_step_lays_each_derivation_item_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out: list[Item] = []
    rows = Item.rows

    def counting(self: Item, width: int, styles: object) -> list:
        laid_out.append(self)
        return rows(self, width, styles)  # type: ignore[arg-type]

    app = make_app(steps=2)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(Item, "rows", counting)
        await pilot.press("n")
        await pilot.pause()
        shown = [slot for slot in app.main.query(DerivationSlot) if slot.display]
        # fit() weighs the update with and without its notes, the slots draw it: one layout
        # each, the notes wrapped apart.
        assert len(laid_out) == len(set(laid_out)) == len(shown)
