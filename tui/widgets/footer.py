"""Textual's compact footer, built once at startup instead of three times.

Textual's Footer starts empty and rebuilds all its keys after every change of the bindings
(each focus change at startup is one), restyling each key again as it turns compact. Here the
keys are there in the first frame and are rebuilt only when what they show has changed.
It leans on Footer's internals (_bindings_ready, FooterKey): recheck on a Textual upgrade.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from ..textual_private import FooterKey


class SteadyFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)
        self.set_reactive(Footer._bindings_ready, True)  # the screen's bindings exist already
        self.composed_keys: object = None

    def keys_shown(self) -> object:
        """What the footer would show: as Footer.compose, the first binding of each action."""
        active = self.screen.active_bindings
        shown: dict[str, tuple[object, ...]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                shown.setdefault(binding.action, (binding.key, binding.description, enabled,
                                                  tooltip, binding.group))  # fmt: skip
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return list(shown.items()), palette and palette[1:]

    def compose(self) -> ComposeResult:
        self.composed_keys = self.keys_shown()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Compact from the start: set later, it would restyle every key once more.
                widget.set_class(True, "-compact", update=False)
            yield widget

    async def recompose(self) -> None:
        await super().recompose()
        # Each key is bound to the footer's `compact` (data_bind). Textual forgets a removed
        # key's binding only when `compact` changes, which it never does here: without this,
        # every rebuild kept all its old keys alive (a predict mode on and off: 10 widgets).
        self.mutate_reactive(Footer.compact)

    def bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and self.is_attached and self.keys_shown() == self.composed_keys:
            return
        super().bindings_changed(screen)
