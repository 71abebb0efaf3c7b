"""The command palette, steadied against races in Textual's own.

Keys can arrive bunched up (typing ahead, or over SSH), faster than the palette settles:
- its result list pages by its laid-out rows, and a page key that arrived while the list was
  being refilled found none and raised KeyError;
- a second Enter queued behind the one that ran a command dismissed the palette again,
  popping the screen under it;
- a search still gathering when the palette closed looked for its emptied list (NoMatches).
Here such keys and late results are ignored; everything else is Textual's palette as is.
Its input does not blink, and with --ascii it draws no emoji, block or box characters.
"""

from __future__ import annotations

from textual import on
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.css.query import NoMatches
from textual.widgets import Button, Input

from ..ascii import to_ascii
from ..widgets.blank_scrollbar import BlankScrollBarRender


class SteadyCommandPalette(CommandPalette):
    def on_mount(self) -> None:
        self.query_one(CommandInput).cursor_blink = False  # each blink would cross an SSH link
        if getattr(self.app, "ascii_only", False):
            self.add_class("-ascii")  # app.tcss swaps the frames for blank ones
            self.query_one(SearchIcon).icon = ">"
            search = self.query_one(CommandInput)
            search.placeholder = to_ascii(search.placeholder)
            self.query_one(CommandList).vertical_scrollbar.renderer = BlankScrollBarRender

    def _action_command_list(self, action: str) -> None:
        if action.startswith("page_") and not self.query_one(CommandList)._index_to_line:
            return
        super()._action_command_list(action)

    def _select_or_command(self, event: Input.Submitted | Button.Pressed | None = None) -> None:
        if self.is_active:  # not when an earlier key already dismissed the palette
            super()._select_or_command(event)

    def _watch__list_visible(self) -> None:
        try:
            super()._watch__list_visible()
        except NoMatches:
            pass  # closed while a search was still gathering: nothing left to show it in

    @on(Input.Submitted)
    @on(Button.Pressed)
    def _ignore_once_dismissed(self, event: Input.Submitted | Button.Pressed) -> None:
        # Runs before the base class's handler, which prevent_default() then skips.
        if not self.is_active:
            event.stop()
            event.prevent_default()
