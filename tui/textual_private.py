"""Every private Textual name this project leans on, in one place, with why.

Each steadies a Textual widget against a race or a startup cost that its public API cannot
reach. ``tests/tui/test_textual_private.py`` checks that every name still exists, so an upgrade
that moves one fails a test instead of the app. Textual is pinned below 9 for them.
"""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.widgets._footer import FooterKey  # the footer's key widget: built once (footer.py)

# (owner, attribute, who uses it and why)
PRIVATE_NAMES: tuple[tuple[type, str, str], ...] = (
    (Footer, "_bindings_ready", "footer.py: the keys in the first frame, built once"),
    (OptionList, "_index_to_line", "choice.py, palette.py: a page key before the first layout"),
    (OptionList, "_move_page", "choice.py: ignore a page key before the first layout"),
    (CommandList, "_index_to_line", "palette.py: ignore a page key while the list refills"),
    (CommandPalette, "_action_command_list", "palette.py: the same, for the palette's keys"),
    (CommandPalette, "_select_or_command", "palette.py: a second Enter after dismissal"),
    (CommandPalette, "_watch__list_visible", "palette.py: a search closing with the palette"),
    (Screen, "_get_breakpoint_classes", "main.py: breakpoint classes before the first resize"),
)

__all__ = ["FooterKey", "PRIVATE_NAMES"]
