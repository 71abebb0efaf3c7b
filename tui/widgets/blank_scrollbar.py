"""A scrollbar drawn with spaces and colour only, for --ascii: no block characters."""

from __future__ import annotations

from textual.scrollbar import ScrollBarRender


class BlankScrollBarRender(ScrollBarRender):
    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8
